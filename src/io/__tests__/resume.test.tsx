// Resume through a file: train 50 epochs, save the trainer as a .rnn, load it into a fresh model and
// trainer, train to 100 — the same weights and history as 100 epochs straight, bit for bit.
import * as tf from '@tensorflow/tfjs';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { ReactNNError } from '../../errors';
import { Sigmoid, Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Dropout, Linear } from '../../layers/core';
import { DropoutLayer } from '../../layers/tfLayers';
import { createRng } from '../../random';
import { type RenderedModel, renderModel } from '../../react/renderModel';
import { ownership } from '../../training/__tests__/lifecycle';
import type { OptimizerConfig } from '../../training/optimizers';
import { createTrainer, type EngineName, type TrainerOptions } from '../../training/trainer';
import type { TrainerState } from '../../training/trainerState';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint';

// Disposes what a test owns after it (newest first) and checks the tensor count is back where it started.
const { own } = ownership();

const tree = (
  <Sequential>
    <Linear outFeatures={6} />
    <Tanh />
    <Linear outFeatures={1} />
    <Sigmoid />
  </Sequential>
);
const withDropout = (
  <Sequential>
    <Linear outFeatures={12} />
    <Tanh />
    <Dropout p={0.3} />
    <Linear outFeatures={1} />
    <Sigmoid />
  </Sequential>
);
const weightsOf = (net: RenderedModel) => net.model.getWeights().map((w) => Array.from(w.dataSync()));
const ADAM: OptimizerConfig = { type: 'adam', lr: 0.01 };

/** `element` built afresh with the same seed (3) every time: the same starting weights; owned by the test. */
const fresh = async (element: ReactElement) => own(await renderModel(element, { inputShape: [2], seed: 3 }));

/** A saved .rnn loaded, and a fresh model built from the file alone (its architecture and weights; another seed). */
async function modelFrom(bytes: Uint8Array) {
  const cp = own(await loadCheckpoint(bytes));
  const model = own(await renderModel(cp.element, { inputShape: cp.inputShape, checkpoint: cp, seed: 77 }));
  return { cp, model };
}

/**
 * `element` trained `epochs` straight, and a fresh copy trained the first half (t1, to save and resume),
 * on 60 moons with bce in batches of 16 — the same seeds, so the half resumed adds up to the straight run.
 */
async function straightAndHalf(element: ReactElement, engine: EngineName, optimizer: OptimizerConfig, epochs: number) {
  const data = own(moons({ n: 60, noise: 0.2, seed: 4 }));
  const options = (n: number): TrainerOptions => ({
    data,
    loss: 'bce',
    optimizer,
    batchSize: 16,
    epochs: n,
    seed: 9,
    engine,
  });
  const straight = await fresh(element);
  const s0 = await own(createTrainer(straight, options(epochs))).fit();
  const first = await fresh(element);
  const t1 = own(createTrainer(first, options(epochs / 2)));
  const s1 = await t1.fit();
  return { options, straight, s0, first, t1, s1 };
}

const OPTIMIZERS: [string, OptimizerConfig][] = [
  ['SGD with momentum', { type: 'sgd', lr: 0.1, momentum: 0.9 }],
  ['Adam', ADAM],
];

