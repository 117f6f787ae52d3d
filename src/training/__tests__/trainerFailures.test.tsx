import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { moons } from '../../data/generators';
import { ReactNNError } from '../../errors';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { createTrainer, type TrainerSnapshot } from '../trainer';
import { ownership, settles, waitFor } from './lifecycle';

// Regression tests for failures met when the library was tried as a new user would.

const { own, start } = ownership(false);

const classifier = (out = 3) => (
  <Sequential>
    <Linear outFeatures={8} />
    <ReLU />
    <Linear outFeatures={out} />
  </Sequential>
);

/** Linear(4)–Linear(1)–Sigmoid for 2-D binary data. */
const binaryNet = () =>
  renderModel(
    <Sequential>
      <Linear outFeatures={4} />
      <Linear outFeatures={1} />
      <Sigmoid />
    </Sequential>,
    { inputShape: [2], seed: 1 },
  );

/** 60 rows, 2 features, 3 classes (ids). */
const threeClass = () => {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 60; i++) {
    x.push([Math.sin(i), Math.cos(i * 0.7)]);
    y.push(i % 3);
  }
  return fromArrays({ x, y, task: 'multiclass' });
};

const fitOpts = (data: ReturnType<typeof threeClass>, engine: 'tfjs' | 'fused-cpu' | 'auto', epochs = 100_000) =>
  ({
    data,
    loss: 'crossEntropy',
    optimizer: { type: 'sgd', lr: 0.01 },
    batchSize: 8,
    epochs,
    engine,
    seed: 1,
  }) as const;

describe('two valid edits close together', () => {
  it.each(['fused-cpu', 'auto', 'tfjs'] as const)('%s: training goes on, on the last model', async (engine) => {
    const data = own(threeClass());
    const net = own(await renderModel(classifier(3), { inputShape: [2], seed: 1 }));
    const edits: Promise<void>[] = [];
    let pair = 0;
    // An edit pair started from inside the loop (an epoch callback) interleaves with the engine's
    // own awaits: the second edit lands 0…40 microtasks after the first, so somewhere in there
    // the engine is between two awaits while planning the first edit's model.
    const onEpochEnd = (epoch: number) => {
      if (epoch % 2 !== 0 || pair > 40) return;
      const delay = pair++;
      edits.push(
        (async () => {
          await net.update(classifier(delay % 2 ? 12 : 10));
          for (let i = 0; i < delay; i++) await Promise.resolve();
          await net.update(classifier(delay % 2 ? 10 : 12));
        })(),
      );
    };
    const trainer = own(createTrainer(net, { ...fitOpts(data, engine, 120), onEpochEnd }));
    const snap = await settles(trainer.fit());
    await settles(Promise.all(edits));
    expect(snap.error).toBeNull();
    expect(snap.status).toBe('done');
    expect(pair).toBe(41);
    expect(snap.history.loss.every(Number.isFinite)).toBe(true);
  });
});

describe('a bad edit', () => {
  it('rejects every time it is tried, keeping the last good model', async () => {
    const data = own(threeClass());
    const net = own(await renderModel(classifier(3), { inputShape: [2], seed: 1 }));
    own(createTrainer(net, fitOpts(data, 'tfjs')));
    const model = net.model;
    for (let i = 0; i < 3; i++) {
      await expect(net.update(classifier(2))).rejects.toBeInstanceOf(ReactNNError);
      expect(net.model).toBe(model);
    }
    // An invalid prop, likewise.
    for (let i = 0; i < 2; i++) await expect(net.update(classifier(-1))).rejects.toBeInstanceOf(ReactNNError);
    await net.update(classifier(4));
    expect(net.model.outputs[0]?.shape).toEqual([null, 4]);
  });
});

