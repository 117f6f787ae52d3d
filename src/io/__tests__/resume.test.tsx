// Resume through a file: train 50 epochs, save the trainer as a .rnn, load it into a fresh model and
// trainer, train to 100 — the same weights and history as 100 epochs straight, bit for bit.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { ReactNNError } from '../../errors';
import { Sigmoid, Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { type RenderedModel, renderModel } from '../../react/renderModel';
import type { OptimizerConfig } from '../../training/optimizers';
import { createTrainer, type TrainerOptions } from '../../training/trainer';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint';

let start = 0;
const cleanup: { dispose(): void }[] = [];
beforeEach(() => {
  start = tf.memory().numTensors;
});
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c.dispose();
  expect(tf.memory().numTensors).toBe(start);
});
const own = <T extends { dispose(): void }>(x: T): T => {
  cleanup.push(x);
  return x;
};

const tree = (
  <Sequential>
    <Linear outFeatures={6} />
    <Tanh />
    <Linear outFeatures={1} />
    <Sigmoid />
  </Sequential>
);
const weightsOf = (net: RenderedModel) => net.model.getWeights().map((w) => Array.from(w.dataSync()));

const OPTIMIZERS: [string, OptimizerConfig][] = [
  ['SGD with momentum', { type: 'sgd', lr: 0.1, momentum: 0.9 }],
  ['Adam', { type: 'adam', lr: 0.01 }],
];

describe('resume through a .rnn file is exact', () => {
  for (const engine of ['tfjs', 'fused-cpu'] as const) {
    for (const [label, optimizer] of OPTIMIZERS) {
      it(`${engine}, ${label}: 50 epochs, save, load into a fresh model and trainer, 50 more = 100 straight`, async () => {
        const data = own(moons({ n: 60, noise: 0.2, seed: 4 }));
        const options = (epochs: number): TrainerOptions => ({
          data,
          loss: 'bce',
          optimizer,
          batchSize: 16,
          epochs,
          seed: 9,
          engine,
        });

        const straight = own(await renderModel(tree, { inputShape: [2], seed: 3 }));
        const s0 = await own(createTrainer(straight, options(100))).fit();
        expect(s0.status).toBe('done');

        const first = own(await renderModel(tree, { inputShape: [2], seed: 3 }));
        const t1 = own(createTrainer(first, options(50)));
        await t1.fit();
        const bytes = await saveCheckpoint(t1);
        expect(bytes[0]).toBe(0x50); // a zip: "PK"
        expect(bytes[1]).toBe(0x4b);

        const cp = await loadCheckpoint(bytes);
        cleanup.push(cp);
        expect(cp.trainerState).toBeDefined();
        // A fresh model built from the file alone (its architecture and weights), then a fresh trainer.
        const second = own(await renderModel(cp.element, { inputShape: cp.inputShape, checkpoint: cp, seed: 77 }));
        expect(weightsOf(second)).toEqual(weightsOf(first));
        const t2 = own(createTrainer(second, { ...options(100), resume: cp }));
        expect(t2.getSnapshot().epoch).toBe(50);
        const s2 = await t2.fit();
        expect(s2.status).toBe('done');
        expect(s2.step).toBe(s0.step);
        expect(s2.history).toEqual(s0.history);
        expect(weightsOf(second)).toEqual(weightsOf(straight));
      });
    }
  }

  it('refuses a checkpoint whose trainer state does not fit (another optimizer), creating nothing', async () => {
    const data = own(moons({ n: 40, noise: 0.2, seed: 4 }));
    const net = own(await renderModel(tree, { inputShape: [2], seed: 3 }));
    const t1 = own(
      createTrainer(net, { data, loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 2, seed: 1 }),
    );
    await t1.fit();
    const cp = await loadCheckpoint(await saveCheckpoint(t1));
    cleanup.push(cp);
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      own(createTrainer(net, { data, loss: 'bce', optimizer: { type: 'sgd', lr: 0.1 }, epochs: 4, resume: cp }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReactNNError);
    expect((error as Error).message).toMatch(/adam|sgd/i);
    expect(tf.memory().numTensors).toBe(before);
  });
});