describe('resume through a .rnn file is exact', () => {
  for (const engine of ['tfjs', 'fused-cpu'] as const) {
    for (const [label, optimizer] of OPTIMIZERS) {
      it(`${engine}, ${label}: 50 epochs, save, load into a fresh model and trainer, 50 more = 100 straight`, async () => {
        const { options, straight, s0, first, t1 } = await straightAndHalf(tree, engine, optimizer, 100);
        expect(s0.status).toBe('done');
        const bytes = await saveCheckpoint(t1);
        expect(bytes[0]).toBe(0x50); // a zip: "PK"
        expect(bytes[1]).toBe(0x4b);

        // A fresh model built from the file alone (its architecture and weights), then a fresh trainer.
        const { cp, model: second } = await modelFrom(bytes);
        expect(cp.trainerState).toBeDefined();
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

  it("a Dropout call's seed is a pure function of (seed, call): the k-th draw of createRng(seed)", () => {
    for (const seed of [0, 7, 2 ** 31 + 5, 4294967295]) {
      const rng = createRng(seed);
      const stream = Array.from({ length: 300 }, () => Math.floor(rng() * 2 ** 31));
      expect(stream.map((_, k) => DropoutLayer.seedAt(seed, k))).toEqual(stream);
    }
  });

  it('tfjs, Adam, with Dropout: the masks go on where they stopped, so resume is exact', async () => {
    const { options, straight, s0, t1 } = await straightAndHalf(withDropout, 'tfjs', ADAM, 40);
    const state = await t1.exportState();
    // 60 rows, batch 16: 4 steps an epoch, one mask per step.
    expect(Object.values(state.json.dropout ?? {}).map((d) => d.draws)).toEqual([80]);
    const { cp, model: second } = await modelFrom(await saveCheckpoint(t1));
    const s2 = await own(createTrainer(second, { ...options(40), resume: cp })).fit();
    expect(s2.history).toEqual(s0.history);
    expect(weightsOf(second)).toEqual(weightsOf(straight));
  });

  it("fused-cpu, Adam, with Dropout: the kernel's mask stream starts at the layer's draws, so resume is exact", async () => {
    // The fused kernel draws its masks from its own copy of the layer's seed stream; it starts at
    // the layer's (seed, draws) and the engine counts the draws back onto the layer after each
    // chunk, so the saved state holds the stream's position as on tfjs.
    const { options, straight, s0, t1, s1 } = await straightAndHalf(withDropout, 'fused-cpu', ADAM, 40);
    expect(s1.history.loss).toEqual(s0.history.loss.slice(0, 20));
    const { cp, model: second } = await modelFrom(await saveCheckpoint(t1));
    const t2 = own(createTrainer(second, { ...options(40), resume: cp }));
    const [saved, resumed] = [await t1.exportState(), await t2.exportState()];
    expect(resumed.tensors).toEqual(saved.tensors);
    const { epoch, step, history, cursor, optimizer, dropout } = saved.json;
    expect(resumed.json).toMatchObject({ epoch, step, history, cursor, optimizer, dropout });
    // 20 epochs of 4 steps: 80 masks drawn, counted on the layer by the fused engine.
    expect(Object.values(dropout ?? {}).map((d) => d.draws)).toEqual([80]);
    const s2 = await t2.fit();
    expect(s2.step).toBe(s0.step);
    expect(s2.history).toEqual(s0.history);
    expect(weightsOf(second)).toEqual(weightsOf(straight));
  });

  it('mid-epoch: 3 steps, save, load, 1 step = 4 steps straight (epoch order and loss sum restored)', async () => {
    for (const engine of ['tfjs', 'fused-cpu'] as const) {
      const data = own(moons({ n: 100, noise: 0.2, seed: 4 }));
      const options: TrainerOptions = {
        data,
        loss: 'bce',
        optimizer: ADAM,
        batchSize: 16,
        epochs: 10,
        seed: 9,
        engine,
      };
      const straight = await fresh(withDropout);
      const t0 = own(createTrainer(straight, options));
      for (let i = 0; i < 4; i++) await t0.step();
      const t1 = own(createTrainer(await fresh(withDropout), options));
      for (let i = 0; i < 3; i++) await t1.step();
      const { cp, model: second } = await modelFrom(await saveCheckpoint(t1));
      const t2 = own(createTrainer(second, { ...options, resume: cp }));
      expect(t2.getSnapshot().step).toBe(3);
      await t2.step();
      expect(t2.getSnapshot().step).toBe(4);
      expect(weightsOf(second), engine).toEqual(weightsOf(straight));
      // resume() after step() (what a Resume button does) trains on to the end: a loop starts.
      const done = new Promise<void>((resolve) => {
        const stop = t2.subscribe(() => {
          if (t2.getSnapshot().status === 'done') {
            stop();
            resolve();
          }
        });
      });
      t2.resume();
      await done;
      expect(t2.getSnapshot().epoch).toBe(10);
    }
  });

  it('refuses a malformed dropout state, and one naming a Dropout layer the model lacks, changing nothing', async () => {
    const data = own(moons({ n: 40, noise: 0.2, seed: 4 }));
    const options: TrainerOptions = { data, loss: 'bce', optimizer: ADAM, epochs: 2, seed: 1 };
    const net = await fresh(withDropout);
    const t1 = own(createTrainer(net, { ...options, engine: 'tfjs' }));
    await t1.fit();
    const state = await t1.exportState();
    const [name] = Object.keys(state.json.dropout ?? {});
    const layer = net.model.getLayer(name as string) as DropoutLayer;
    const before = { seed: layer.seed, draws: layer.draws, tensors: tf.memory().numTensors };
    // As a file could hold it: typed loosely, checked by the trainer.
    const withDropoutState = (dropout: unknown) => ({ ...state, json: { ...state.json, dropout } }) as TrainerState;
    expect(() =>
      createTrainer(net, { ...options, resume: withDropoutState({ [name as string]: { seed: 1.5, draws: 2 } }) }),
    ).toThrow(/dropout must map layer names to \{ seed, draws \}/);
    expect(() =>
      createTrainer(net, {
        ...options,
        resume: withDropoutState({ 'Sequential > Dropout[7]': { seed: 1, draws: 2 } }),
      }),
    ).toThrow(/Dropout state for layers the model does not have: Sequential > Dropout\[7\]/);
    expect({ seed: layer.seed, draws: layer.draws, tensors: tf.memory().numTensors }).toEqual(before);
  });

  it('refuses a checkpoint whose trainer state does not fit (another optimizer), creating nothing', async () => {
    const data = own(moons({ n: 40, noise: 0.2, seed: 4 }));
    const net = await fresh(tree);
    const t1 = own(createTrainer(net, { data, loss: 'bce', optimizer: ADAM, epochs: 2, seed: 1 }));
    await t1.fit();
    const cp = own(await loadCheckpoint(await saveCheckpoint(t1)));
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