describe('setOptions is atomic', () => {
  const bad = () =>
    fromArrays({
      x: Array.from({ length: 30 }, (_, i) => [i, i + 1, i + 2]),
      y: Array.from({ length: 30 }, (_, i) => i % 3),
      task: 'multiclass',
    });

  it.each(['fused-cpu', 'tfjs'] as const)(
    '%s: a refused data swap and lr leave data, lr and training as they were',
    async (engine) => {
      const data = own(threeClass());
      const wrong = own(bad());
      const net = own(await renderModel(classifier(3), { inputShape: [2], seed: 1 }));
      const before = tf.memory().numTensors;
      const trainer = createTrainer(net, fitOpts(data, engine, 4));
      await trainer.step();
      const steps = trainer.getSnapshot().step;
      expect(() => trainer.setOptions({ optimizer: { lr: 0.5 }, data: wrong })).toThrow(ReactNNError);
      expect(trainer.optimizer.config.lr).toBe(0.01);
      expect(trainer.getSnapshot().lr).toBe(0.01);
      // Unrelated changes go through, and training runs on the old data: 60 rows / 8 = 8 steps an epoch.
      trainer.setOptions({ epochs: 3 });
      const snap = await settles(trainer.fit());
      expect(snap.error).toBeNull();
      expect(snap.status).toBe('done');
      expect(snap.step).toBe(24);
      expect(steps).toBe(1);
      trainer.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('tfjs: a swap to two-column labels is refused, training goes on, and nothing leaks', async () => {
    const data = own(moons({ n: 40, noise: 0.1, seed: 1 }));
    const twoColumns = own(
      fromArrays({
        x: Array.from({ length: 20 }, (_, i) => [i / 20, 1 - i / 20]),
        y: Array.from({ length: 20 }, (_, i) => [i % 2, 1 - (i % 2)]),
        task: 'multilabel',
      }),
    );
    const net = own(await binaryNet());
    const before = tf.memory().numTensors;
    const trainer = createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'sgd', lr: 0.1 },
      batchSize: 8,
      epochs: 2,
      engine: 'tfjs',
    });
    await trainer.step();
    expect(() => trainer.setOptions({ data: twoColumns })).toThrow(ReactNNError);
    const snap = await settles(trainer.fit());
    expect(snap.status).toBe('done');
    expect(snap.step).toBe(10);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a refused loss or metric changes nothing either', async () => {
    const data = own(threeClass());
    const net = own(await renderModel(classifier(3), { inputShape: [2], seed: 1 }));
    const trainer = own(createTrainer(net, fitOpts(data, 'tfjs', 2)));
    expect(() => trainer.setOptions({ optimizer: { lr: 0.3 }, loss: 'nope' as never })).toThrow(ReactNNError);
    expect(() => trainer.setOptions({ optimizer: { lr: 0.3 }, batchSize: -2 })).toThrow(ReactNNError);
    expect(() => trainer.setOptions({ optimizer: { lr: -1 } })).toThrow(ReactNNError);
    // bce cannot train 3 classes: refused by the graph check after everything else validated.
    expect(() => trainer.setOptions({ optimizer: { lr: 0.3 }, loss: 'bce' })).toThrow(ReactNNError);
    expect(trainer.optimizer.config.lr).toBe(0.01);
    const snap = await settles(trainer.fit());
    expect(snap.status).toBe('done');
    expect(snap.step).toBe(16);
  });
});

