// fused-cpu's Worker pool in Chromium: a disposed trainer's Worker (and the warm kernel in it) serves the next
// trainer, which starts clean — the same weights as the first trainer, bit for bit. Workers are counted by a
// subclass of the real Worker (it runs as usual); no timing is asserted.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromArrays } from '../../../data/fromArrays';
import { Tanh } from '../../../layers/activation';
import { Sequential } from '../../../layers/containers';
import { Linear } from '../../../layers/core';
import { renderModel } from '../../../react/renderModel';
import { createTrainer } from '../../trainer';

const RealWorker = globalThis.Worker;
let started = 0;

beforeEach(() => {
  started = 0;
  globalThis.Worker = class extends RealWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      started++;
    }
  };
});
afterEach(() => {
  globalThis.Worker = RealWorker;
});

const X = Float32Array.from({ length: 2 * 60 }, (_v, i) => Math.sin(i * 1.3));
const Y = Array.from({ length: 60 }, (_v, i) => Math.cos(i * 0.7));

/** A fresh net and trainer on fused-cpu (a Worker here), 30 epochs, disposed; resolves with the weights. */
async function shortRun(hidden: number): Promise<{ weights: number[][]; reason: string }> {
  const data = fromArrays({ x: { data: X, shape: [60, 2] }, y: Y, task: 'regression' });
  const net = await renderModel(
    <Sequential>
      <Linear outFeatures={hidden} />
      <Tanh />
      <Linear outFeatures={1} />
    </Sequential>,
    { inputShape: [2], seed: 5 },
  );
  const trainer = createTrainer(net, {
    data,
    loss: 'mse',
    optimizer: { type: 'adam', lr: 0.02 },
    batchSize: 10,
    epochs: 30,
    seed: 4,
    engine: 'fused-cpu',
  });
  const snap = await trainer.fit();
  expect(snap.status).toBe('done');
  const weights = (await Promise.all(net.model.weights.map((w) => w.read().data()))).map((w) => Array.from(w));
  trainer.dispose();
  net.dispose();
  data.dispose();
  return { weights, reason: snap.engine.reason };
}

describe('fused-cpu Worker pool', () => {
  it('a new trainer takes the disposed trainer’s Worker and trains to the same weights', async () => {
    const tensors = tf.memory().numTensors;
    const first = await shortRun(4);
    expect(first.reason).toMatch(/in a Web Worker$/);
    const afterFirst = started; // 1, or 0 when an earlier test left a Worker in the pool
    expect(afterFirst).toBeLessThanOrEqual(1);

    const second = await shortRun(4);
    expect(second.reason).toMatch(/in a Web Worker$/);
    expect(started).toBe(afterFirst); // no new Worker
    expect(second.weights).toEqual(first.weights);

    // Another architecture in the pooled Worker: still no new Worker, and it trains to finite weights.
    const other = await shortRun(6);
    expect(started).toBe(afterFirst);
    expect(other.weights.flat().every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('two trainers at once each get a Worker; both go back to the pool of two', async () => {
    const [a, b] = await Promise.all([shortRun(3), shortRun(3)]);
    expect(a.weights).toEqual(b.weights);
    const made = started;
    await Promise.all([shortRun(3), shortRun(3)]);
    expect(started).toBe(made);
  });
});
