// fused-webgpu on convolutional networks in Node: Dawn through the `webgpu` package on SwiftShader
// (as webgpu.test.tsx). Parity with the tfjs engine after 100 seeded steps — 20 rows of 6×6×2 in
// batches of 5, 25 epochs — for each image layer alone (the cases of cnnCases.tsx, shared with
// fused-cnn.test.tsx, and the ones only this file has) and for the course CNN, in both shader shapes;
// engine hand-off with BatchNorm running stats; a live edit; no leaked tensors or GPU buffers.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create, globals } from 'webgpu';
import { ReLU, Tanh } from '../../../layers/activation';
import { Conv2d } from '../../../layers/conv';
import { Dropout } from '../../../layers/core';
import { BatchNorm2d } from '../../../layers/norm';
import { MaxPool2d } from '../../../layers/pool';
import { renderModel } from '../../../react/renderModel';
import { createTrainer, type EngineName } from '../../trainer';
import { fusedGpuBufferCount, gpuTuning, lastFusedShaderShape, probeWebGPU } from '../fused/webgpu';
import {
  adam,
  type CnnCase,
  courseCases,
  courseCnn,
  head,
  hundredSteps,
  layerCases,
  readWeight,
  STEPS,
  sgdMomentum,
  trainCnnInPhases,
} from './cnnCases';
import { images } from './images';
import { maxDiff, maxWeight, trainWith } from './parity';

const TOL = 1e-5;
const H = 6;
const W = 6;
const CH = 2;
const net = { inputShape: [H, W, CH], seed: 5, backend: 'cpu' as const };
const measured: string[] = [];
let available = false;

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
  if (!available) throw new Error(`no WebGPU device for the fused-webgpu CNN tests: ${probe.why}`);
});

afterAll(() => {
  if (measured.length)
    console.info(
      `fused-webgpu (Dawn/SwiftShader) on CNNs, max |Δweight| after ${STEPS} steps:\n  ${measured.join('\n  ')}`,
    );
});

// 20 rows (of 6×6×2, whatever a case's channels), batch 5 → 4 steps per epoch × 25 epochs = 100 steps.
const ROWS = 20;
const adamOptions = hundredSteps(adam, ROWS);

interface GpuCase extends CnnCase {
  /** The engine the GPU is compared with (default tfjs; fused-cpu where tfjs cannot train the layer). */
  reference?: EngineName;
}

/** The cases only fused-webgpu has, beside the shared layerCases. */
const gpuLayerCases: GpuCase[] = [
  {
    // tfjs has no gradient for dilated convolutions: fused-cpu's is checked against central
    // differences of tfjs' forward loss in fused-cnn.test.tsx, and fused-webgpu against fused-cpu here.
    name: 'Conv2d dilation 2, padding 2, bias (compared with fused-cpu)',
    tree: () => head(<Conv2d key="c" outChannels={3} kernelSize={3} dilation={2} padding={2} />, <Tanh key="t" />),
    optimizer: adam,
    reference: 'fused-cpu',
  },
  {
    name: 'BatchNorm2d frozen (trainable false: normalises with its running statistics, which stay put)',
    tree: () =>
      head(
        <Conv2d key="c" outChannels={3} kernelSize={3} />,
        <BatchNorm2d key="bn" trainable={false} />,
        <ReLU key="r" />,
      ),
    optimizer: sgdMomentum,
  },
];