describe('no leak when a step throws', () => {
  it('tfjs: a loss that throws mid-training ends in error and leaves no tensor after dispose', async () => {
    const data = own(threeClass());
    const net = own(await renderModel(classifier(3), { inputShape: [2], seed: 1 }));
    const before = tf.memory().numTensors;
    let calls = 0;
    const trainer = createTrainer(net, {
      data,
      loss: (yTrue, yPred) => {
        if (++calls > 12) tf.sub(yPred, tf.zeros([1, 2, 3])); // a shape error, after making tensors
        return tf.losses.meanSquaredError(tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), 3), yPred) as tf.Scalar;
      },
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 8,
      epochs: 10,
      engine: 'tfjs',
      seed: 1,
    });
    const snap = await settles(trainer.fit());
    expect(snap.status).toBe('error');
    expect(snap.error).toBeInstanceOf(ReactNNError);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a disposed model', () => {
  it('fit() after net.dispose() rejects at once with a ReactNNError saying so', async () => {
    const data = own(threeClass());
    const net = own(await renderModel(classifier(3), { inputShape: [2], seed: 1 }));
    const trainer = own(createTrainer(net, fitOpts(data, 'tfjs', 2)));
    net.dispose();
    const e = await settles(trainer.fit()).catch((x) => x);
    expect(e).toBeInstanceOf(ReactNNError);
    expect(e.message).toMatch(/disposed/);
    await expect(settles(trainer.step())).rejects.toThrow(/disposed/);
    expect(trainer.status).not.toBe('running');
  });

  it('net.update() after dispose() rejects at once', async () => {
    const net = await renderModel(classifier(3), { inputShape: [2], seed: 1 });
    net.dispose();
    const e = await settles(net.update(classifier(4))).catch((x) => x);
    expect(e).toBeInstanceOf(ReactNNError);
    expect(e.message).toMatch(/disposed/);
    expect(tf.memory().numTensors).toBe(start());
  });

  it.each(['tfjs', 'fused-cpu'] as const)(
    '%s: disposing the model during fit() ends it with a "disposed" error',
    async (engine) => {
      const data = own(threeClass());
      const net = own(await renderModel(classifier(3), { inputShape: [2], seed: 1 }));
      const trainer = own(createTrainer(net, fitOpts(data, engine)));
      const done = trainer.fit();
      await waitFor(() => trainer.getSnapshot().step > 10);
      net.dispose();
      const snap = await settles(done);
      expect(snap.status).toBe('error');
      expect(snap.error?.message).toMatch(/disposed/);
      expect(snap.error?.message).not.toMatch(/not built/);
    },
  );

  it('summary() and predict() say the model was disposed', async () => {
    const net = await renderModel(classifier(3), { inputShape: [2], seed: 1 });
    net.dispose();
    expect(() => net.net.summary()).toThrow(/disposed/);
    expect(() => net.net.predict([[0, 1]])).toThrow(/disposed/);
  });
});

describe('reset() and a disposed trainer', () => {
  it('reset() during fit() ends the run at idle: the status never says stopped', async () => {
    const data = own(threeClass());
    const net = own(await renderModel(classifier(3), { inputShape: [2], seed: 1 }));
    const trainer = own(createTrainer(net, fitOpts(data, 'tfjs')));
    const seen: string[] = [];
    trainer.subscribe(() => seen.push(trainer.getSnapshot().status));
    const done = trainer.fit();
    await waitFor(() => trainer.getSnapshot().step > 5);
    trainer.reset();
    const snap: TrainerSnapshot = await settles(done);
    expect(snap.status).toBe('idle');
    expect(trainer.getSnapshot().status).toBe('idle');
    expect(seen.slice(seen.lastIndexOf('running') + 1).every((s) => s === 'idle')).toBe(true);
    expect(snap.epoch).toBe(0);
    expect(snap.step).toBe(0);
    // And it trains again from there.
    trainer.setOptions({ epochs: 1 });
    expect((await settles(trainer.fit())).status).toBe('done');
  });

  it('setOptions() and reset() on a disposed trainer throw, and reset() leaves the weights alone', async () => {
    const data = own(moons({ n: 40, noise: 0.1, seed: 1 }));
    const net = own(await binaryNet());
    const trainer = createTrainer(net, { data, loss: 'bce', optimizer: { type: 'sgd', lr: 0.1 }, epochs: 1 });
    trainer.dispose();
    const w = net.model.getWeights().map((t) => Array.from(t.dataSync()));
    expect(() => trainer.setOptions({ epochs: 3 })).toThrow(ReactNNError);
    expect(() => trainer.reset()).toThrow(/disposed/);
    expect(net.model.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(w);
  });
});
