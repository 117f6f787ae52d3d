// fused-webgpu on convolutional networks in Node: Dawn through the `webgpu` package on SwiftShader
// (as webgpu.test.tsx). Parity with the tfjs engine after 100 seeded steps — 20 rows of 6×6×2 in
// batches of 5, 25 epochs, as for fused-cpu — for each image layer alone and for the course CNN, in both shader shapes; engine
// hand-off with BatchNorm running stats; a live edit; no leaked tensors or GPU buffers.
import * as tf from '@tensorflow/tfjs';
import type { ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create, globals } from 'webgpu';
import { ReLU, Tanh } from '../../../layers/activation';
import { Sequential } from '../../../layers/containers';
import { Conv2d } from '../../../layers/conv';
import { Dropout, Flatten, Linear } from '../../../layers/core';
import { BatchNorm1d, BatchNorm2d } from '../../../layers/norm';
import { AvgPool2d, MaxPool2d } from '../../../layers/pool';
import { renderModel } from '../../../react/renderModel';
import { createTrainer, type EngineName } from '../../trainer';
import { fusedGpuBufferCount, gpuTuning, lastFusedShaderShape, probeWebGPU } from '../fused/webgpu';
import { images } from './images';
import { type EngineRun, maxDiff, maxWeight, type RunOptions, runOf, trainWith } from './parity';

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

// 20 rows, batch 5 → 4 steps per epoch × 25 epochs = 100 steps.
const base = { batchSize: 5, epochs: 25, loss: 'crossEntropy' } as const;
const sgdMomentum: RunOptions = { ...base, optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 } };
const adam: RunOptions = { ...base, optimizer: { type: 'adam', lr: 0.005 } };
const STEPS = 100;

const head = (...layers: ReactNode[]) => (
  <Sequential>
    {layers}
    <Flatten />
    <Linear outFeatures={3} />
  </Sequential>
);

const courseCnn = () =>
  head(<Conv2d key="c" outChannels={8} kernelSize={3} />, <ReLU key="r" />, <MaxPool2d key="p" kernelSize={2} />);

interface CnnCase {
  name: string;
  tree: () => ReactNode;
  options: RunOptions;
  /** The engine the GPU is compared with (default tfjs; fused-cpu where tfjs cannot train the layer). */
  reference?: EngineName;
  /** Rows of data (default 20; batches as the options say, always 100 steps). */
  rows?: number;
}

const layerCases: CnnCase[] = [
  {
    name: 'Conv2d stride 2, padding 1, no bias',
    tree: () => head(<Conv2d key="c" outChannels={4} kernelSize={3} stride={2} padding={1} bias={false} />),
    options: sgdMomentum,
  },
  {
    // tfjs has no gradient for dilated convolutions: fused-cpu's is checked against central
    // differences of tfjs' forward loss in fused-cnn.test.tsx, and fused-webgpu against fused-cpu here.
    name: 'Conv2d dilation 2, padding 2, bias (compared with fused-cpu)',
    tree: () => head(<Conv2d key="c" outChannels={3} kernelSize={3} dilation={2} padding={2} />, <Tanh key="t" />),
    options: adam,
    reference: 'fused-cpu',
  },
  {
    name: "Conv2d padding 'same', kernel [3, 2]",
    tree: () => head(<Conv2d key="c" outChannels={3} kernelSize={[3, 2]} padding="same" />),
    options: adam,
  },
  {
    name: 'MaxPool2d k2 after conv and ReLU (ties at zeros)',
    tree: () =>
      head(<Conv2d key="c" outChannels={3} kernelSize={3} />, <ReLU key="r" />, <MaxPool2d key="p" kernelSize={2} />),
    options: sgdMomentum,
  },
  {
    name: 'MaxPool2d k3 stride 2 padding 1 (overlapping windows)',
    tree: () =>
      head(
        <Conv2d key="c" outChannels={2} kernelSize={1} />,
        <MaxPool2d key="p" kernelSize={3} stride={2} padding={1} />,
      ),
    options: adam,
  },
  {
    name: 'AvgPool2d k2, and k3 stride 2 padding 1',
    tree: () =>
      head(
        <Conv2d key="c" outChannels={2} kernelSize={3} padding={1} />,
        <AvgPool2d key="a" kernelSize={2} />,
        <AvgPool2d key="b" kernelSize={3} stride={2} padding={1} />,
      ),
    options: sgdMomentum,
  },
  {
    name: 'BatchNorm2d (batch statistics, running mean and unbiased variance)',
    tree: () =>
      head(<Conv2d key="c" outChannels={3} kernelSize={3} bias={false} />, <BatchNorm2d key="bn" momentum={0.2} />),
    options: adam,
  },
  {
    name: 'BatchNorm2d frozen (trainable false: normalises with its running statistics, which stay put)',
    tree: () =>
      head(
        <Conv2d key="c" outChannels={3} kernelSize={3} />,
        <BatchNorm2d key="bn" trainable={false} />,
        <ReLU key="r" />,
      ),
    options: sgdMomentum,
  },
  {
    name: 'BatchNorm1d after a Linear',
    tree: () => (
      <Sequential>
        <Flatten />
        <Linear outFeatures={6} />
        <BatchNorm1d />
        <Tanh />
        <Linear outFeatures={3} />
      </Sequential>
    ),
    // Batches of 10: normalising 6 features over 5 rows is ill-conditioned — measured, even
    // fused-cpu and tfjs drift 7.6e-6 apart there (float64 vs float32 sums), fused-webgpu 1.8e-5.
    options: { ...sgdMomentum, batchSize: 10 },
    rows: 40,
  },
  {
    name: 'Dropout over a conv output (masks drawn as fused-cpu and tfjs draw them)',
    tree: () => head(<Conv2d key="c" outChannels={3} kernelSize={3} />, <Dropout key="d" p={0.3} />),
    options: sgdMomentum,
  },
];