/** Trains a case on its reference engine and on fused-webgpu in the given shader shape; they agree to 1e-5. */
async function expectParity(c: GpuCase, shape: 'fused' | 'split'): Promise<void> {
  const tensors = tf.memory().numTensors;
  const buffers = fusedGpuBufferCount();
  const rows = c.rows ?? ROWS;
  const data = images(rows, H, W, CH);
  const options = hundredSteps(c.optimizer, rows);
  const before = gpuTuning.splitAbove;
  try {
    const reference = c.reference ?? 'tfjs';
    const a = await trainWith(reference, c.tree(), data, options, net);
    if (shape === 'split') gpuTuning.splitAbove = 0;
    const g = await trainWith('fused-webgpu', c.tree(), data, options, net);
    gpuTuning.splitAbove = before;
    expect(lastFusedShaderShape()).toBe(shape);
    expect(a.snapshot.engine.name).toBe(reference);
    expect(g.snapshot.engine.name).toBe('fused-webgpu');
    expect(g.snapshot.step).toBe(STEPS);
    expect(a.snapshot.step).toBe(STEPS);
    const d = maxDiff(a, g);
    measured.push(
      `${shape} ${c.name}: ${d.toExponential(2)} vs ${reference} (weights up to ${maxWeight(a).toFixed(2)})`,
    );
    expect(d).toBeLessThan(TOL);
    a.snapshot.history.loss.forEach((l, i) => {
      expect(Math.abs(l - (g.snapshot.history.loss[i] as number))).toBeLessThan(TOL);
    });
    // Training did something: the loss fell.
    const losses = g.snapshot.history.loss;
    expect(losses.at(-1) as number).toBeLessThan(losses[0] as number);
  } finally {
    gpuTuning.splitAbove = before;
    data.dispose();
  }
  expect(tf.memory().numTensors).toBe(tensors);
  expect(fusedGpuBufferCount()).toBe(buffers);
}

describe(`fused-webgpu matches tfjs on CNNs after ${STEPS} seeded steps (|Δweight| < 1e-5, running stats included)`, () => {
  for (const c of [...layerCases, ...gpuLayerCases, ...courseCases]) {
    it(c.name, async () => {
      await expectParity(c, 'fused');
    });
  }
  // The split shader (a dispatch per phase over many workgroups, what larger images get) runs the
  // same phases: the course CNN and the BatchNorm2d net again, forced split.
  const courseAdam = courseCases[1] as CnnCase;
  it(`split shader: ${courseAdam.name}`, async () => {
    await expectParity(courseAdam, 'split');
  });
  it('split shader: conv stride 2 · BatchNorm2d · ReLU · MaxPool2d + sgd momentum', async () => {
    await expectParity(
      {
        name: 'conv s2 · BatchNorm2d · ReLU · MaxPool2d + sgd momentum',
        tree: () =>
          head(
            <Conv2d key="c" outChannels={4} kernelSize={3} stride={2} padding={1} bias={false} />,
            <BatchNorm2d key="bn" />,
            <ReLU key="r" />,
            <MaxPool2d key="p" kernelSize={2} />,
          ),
        optimizer: sgdMomentum,
      },
      'split',
    );
  });
});

