// The Node half of bench/fused.mjs: fused-cpu (and fused-webgpu through Dawn when the `webgpu` package finds an
// adapter) against react-nn's tfjs engine, hand-written tfjs and a per-neuron JS net, on tfjs' CPU backend.
// Prints one JSON line.
import * as tf from '@tensorflow/tfjs';
import { benchFused } from './fused-bench';
import { benchFusedCnn } from './fused-cnn-bench';
import { benchStartup, STARTUP_CASE } from './startup-bench';

const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('tfjs-node')) return;
  warn(...args);
};
await tf.setBackend('cpu');
await tf.ready();

let gpu: { device: GPUDevice; software: boolean; workgroupSize?: number } | null = null;
let adapterInfo: unknown = null;
let dawn: unknown = null;
if (process.env.BENCH_WEBGPU !== '0') {
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    // Keep the GPU object reachable: Dawn's instance dies with it (and takes the device along — a segfault).
    const instance = create([]);
    (globalThis as { __benchGpu?: unknown }).__benchGpu = instance;
    dawn = instance;
    const adapter = await instance.requestAdapter();
    if (adapter) {
      adapterInfo = { vendor: adapter.info.vendor, architecture: adapter.info.architecture };
      gpu = {
        device: await adapter.requestDevice(),
        software: /swiftshader/i.test(adapter.info.architecture),
        workgroupSize: Number(process.env.BENCH_WG ?? 0) || undefined,
      };
    }
  } catch (e) {
    console.error(`[bench] no WebGPU in Node: ${(e as Error).message}`);
  }
}

const only = process.env.BENCH_ONLY?.split(',');
// Start-up first, so its first fresh trainer is the process's first (nothing compiled yet).
const rows = !only || only.includes(STARTUP_CASE) ? [await benchStartup('cpu', 7)] : [];
rows.push(
  ...(await benchFused({
    backend: 'cpu',
    engines: ['fused-cpu', 'tfjs'],
    roundSeconds: Number(process.env.BENCH_ROUND_SECONDS ?? 0.5),
    rounds: 5,
    only,
    gpu,
  })),
);
// The CNN rows with fused-webgpu too when Dawn found an adapter: react-nn finds WebGPU through navigator.gpu,
// which Node 20 lacks, so it is set for them (after the start-up row, which measures a plain Node). An engine
// that cannot train a CNN on the GPU yet falls back, and the row says to what and why.
if (dawn) (globalThis as { navigator?: unknown }).navigator ??= { gpu: dawn };
rows.push(
  ...(await benchFusedCnn({
    backend: 'cpu',
    // auto is fused-cpu here; a second fused-cpu trainer on the same net in this thread would share V8's code
    // for the kernel with it and slow both (the report reads auto's engine from its note).
    engines: ['auto', ...(dawn ? (['fused-webgpu'] as const) : []), 'tfjs'],
    roundSeconds: Number(process.env.BENCH_ROUND_SECONDS ?? 0.5),
    rounds: 3,
    only,
  })),
);
gpu?.device.destroy();
console.log(JSON.stringify({ environment: 'node', backend: 'cpu', adapter: adapterInfo, rows }));