/** Trains a case on its reference engine and on fused-webgpu in the given shader shape; they agree to 1e-5. */
async function expectParity(c: CnnCase, shape: 'fused' | 'split'): Promise<void> {
  const tensors = tf.memory().numTensors;
  const buffers = fusedGpuBufferCount();
  const data = images(c.rows ?? 20, H, W, CH);
  const before = gpuTuning.splitAbove;
  try {
    const reference = c.reference ?? 'tfjs';
    const a = await trainWith(reference, c.tree(), data, c.options, net);
    if (shape === 'split') gpuTuning.splitAbove = 0;
    const g = await trainWith('fused-webgpu', c.tree(), data, c.options, net);
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
  for (const c of layerCases) {
    it(c.name, async () => {
      await expectParity(c, 'fused');
    });
  }
  it('course CNN (Conv2d 8 k3 · ReLU · MaxPool2d 2 · Flatten · Linear) + sgd momentum', async () => {
    await expectParity({ name: 'course CNN + sgd momentum', tree: courseCnn, options: sgdMomentum }, 'fused');
  });
  it('course CNN + adam', async () => {
    await expectParity({ name: 'course CNN + adam', tree: courseCnn, options: adam }, 'fused');
  });
  // The split shader (a dispatch per phase over many workgroups, what larger images get) runs the
  // same phases: the course CNN and the BatchNorm2d net again, forced split.
  it('split shader: course CNN + adam', async () => {
    await expectParity({ name: 'course CNN + adam', tree: courseCnn, options: adam }, 'split');
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
        options: sgdMomentum,
      },
      'split',
    );
  });
});

describe('fused-webgpu on CNNs: engine choice, hand-off, live edits, clean-up', () => {
  it('fused-webgpu asked for by name runs a CNN (no fallback to fused-cpu), saying where', async () => {
    const data = images(10, H, W, CH);
    const model = await renderModel(courseCnn(), net);
    const t = createTrainer(model, { data, ...adam, epochs: 1, engine: 'fused-webgpu' });
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
    const tree = () =>
      head(
        <Conv2d key="c1" outChannels={3} kernelSize={3} bias={false} />,
        <BatchNorm2d key="bn" />,
        <ReLU key="r" />,
        <MaxPool2d key="p" kernelSize={2} />,
      );
    const phases = ['tfjs', 'fused-webgpu', 'fused-cpu', 'tfjs'] as const;
    const run = async (switches: boolean): Promise<EngineRun> => {
      const data = images(20, H, W, CH);
      const model = await renderModel(tree(), { ...net, seed: 2 });
      const t = createTrainer(model, { data, ...adam, epochs: 0, seed: 3, engine: 'tfjs' });
      try {
        for (const [i, engine] of phases.entries()) {
          if (switches) t.setOptions({ engine });
          t.setOptions({ epochs: 3 * (i + 1) });
          const snap = await t.fit();
          if (snap.error) throw snap.error;
          expect(snap.engine.name).toBe(switches ? engine : 'tfjs');
        }
        return runOf(model.model, t.getSnapshot());
      } finally {
        t.dispose();
        model.dispose();
        data.dispose();
      }
    };
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
    const read = (name: string) =>
      Array.from(
        model.model.weights
          .find((w) => w.originalName === name)
          ?.read()
          .dataSync() ?? [],
      );
    let kept: { before: number[]; after: number[] } | null = null;
    let after: number[] = [];
    const t = createTrainer(model, {
      data,
      ...adam,
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
      ...adam,
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
