// fused-webgpu in Node: Dawn through the `webgpu` package on SwiftShader (Vulkan on the CPU;
// see TOOLCHAIN.md — VK_ICD_FILENAMES is set by vitest.config.ts). tfjs itself stays on its CPU
// backend here (asked for by name: with navigator.gpu present, auto would pick tfjs' webgpu
// backend, and tfjs on SwiftShader is slow): the fused engine makes its own device.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create, globals } from 'webgpu';
import { fromArrays } from '../../../data/fromArrays';
import { moons } from '../../../data/generators';
import { ReLU } from '../../../layers/activation';
import { Sequential } from '../../../layers/containers';
import { Linear } from '../../../layers/core';
import { createRng, randn } from '../../../random';
import { renderModel } from '../../../react/renderModel';
import { createTrainer } from '../../trainer';
import { fusedGpuBufferCount, gpuTuning, lastFusedShaderShape, probeWebGPU } from '../fused/webgpu';
import { type Case, cases, mlp } from './cases';
import { maxDiff, trainInPhases, trainWith } from './parity';

let available = false;
const cpuNet = { inputShape: [2], backend: 'cpu' as const };
const measured: string[] = [];

beforeAll(async () => {
  Object.assign(globalThis, globals);
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu: create([]), userAgent: 'node' },
    configurable: true,
    writable: true,
  });
  const probe = await probeWebGPU(true);
  available = probe.device !== null;
  probe.release();
  if (!available) console.warn(`fused-webgpu tests skipped: ${probe.why}`);
});

afterAll(() => {
  if (measured.length)
    console.info(`fused-webgpu (Dawn/SwiftShader) vs tfjs, max |Δweight| after 500 steps:\n  ${measured.join('\n  ')}`);
});

