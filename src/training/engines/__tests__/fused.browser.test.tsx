// The fused engines in Chromium: fused-cpu in a Web Worker (the page stays responsive while it trains) and
// fused-webgpu on SwiftShader (an MLP and a CNN). Kept small: SwiftShader runs WebGPU on the CPU, and 2 cores are shared.
import * as tf from '@tensorflow/tfjs';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { fromArrays } from '../../../data/fromArrays';
import { moons } from '../../../data/generators';
import type { AnalyzedGraph } from '../../../graph/types';
import { ReLU, Sigmoid, Tanh } from '../../../layers/activation';
import { Sequential } from '../../../layers/containers';
import { Conv2d } from '../../../layers/conv';
import { Dropout, Flatten, Linear } from '../../../layers/core';
import { BatchNorm1d, BatchNorm2d } from '../../../layers/norm';
import { AvgPool2d, MaxPool2d } from '../../../layers/pool';
import { renderModel } from '../../../react/renderModel';
import { createOptimizer } from '../../optimizers';
import { createTrainer } from '../../trainer';
import { createFusedCpuEngine } from '../fused/cpu';
import { fusedGpuBufferCount, gpuTuning, lastFusedShaderShape } from '../fused/webgpu';
import { OrderBlock } from '../orderBlock';
import { type EngineRun, maxDiff, plainStepConfig, type RunOptions, trainWith } from './parity';

const tree = (hidden = 16, second = 8) => (
  <Sequential>
    <Linear outFeatures={hidden} />
    <ReLU />
    <Dropout p={0.2} />
    <Linear outFeatures={second} />
    <Tanh />
    <Linear outFeatures={1} />
    <Sigmoid />
  </Sequential>
);

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** Conv2d 4 k3 stride 2 (no bias) · BatchNorm2d · ReLU · MaxPool2d 2 · Flatten · Linear 3. */
const convS2BnPool = () => (
  <Sequential>
    <Conv2d outChannels={4} kernelSize={3} stride={2} padding={1} bias={false} />
    <BatchNorm2d />
    <ReLU />
    <MaxPool2d kernelSize={2} />
    <Flatten />
    <Linear outFeatures={3} />
  </Sequential>
);

/**
 * Trains a CNN for 100 steps on tfjs and on `engine` (the model on tfjs' cpu backend): `rows` images of
 * `shape` (values sin(i·k)/2 through the flat data, classes 0, 1, 2 in turn) in batches of rows/4,
 * 25 epochs of cross-entropy. Expects the same weights (1e-5), and every tensor and GPU buffer freed;
 * returns `engine`'s run for the checks a case adds.
 */
async function expectCnnParity(
  engine: 'fused-cpu' | 'fused-webgpu',
  c: {
    tree: () => ReactNode;
    optimizer: RunOptions['optimizer'];
    rows: number;
    shape: [number, number, number];
    k?: number;
  },
): Promise<EngineRun> {
  const start = tf.memory().numTensors;
  const buffers = fusedGpuBufferCount();
  const n = c.rows;
  const size = c.shape[0] * c.shape[1] * c.shape[2];
  const k = c.k ?? 12.9898;
  const data = fromArrays({
    x: { data: Float32Array.from({ length: n * size }, (_v, i) => Math.sin(i * k) * 0.5), shape: [n, ...c.shape] },
    y: Array.from({ length: n }, (_v, i) => i % 3),
    task: 'multiclass',
  });
  // 4 steps an epoch × 25 epochs.
  const o: RunOptions = { loss: 'crossEntropy', optimizer: c.optimizer, batchSize: n / 4, epochs: 25 };
  const net = { inputShape: c.shape, backend: 'cpu' as const };
  let run: EngineRun;
  try {
    const a = await trainWith('tfjs', c.tree(), data, o, net);
    run = await trainWith(engine, c.tree(), data, o, net);
    expect(run.snapshot.engine.name).toBe(engine);
    expect(run.snapshot.step).toBe(100);
    expect(maxDiff(a, run)).toBeLessThan(1e-5);
  } finally {
    data.dispose();
  }
  expect(fusedGpuBufferCount()).toBe(buffers);
  expect(tf.memory().numTensors).toBe(start);
  return run;
}