describe('fused-webgpu on CNNs: engine choice, hand-off, live edits, clean-up', () => {
  it('fused-webgpu asked for by name runs a CNN (no fallback to fused-cpu), saying where', async () => {
    const data = images(10, H, W, CH);
    const model = await renderModel(courseCnn(), net);
    const t = createTrainer(model, { data, ...adamOptions, epochs: 1, engine: 'fused-webgpu' });
    try {
      const snap = await t.fit();
      expect(snap.status).toBe('done');
      expect(snap.engine.name).toBe('fused-webgpu');
      expect(snap.engine.reason).toMatch(/^requested \(on a software WebGPU adapter .*\) — on WebGPU/);
    } finally {
      t.dispose();
      model.dispose();
      data.dispose();
    }
  });

  it('tfjs → fused-webgpu → fused-cpu → tfjs hands over Adam state and BatchNorm running stats: the weights of tfjs throughout', async () => {
    const run = (switches: boolean) =>
      trainCnnInPhases(['tfjs', 'fused-webgpu', 'fused-cpu', 'tfjs'], switches, {
        rows: 20,
        epochsPerPhase: 3,
        net,
      });
    const buffers = fusedGpuBufferCount();
    const switched = await run(true);
    const straight = await run(false);
    expect(switched.names).toContain('Sequential/BatchNorm2d-kbn/moving_variance');
    const d = maxDiff(switched, straight);
    measured.push(`adam, BatchNorm2d, tfjs → fused-webgpu → fused-cpu → tfjs vs tfjs: ${d.toExponential(2)}`);
    expect(d).toBeLessThan(TOL);
    expect(fusedGpuBufferCount()).toBe(buffers);
  });

  it('changing outChannels during fused-webgpu training keeps the unchanged weights and keeps training', async () => {
    const tree = (outChannels: number) =>
      head(
        <Conv2d key="c1" outChannels={3} kernelSize={3} padding={1} />,
        <ReLU key="r1" />,
        <Conv2d key="c2" outChannels={outChannels} kernelSize={3} />,
        <ReLU key="r2" />,
        <MaxPool2d key="p" kernelSize={2} />,
      );
    const tensors = tf.memory().numTensors;
    const buffers = fusedGpuBufferCount();
    const data = images(20, H, W, CH);
    const model = await renderModel(tree(2), net);
    const read = (name: string) => readWeight(model, name);
    let kept: { before: number[]; after: number[] } | null = null;
    let after: number[] = [];
    const t = createTrainer(model, {
      data,
      ...adamOptions,
      epochs: 20,
      engine: 'fused-webgpu',
      onEpochEnd: async (epoch) => {
        if (epoch !== 7) return;
        const before = read('Sequential/Conv2d-kc1/kernel');
        await model.update(tree(4));
        after = read('Sequential/Conv2d-kc1/kernel');
        kept = { before, after };
      },
    });
    try {
      const snap = await t.fit();
      expect(snap.status).toBe('done');
      expect(snap.step).toBe(80);
      expect(snap.engine.name).toBe('fused-webgpu');
      expect(kept).not.toBeNull();
      const k = kept as unknown as { before: number[]; after: number[] };
      expect(k.before.length).toBe(3 * 3 * CH * 3);
      expect(k.after).toEqual(k.before);
      expect(model.model.getLayer('Sequential/Conv2d-kc2').getWeights()[0]?.shape).toEqual([3, 3, 3, 4]);
      // Still learning after the edit, with finite losses; the kept conv trained on.
      const losses = snap.history.loss;
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1) as number).toBeLessThan(losses[8] as number);
      expect(read('Sequential/Conv2d-kc1/kernel')).not.toEqual(after);
    } finally {
      t.dispose();
      model.dispose();
      data.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(fusedGpuBufferCount()).toBe(buffers);
  });

  it('frees every GPU buffer it created and every tensor after stop() and dispose', async () => {
    const tensors = tf.memory().numTensors;
    const buffers = fusedGpuBufferCount();
    const data = images(20, H, W, CH);
    const model = await renderModel(
      head(
        <Conv2d key="c" outChannels={3} kernelSize={3} />,
        <BatchNorm2d key="bn" />,
        <ReLU key="r" />,
        <MaxPool2d key="p" kernelSize={2} />,
        <Dropout key="d" p={0.2} />,
      ),
      net,
    );
    let steps = 0;
    const t = createTrainer(model, {
      data,
      ...adamOptions,
      epochs: 100_000,
      engine: 'fused-webgpu',
      onStep: (step) => {
        steps = step;
      },
    });
    const run = t.fit();
    for (let i = 0; i < 400 && steps < 20; i++) await new Promise((r) => setTimeout(r, 25));
    // Params, optimizer slots, work, batches, constants, masks, readback.
    expect(fusedGpuBufferCount()).toBeGreaterThanOrEqual(buffers + 7);
    t.stop();
    const snap = await run;
    expect(snap.status).toBe('stopped');
    expect(snap.engine.name).toBe('fused-webgpu');
    expect(snap.step).toBeGreaterThanOrEqual(20);
    t.dispose();
    expect(fusedGpuBufferCount()).toBe(buffers);
    model.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