describe('fused-webgpu in Node (Dawn on SwiftShader)', () => {
  it('auto does not pick a software adapter over fused-cpu, and says so', async (ctx) => {
    if (!available) ctx.skip();
    const data = moons({ n: 20, noise: 0.2, seed: 1 });
    const net = await renderModel(mlp(1, 'sigmoid'), { inputShape: [2], seed: 1, backend: 'cpu' });
    const t = createTrainer(net, { data, loss: 'bce', optimizer: { type: 'sgd', lr: 0.1 }, epochs: 1 });
    try {
      const snap = await t.fit();
      expect(snap.engine.name).toBe('fused-cpu');
      expect(snap.engine.reason).toMatch(/software WebGPU adapter .* slower than fused-cpu/);
    } finally {
      t.dispose();
      net.dispose();
      data.dispose();
    }
  });

  it('fused-webgpu asked for by name after auto turned the software adapter down: probes again and switches', async (ctx) => {
    if (!available) ctx.skip();
    const data = moons({ n: 40, noise: 0.2, seed: 1 });
    const net = await renderModel(mlp(1, 'sigmoid'), { inputShape: [2], seed: 1, backend: 'cpu' });
    const t = createTrainer(net, { data, loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 2 });
    try {
      expect((await t.fit()).engine.name).toBe('fused-cpu');
      t.setOptions({ engine: 'fused-webgpu', epochs: 4 });
      const snap = await t.fit();
      expect(snap.status).toBe('done');
      expect(snap.engine.name).toBe('fused-webgpu');
      expect(snap.engine.reason).toMatch(/^requested \(on a software WebGPU adapter/);
      expect(snap.history.loss).toHaveLength(4);
    } finally {
      t.dispose();
      net.dispose();
      data.dispose();
    }
    expect(fusedGpuBufferCount()).toBe(0);
  });

  /** Trains a case on tfjs, fused-webgpu (in the given shader shape) and fused-cpu; all agree to 1e-5. */
  async function expectParity(c: Case, shape: 'fused' | 'split', net = cpuNet): Promise<void> {
    const data = c.data();
    const before = gpuTuning.splitAbove;
    try {
      const a = await trainWith('tfjs', c.tree(), data, c.options, net);
      if (shape === 'split') gpuTuning.splitAbove = 0;
      const g = await trainWith('fused-webgpu', c.tree(), data, c.options, net);
      gpuTuning.splitAbove = before;
      expect(lastFusedShaderShape()).toBe(shape);
      const cpu = await trainWith('fused-cpu', c.tree(), data, c.options, net);
      expect(g.snapshot.engine.name).toBe('fused-webgpu');
      expect(g.snapshot.engine.reason).toMatch(/^requested \(on a software WebGPU adapter/);
      expect(g.snapshot.step).toBe(a.snapshot.step);
      const d = maxDiff(a, g);
      measured.push(`${shape} ${c.name}: ${d.toExponential(2)} (vs fused-cpu ${maxDiff(cpu, g).toExponential(2)})`);
      expect(d).toBeLessThan(1e-5);
      expect(maxDiff(cpu, g)).toBeLessThan(1e-5);
      a.snapshot.history.loss.forEach((l, i) => {
        expect(Math.abs(l - (g.snapshot.history.loss[i] as number))).toBeLessThan(1e-5);
      });
    } finally {
      gpuTuning.splitAbove = before;
      data.dispose();
    }
  }

  for (const c of cases) {
    it(`parity with tfjs and fused-cpu after 500 steps (|Δweight| < 1e-5, relative above 1): ${c.name}`, async (ctx) => {
      if (!available) ctx.skip();
      await expectParity(c, 'fused');
    });
  }

  // The split shader (a dispatch per phase, over many workgroups) runs the same phases: every
  // case again, forced split, must give the same weights.
  for (const c of cases) {
    it(`split shader: parity with tfjs and fused-cpu after 500 steps: ${c.name}`, async (ctx) => {
      if (!available) ctx.skip();
      await expectParity(c, 'split');
    });
  }

  it('a wide layer (100-96-10, crossEntropy, momentum) trains split by default, as tfjs does', async (ctx) => {
    if (!available) ctx.skip();
    // 9,600 weights in the first layer's gradient: above gpuTuning.splitAbove, so split without forcing.
    const rng = createRng(11);
    const n = 64;
    const x = Float32Array.from({ length: n * 100 }, () => randn(rng));
    const y = Array.from({ length: n }, (_v, i) => i % 10);
    await expectParity(
      {
        name: '100-96-10',
        tree: () => (
          <Sequential>
            <Linear outFeatures={96} />
            <ReLU />
            <Linear outFeatures={10} />
          </Sequential>
        ),
        data: () => fromArrays({ x: { data: x, shape: [n, 100] }, y, numClasses: 10 }),
        // 4 steps an epoch × 15 epochs = 60 steps.
        options: {
          batchSize: 16,
          epochs: 15,
          loss: 'crossEntropy',
          optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
        },
      },
      'split',
      { inputShape: [100], backend: 'cpu' as const },
    );
  });

  it('tfjs → fused-webgpu → fused-cpu → tfjs trains the same weights as tfjs throughout (Adam state handed over)', async (ctx) => {
    if (!available) ctx.skip();
    const phases = ['tfjs', 'fused-webgpu', 'fused-cpu', 'tfjs'] as const;
    const plain = await trainInPhases(phases, false, 'cpu');
    const switched = await trainInPhases(phases, true, 'cpu');
    const d = maxDiff(plain.run, switched.run);
    measured.push(`adam, tfjs → fused-webgpu → fused-cpu → tfjs vs tfjs: ${d.toExponential(2)}`);
    expect(d).toBeLessThan(1e-5);
    expect(switched.stepsSeen.map((s) => s['Sequential/Linear_2/bias'])).toEqual([15, 30, 45, 60]);
    expect(fusedGpuBufferCount()).toBe(0);
  });

  it('frees every GPU buffer and tensor after stop() and dispose', async (ctx) => {
    if (!available) ctx.skip();
    const tensors = tf.memory().numTensors;
    const buffers = fusedGpuBufferCount();
    const data = moons({ n: 200, noise: 0.2, seed: 1 });
    const net = await renderModel(mlp(1, 'sigmoid'), { inputShape: [2], seed: 1, backend: 'cpu' });
    const t = createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 10,
      epochs: 100_000,
      engine: 'fused-webgpu',
      onStep: (step) => {
        steps = step;
      },
    });
    let steps = 0;
    const run = t.fit();
    for (let i = 0; i < 200 && steps < 50; i++) await new Promise((r) => setTimeout(r, 25));
    expect(fusedGpuBufferCount()).toBeGreaterThan(buffers);
    t.stop();
    const snap = await run;
    expect(snap.status).toBe('stopped');
    expect(snap.engine.name).toBe('fused-webgpu');
    expect(snap.step).toBeGreaterThanOrEqual(50);
    t.dispose();
    expect(fusedGpuBufferCount()).toBe(buffers);
    net.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
