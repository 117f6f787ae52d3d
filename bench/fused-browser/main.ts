// The Chromium half of bench/fused.mjs: examples/s of the fused engines against react-nn's tfjs engine and
// hand-written tfjs on the tfjs backend named in `?backend=` (webgl, webgpu, cpu), plus the main thread's long
// tasks while each contender trains (fused-cpu trains in a Web Worker here). Leaves `window.fusedResult`.
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs';
import type { EngineName } from '../../src/core';
import { benchFused, type FusedRow } from '../fused-bench';
import { benchFusedCnn } from '../fused-cnn-bench';
import { log } from '../measure';
import { benchStartup, STARTUP_CASE } from '../startup-bench';

declare global {
  interface Window {
    fusedResult: Promise<unknown>;
  }
}

async function run() {
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend') as 'webgl' | 'webgpu' | 'cpu';
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not start its ${backend} backend here`);
  await tf.ready();
  // Long tasks on this (main) thread, attributed afterwards to whichever contender was training.
  const longTasks: { start: number; duration: number }[] = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // A frame counter, so the page visibly keeps painting (or not).
  const frames = document.getElementById('frames') as HTMLOutputElement;
  let painted = 0;
  const paint = () => {
    frames.textContent = String(++painted);
    requestAnimationFrame(paint);
  };
  requestAnimationFrame(paint);

  const engines: EngineName[] =
    (params.get('engines')?.split(',') as EngineName[] | undefined) ??
    (backend === 'webgpu'
      ? ['fused-webgpu', 'fused-cpu', 'tfjs']
      : backend === 'webgl'
        ? ['auto', 'tfjs']
        : ['fused-cpu', 'tfjs']);
  let gpu: { device: GPUDevice; software: boolean; workgroupSize?: number } | null = null;
  if (backend === 'webgpu') {
    const b = tf.backend() as unknown as { device: GPUDevice; adapterInfo?: { isFallbackAdapter?: boolean } };
    const info = (await navigator.gpu.requestAdapter())?.info;
    gpu = {
      device: b.device,
      software: Boolean(info?.isFallbackAdapter) || /swiftshader/i.test(info?.architecture ?? ''),
      workgroupSize: Number(params.get('wg') ?? 0) || undefined,
    };
  }
  const only = params.get('only')?.split(',');
  // Start-up first, on the cpu page (each backend is a new page: nothing compiled, no Worker yet).
  const rows: FusedRow[] =
    backend === 'cpu' && (!only || only.includes(STARTUP_CASE)) ? [await benchStartup(backend, 7)] : [];
  rows.push(
    ...(await benchFused({
      backend,
      engines,
      roundSeconds: Number(params.get('round') ?? 0.5),
      rounds: 5,
      only,
      mnistRows: backend === 'webgpu' ? 128 : 512,
      gpu,
      baselines: backend === 'cpu',
      skipSlowTfjs: params.get('skipTfjs') === '1',
    })),
  );
  rows.push(
    ...(await benchFusedCnn({
      backend,
      engines: backend === 'webgpu' ? ['auto', 'fused-webgpu', 'tfjs'] : ['auto', 'tfjs'],
      roundSeconds: Number(params.get('round') ?? 0.5),
      rounds: 3,
      only,
      // One batch on SwiftShader's WebGPU, where tfjs trains these nets at a few examples/s.
      rows: backend === 'webgpu' ? 64 : undefined,
      skipSlowTfjs: params.get('skipTfjs') === '1',
    })),
  );
  const longest = (windows: [number, number][] | undefined) =>
    Math.max(
      0,
      ...longTasks
        .filter((t) => (windows ?? []).some(([from, to]) => t.start >= from && t.start <= to))
        .map((t) => t.duration),
    );
  const longTaskMs = rows.map((r) =>
    Object.fromEntries(Object.keys(r.intervals).map((k) => [k, Math.round(longest(r.intervals[k]))])),
  );
  log(`${backend}: done`);
  const adapter = backend === 'webgpu' ? (await navigator.gpu.requestAdapter())?.info : null;
  return {
    environment: 'chromium',
    backend,
    adapter: adapter && { vendor: adapter.vendor, architecture: adapter.architecture },
    rows: rows.map((r, i) => ({ ...r, longTaskMs: longTaskMs[i] })),
    painted,
  };
}

window.fusedResult = run();