describe('fused engines in Chromium', () => {
  it('auto trains on fused-cpu in a Web Worker while the page keeps rendering', async () => {
    const start = tf.memory().numTensors;
    const data = moons({ n: 1000, noise: 0.2, seed: 1 });
    const net = await renderModel(tree(), { inputShape: [2], seed: 1 });
    // More work than any machine finishes quickly: the test stops it once the page has shown enough
    // (a Worker chunk trains hundreds of epochs of this set in 50 ms, so a fixed epoch count is no
    // measure of "spans many frames").
    const t = createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 10,
      epochs: 1_000_000,
      seed: 1,
    });
    // A tiny UI: the epoch shown by a subscriber, and a requestAnimationFrame loop that paints a counter.
    const epochView = document.createElement('output');
    const frames = document.createElement('output');
    document.body.append(epochView, frames);
    const shownEpochs = new Set<number>();
    const unsubscribe = t.subscribe(() => {
      const e = t.getSnapshot().epoch;
      epochView.textContent = String(e);
      shownEpochs.add(e);
    });
    let painted = 0;
    let paintedWhileRunning = 0;
    let running = true;
    const paint = () => {
      painted++;
      frames.textContent = String(painted);
      if (running && t.status === 'running') paintedWhileRunning++;
      if (running) requestAnimationFrame(paint);
    };
    requestAnimationFrame(paint);
    try {
      const run = t.fit();
      while (shownEpochs.size <= 5 || paintedWhileRunning <= 10) await frame();
      t.stop();
      const snap = await run;
      running = false;
      expect(snap.status).toBe('stopped');
      expect(snap.engine.name).toBe('fused-cpu');
      expect(snap.engine.reason).toMatch(
        /^auto: every layer, the loss and the optimizer are supported; .*— in a Web Worker$/,
      );
      // The page painted and the store published many times while the Worker trained.
      expect(paintedWhileRunning).toBeGreaterThan(10);
      expect(shownEpochs.size).toBeGreaterThan(5);
      expect(Number(frames.textContent)).toBe(painted);
      expect(snap.history.loss.at(-1) as number).toBeLessThan((snap.history.loss[0] as number) * 0.8);
    } finally {
      running = false;
      unsubscribe();
      epochView.remove();
      frames.remove();
      t.dispose();
      net.dispose();
      data.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('the Worker computes what tfjs computes: same weights after 200 steps with dropout (1e-5)', async () => {
    const data = moons({ n: 100, noise: 0.2, seed: 2 });
    const o: RunOptions = {
      loss: 'bce',
      optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
      batchSize: 10,
      epochs: 20,
    };
    try {
      const a = await trainWith('tfjs', tree(), data, o, { inputShape: [2], backend: 'cpu' });
      const b = await trainWith('fused-cpu', tree(), data, o, { inputShape: [2], backend: 'cpu' });
      expect(b.snapshot.engine.reason).toMatch(/in a Web Worker$/);
      expect(maxDiff(a, b)).toBeLessThan(1e-5);
    } finally {
      data.dispose();
    }
  });

  it('the Worker builds the epoch orders itself, in parts: 600 shuffled epochs give the in-thread kernel’s weights bit for bit', async () => {
    const data = moons({ n: 100, noise: 0.2, seed: 4 });
    // 600 epochs of 100 rows: more than the Worker builds for one chunk, so it builds the block as chunks reach it.
    const source = { size: 100, seed: 9, shuffle: true, from: 0, count: 600 };
    const run = async (worker: boolean) => {
      const net = await renderModel(tree(), { inputShape: [2], seed: 5, backend: 'cpu' });
      const engine = createFusedCpuEngine({ worker });
      const optimizer = createOptimizer({ type: 'adam', lr: 0.01 });
      const config = plainStepConfig('bce', optimizer);
      const block = OrderBlock.of(source);
      const sums: number[] = [];
      try {
        // As the trainer's cursor walks a block: completed epochs move the view on.
        let view: OrderBlock | null = block;
        let offset = 0;
        let lossSum = 0;
        while (view) {
          const r = await engine.runChunk({
            net: net.net,
            model: net.model,
            graph: net.net.graph as AnalyzedGraph,
            x: data.x,
            y: data.y,
            order: view,
            epochSize: 100,
            offset,
            batchSize: 10,
            maxSteps: Number.POSITIVE_INFINITY,
            lossSum,
            config,
          });
          sums.push(...r.epochLossSums);
          const done = r.epochLossSums.length * 100;
          offset += r.samples - done;
          lossSum = r.lossSum;
          view = done < view.length ? view.skip(done) : null;
        }
        return { sums, weights: net.model.weights.map((w) => Array.from(w.read().dataSync())), read: block.read };
      } finally {
        engine.dispose();
        optimizer.dispose();
        net.dispose();
      }
    };
    try {
      const inWorker = await run(true);
      const inThread = await run(false);
      expect(inWorker.read).toBe(false);
      expect(inThread.read).toBe(true);
      expect(inWorker.sums).toHaveLength(600);
      expect(inWorker.sums).toEqual(inThread.sums);
      expect(inWorker.weights).toEqual(inThread.weights);
    } finally {
      data.dispose();
    }
  });

  it('a live edit while a Worker chunk is in flight keeps the kept weights and trains on', async () => {
    const data = moons({ n: 400, noise: 0.2, seed: 3 });
    const net = await renderModel(tree(16), { inputShape: [2], seed: 3 });
    const t = createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 8,
      // Stopped by the test (see above): a fixed count could end before the edit lands.
      epochs: 1_000_000,
    });
    try {
      const run = t.fit();
      while (t.getSnapshot().epoch < 3) await frame();
      const first = () => Array.from(net.model.getLayer('Sequential/Linear_0').getWeights()[0]?.dataSync() ?? []);
      const before = first();
      await net.update(tree(16, 12));
      expect(first()).toEqual(before);
      expect(t.getSnapshot().status).toBe('running');
      // Train on for a few more chunks after the edit.
      const atEdit = t.getSnapshot().epoch;
      let chunks = 0;
      while (chunks < 3) {
        const e = t.getSnapshot().epoch;
        await frame();
        if (t.getSnapshot().epoch > Math.max(e, atEdit)) chunks++;
      }
      t.stop();
      const snap = await run;
      expect(snap.status).toBe('stopped');
      expect(snap.engine.name).toBe('fused-cpu');
      // Still the same lineage: the kept layer moved on from where it was, and the loss kept falling.
      expect(first()).not.toEqual(before);
      expect(snap.history.loss.at(-1) as number).toBeLessThan(snap.history.loss[2] as number);
      expect(net.summary().layers.find((l) => l.path === 'Sequential > Linear[1]')?.outputShape).toEqual([12]);
    } finally {
      t.dispose();
      net.dispose();
      data.dispose();
    }
  });

  it('fused-webgpu (SwiftShader) matches tfjs after 100 steps, and frees its GPU buffers', async () => {
    const buffers = fusedGpuBufferCount();
    const data = moons({ n: 100, noise: 0.2, seed: 4 });
    const o: RunOptions = { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 10, epochs: 10 };
    try {
      const a = await trainWith('tfjs', tree(), data, o, { inputShape: [2], backend: 'cpu' });
      const g = await trainWith('fused-webgpu', tree(), data, o, { inputShape: [2], backend: 'cpu' });
      expect(g.snapshot.engine.name).toBe('fused-webgpu');
      expect(g.snapshot.engine.reason).toMatch(/^requested \(on a software WebGPU adapter/);
      expect(maxDiff(a, g)).toBeLessThan(1e-5);
    } finally {
      data.dispose();
    }
    expect(fusedGpuBufferCount()).toBe(buffers);
  });

  it("fused-webgpu's split shader (a dispatch per phase, many workgroups) matches tfjs in Chromium too", async () => {
    const data = moons({ n: 100, noise: 0.2, seed: 4 });
    const o: RunOptions = {
      loss: 'bce',
      optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
      batchSize: 10,
      epochs: 5,
    };
    const before = gpuTuning.splitAbove;
    try {
      const a = await trainWith('tfjs', tree(), data, o, { inputShape: [2], backend: 'cpu' });
      gpuTuning.splitAbove = 0;
      const g = await trainWith('fused-webgpu', tree(), data, o, { inputShape: [2], backend: 'cpu' });
      expect(lastFusedShaderShape()).toBe('split');
      expect(g.snapshot.engine.name).toBe('fused-webgpu');
      expect(maxDiff(a, g)).toBeLessThan(1e-5);
    } finally {
      gpuTuning.splitAbove = before;
      data.dispose();
    }
  });

  it('a lost WebGPU device mid-run: training goes on on fused-cpu from the synced weights, the reason in the snapshot', async () => {
    // Catch the device the engine's probe makes (the model itself runs on tfjs' cpu backend).
    const devices: GPUDevice[] = [];
    const requestDevice = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor) {
      const device = await requestDevice.call(this, descriptor);
      devices.push(device);
      return device;
    };
    const start = tf.memory().numTensors;
    const data = moons({ n: 200, noise: 0.2, seed: 1 });
    const net = await renderModel(tree(), { inputShape: [2], seed: 1, backend: 'cpu' });
    const t = createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 10,
      epochs: 40,
      seed: 1,
      engine: 'fused-webgpu',
    });
    let lostAtEpoch = -1;
    let synced: number[] = [];
    const unsubscribe = t.subscribe(() => {
      const s = t.getSnapshot();
      if (lostAtEpoch >= 0 || s.epoch < 5 || s.engine.name !== 'fused-webgpu') return;
      lostAtEpoch = s.epoch;
      synced = Array.from(net.model.weights[0]?.read().dataSync() ?? []);
      for (const d of devices) d.destroy();
    });
    try {
      const snap = await t.fit();
      expect(lostAtEpoch).toBeGreaterThanOrEqual(5);
      expect(snap.error?.message).toBeUndefined();
      expect(snap.status).toBe('done');
      expect(snap.step).toBe(800);
      expect(snap.engine.name).toBe('fused-cpu');
      expect(snap.engine.reason).toMatch(
        /^fused-webgpu stopped: the WebGPU device was lost \(destroyed.*\); training goes on on fused-cpu — in a Web Worker$/,
      );
      // Trained on from the weights it had: finite, moved on, and the loss kept falling.
      const end = Array.from(net.model.weights[0]?.read().dataSync() ?? []);
      expect(synced.length).toBeGreaterThan(0);
      expect(end.every(Number.isFinite)).toBe(true);
      expect(end).not.toEqual(synced);
      const losses = snap.history.loss;
      expect(losses.at(-1) as number).toBeLessThan(losses[lostAtEpoch - 1] as number);
    } finally {
      unsubscribe();
      GPUAdapter.prototype.requestDevice = requestDevice;
      t.dispose();
      net.dispose();
      data.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('a CNN (conv stride 2, BatchNorm2d, max pool) trains on fused-webgpu (SwiftShader) to the weights of tfjs (1e-5), freeing its GPU buffers', async () => {
    // 20 rows of 6×6×2 in batches of 5, 25 epochs: 100 steps.
    const g = await expectCnnParity('fused-webgpu', {
      tree: convS2BnPool,
      optimizer: { type: 'adam', lr: 0.005 },
      rows: 20,
      shape: [6, 6, 2],
    });
    expect(g.snapshot.engine.reason).toMatch(/^requested \(on a software WebGPU adapter/);
    expect(g.names).toContain('Sequential/BatchNorm2d_0/moving_variance');
  });

  // Both benchmark nets and the layers the case above lacks, on 10×10×1 images (the deeper net
  // pools twice): 20 rows in batches of 5, 25 epochs = 100 steps, against tfjs to 1e-5.
  const gpuCases: { name: string; tree: () => ReactNode; optimizer: RunOptions['optimizer']; rows?: number }[] = [
    {
      name: 'the course CNN (Conv2d 8 k3 · ReLU · MaxPool2d 2 · Flatten · Linear), SGD with momentum',
      tree: () => (
        <Sequential>
          <Conv2d outChannels={8} kernelSize={3} />
          <ReLU />
          <MaxPool2d kernelSize={2} />
          <Flatten />
          <Linear outFeatures={3} />
        </Sequential>
      ),
      optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
    },
    {
      name: 'the deeper CNN (Conv2d 16 · BatchNorm2d · ReLU · MaxPool · Conv2d 32 · ReLU · MaxPool · Linear), Adam',
      tree: () => (
        <Sequential>
          <Conv2d outChannels={16} kernelSize={3} bias={false} />
          <BatchNorm2d />
          <ReLU />
          <MaxPool2d kernelSize={2} />
          <Conv2d outChannels={32} kernelSize={3} />
          <ReLU />
          <MaxPool2d kernelSize={2} />
          <Flatten />
          <Linear outFeatures={3} />
        </Sequential>
      ),
      optimizer: { type: 'adam', lr: 0.001 },
    },
    {
      name: 'AvgPool2d k3 s2 p1 and BatchNorm1d after Flatten, Adam',
      tree: () => (
        <Sequential>
          <Conv2d outChannels={3} kernelSize={3} padding={1} />
          <Tanh />
          <AvgPool2d kernelSize={3} stride={2} padding={1} />
          <Flatten />
          <BatchNorm1d />
          <Linear outFeatures={3} />
        </Sequential>
      ),
      optimizer: { type: 'adam', lr: 0.005 },
      // 40 rows in batches of 10: BatchNorm1d over 5 rows is ill-conditioned (float64 vs float32
      // sums drift ~1e-5 apart even between fused-cpu and tfjs; webgpu-cnn.test.tsx measures it).
      rows: 40,
    },
  ];
  it.each(gpuCases)('fused-webgpu (SwiftShader) matches tfjs after 100 steps (1e-5): $name', async (c) => {
    await expectCnnParity('fused-webgpu', { ...c, rows: c.rows ?? 20, shape: [10, 10, 1], k: 78.233 });
  });

  it('a CNN (conv, BatchNorm2d, max pool) trains in the fused-cpu Worker to the same weights as tfjs (1e-5)', async () => {
    const b = await expectCnnParity('fused-cpu', {
      tree: convS2BnPool,
      optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
      rows: 20,
      shape: [8, 8, 1],
    });
    expect(b.snapshot.engine).toEqual({ name: 'fused-cpu', reason: 'requested — in a Web Worker' });
  });
});
