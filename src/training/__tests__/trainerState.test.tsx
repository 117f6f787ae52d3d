import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { ReactNNError } from '../../errors';
import { Sigmoid, Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { type RenderedModel, renderModel } from '../../react/renderModel';
import { type EarlyStoppingCallback, earlyStopping, lrSchedule } from '../callbacks';
import type { OptimizerConfig } from '../optimizers';
import { reduceLROnPlateau, stepLR } from '../schedules';
import { createTrainer, type TrainerOptions } from '../trainer';
import type { TrainerState } from '../trainerState';
import { ownership } from './lifecycle';

const { own } = ownership();

const tree = (
  <Sequential>
    <Linear outFeatures={8} />
    <Tanh />
    <Linear outFeatures={1} />
    <Sigmoid />
  </Sequential>
);
const weightsOf = (net: RenderedModel) => net.model.getWeights().map((w) => Float32Array.from(w.dataSync()));

/** What a checkpoint does with a state: JSON text for `json`, copies of the tensors. */
const roundTrip = (s: TrainerState): TrainerState => ({
  version: 1,
  json: JSON.parse(JSON.stringify(s.json)),
  tensors: Object.fromEntries(
    Object.entries(s.tensors).map(([k, t]) => [k, { shape: [...t.shape], data: t.data.slice() }]),
  ),
});

const OPTIMIZERS: [string, OptimizerConfig][] = [
  ['SGD with momentum', { type: 'sgd', lr: 0.1, momentum: 0.9 }],
  ['Adam', { type: 'adam', lr: 0.01 }],
];

describe('resume is exact: 100 epochs straight = 50, exportState, JSON round trip, fresh net and trainer, 50 more', () => {
  for (const engine of ['tfjs', 'fused-cpu'] as const) {
    for (const [label, optimizer] of OPTIMIZERS) {
      for (const withCallbacks of [false, true]) {
        it(`${engine}, ${label}${withCallbacks ? ', reduceLROnPlateau + earlyStopping' : ''}: bit-identical weights and history`, async () => {
          const data = own(moons({ n: 80, noise: 0.2, seed: 3 }));
          // reduceLROnPlateau and earlyStopping both count epochs without improvement: a resumed
          // run that forgot their counters would cut the lr at other epochs.
          const stoppers: EarlyStoppingCallback[] = [];
          const callbacks = () => {
            if (!withCallbacks) return [];
            const stopper = earlyStopping({ monitor: 'loss', patience: 1000, minDelta: 0.002 });
            stoppers.push(stopper);
            return [
              lrSchedule(reduceLROnPlateau({ monitor: 'loss', patience: 2, factor: 0.7, threshold: 0.02 })),
              stopper,
            ];
          };
          const options = (epochs: number): TrainerOptions => ({
            data,
            loss: 'bce',
            optimizer,
            batchSize: 16,
            epochs,
            seed: 5,
            engine,
            callbacks: callbacks(),
          });

          const straight = own(await renderModel(tree, { inputShape: [2], seed: 7 }));
          const t0 = own(createTrainer(straight, options(100)));
          const s0 = await t0.fit();
          expect(s0.status).toBe('done');
          expect(s0.engine.name).toBe(engine);

          const first = own(await renderModel(tree, { inputShape: [2], seed: 7 }));
          const t1 = own(createTrainer(first, options(50)));
          expect((await t1.fit()).epoch).toBe(50);
          const state = roundTrip(await t1.exportState());
          expect(JSON.parse(JSON.stringify(state.json))).toEqual(state.json);
          expect(state.json.epoch).toBe(50);
          expect(state.json.step).toBe(250);
          expect(Object.keys(state.tensors).length).toBeGreaterThan(0);

          // A fresh net initialised differently, with the saved weights copied in.
          const second = own(await renderModel(tree, { inputShape: [2], seed: 99 }));
          const saved = first.model.getWeights().map((w) => w.clone());
          second.model.setWeights(saved);
          tf.dispose(saved);
          const t2 = own(createTrainer(second, { ...options(100), seed: undefined, resume: state }));
          expect(t2.getSnapshot().epoch).toBe(50);
          const s2 = await t2.fit();
          expect(s2.status).toBe('done');
          expect(s2.step).toBe(s0.step);
          expect(s2.history).toEqual(s0.history);
          expect(s2.lr).toBe(s0.lr);
          const a = weightsOf(straight);
          const b = weightsOf(second);
          a.forEach((w, i) => expect(Array.from(b[i] as Float32Array)).toEqual(Array.from(w)));
          expect(t2.optimizer.paramSteps()).toEqual(t0.optimizer.paramSteps());
          if (withCallbacks) {
            expect(s0.lr).toBeLessThan(optimizer.lr * 0.7 ** 3);
            const [a0, , a2] = stoppers;
            expect(a2?.best).toBe(a0?.best);
            expect(a2?.bestEpoch).toBe(a0?.bestEpoch);
          }
        });
      }
    }
  }
});

describe('resume from the middle of an epoch', () => {
  it.each(['tfjs', 'fused-cpu'] as const)('%s: weights bit-identical to a straight run', async (engine) => {
    const data = own(moons({ n: 80, noise: 0.2, seed: 3 }));
    const options = (): TrainerOptions => ({
      data,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 16,
      epochs: 40,
      seed: 5,
      engine,
    });
    const straight = own(await renderModel(tree, { inputShape: [2], seed: 7 }));
    const s0 = await own(createTrainer(straight, options())).fit();

    const first = own(await renderModel(tree, { inputShape: [2], seed: 7 }));
    const t1 = own(createTrainer(first, options()));
    // 37 steps by hand: 7 epochs and 2 of the 5 batches of the 8th.
    for (let i = 0; i < 37; i++) await t1.step();
    expect(t1.status).toBe('paused');
    const state = roundTrip(await t1.exportState());
    expect(state.json.step).toBe(37);
    expect(state.json.cursor.offset).toBe((state.json.step % 5) * 16);
    expect(state.json.epoch).toBe(Math.floor(state.json.step / 5));

    const second = own(await renderModel(tree, { inputShape: [2], seed: 99 }));
    const saved = first.model.getWeights().map((w) => w.clone());
    second.model.setWeights(saved);
    tf.dispose(saved);
    const s2 = await own(createTrainer(second, { ...options(), resume: state })).fit();
    expect(s2.step).toBe(s0.step);
    const a = weightsOf(straight);
    weightsOf(second).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(a[i] as Float32Array)));
    // The epoch that was cut in two sums its loss in two parts: equal to float32 rounding on tfjs.
    const cut = state.json.epoch;
    s0.history.loss.forEach((l, i) => {
      if (i === cut && engine === 'tfjs')
        expect(Math.abs((s2.history.loss[i] as number) - l)).toBeLessThan(1e-6 * Math.abs(l));
      else expect(s2.history.loss[i]).toBe(l);
    });
  });
});

describe('a saved state that does not fit is refused, and nothing is applied', () => {
  it('different loss, optimizer type, data size, callbacks, seed, version or a missing tensor: a ReactNNError each', async () => {
    const data = own(moons({ n: 40, noise: 0.2, seed: 3 }));
    const other = own(moons({ n: 48, noise: 0.2, seed: 3 }));
    const net = own(await renderModel(tree, { inputShape: [2], seed: 7 }));
    const base: TrainerOptions = {
      data,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 8,
      epochs: 3,
      seed: 1,
    };
    const t = own(createTrainer(net, base));
    await t.fit();
    const state = roundTrip(await t.exportState());
    const weights = weightsOf(net);
    const before = tf.memory().numTensors;
    const refuse = (options: Partial<TrainerOptions>, resume: unknown, match: RegExp) => {
      let error: unknown;
      try {
        createTrainer(net, { ...base, seed: undefined, ...options, resume: resume as TrainerState });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ReactNNError);
      expect((error as Error).message).toMatch(match);
      expect(tf.memory().numTensors).toBe(before);
    };
    refuse({ loss: 'mse' }, state, /loss "bce"/);
    refuse({ optimizer: { type: 'sgd', lr: 0.1 } }, state, /optimizer was "adam"/);
    refuse({ data: other }, state, /40 rows, this one has 48/);
    refuse({ callbacks: [earlyStopping({ monitor: 'loss' })] }, state, /0 callbacks, this trainer has 1/);
    refuse({ seed: 2 }, state, /saved with seed 1/);
    refuse({}, { ...state, version: 2 }, /version/);
    refuse({}, { ...state, tensors: {} }, /missing/);
    refuse({}, { ...state, json: { ...state.json, history: { loss: [] } } }, /one value per epoch/);
    refuse({}, 'nope', /TrainerState/);
    // An early-stopping state given to a schedule.
    const withStopper = own(createTrainer(net, { ...base, seed: 1, callbacks: [earlyStopping({ monitor: 'loss' })] }));
    await withStopper.fit();
    const stopperState = roundTrip(await withStopper.exportState());
    const beforeSchedule = tf.memory().numTensors;
    expect(() =>
      createTrainer(net, {
        ...base,
        seed: undefined,
        callbacks: [lrSchedule(stepLR({ stepSize: 1 }))],
        resume: stopperState,
      }),
    ).toThrow(ReactNNError);
    expect(tf.memory().numTensors).toBe(beforeSchedule);
    expect(weightsOf(net).length).toBe(weights.length);
  });

  it('exportState while running throws; a checkpoint-like { trainerState } is accepted', async () => {
    const data = own(moons({ n: 40, noise: 0.2, seed: 3 }));
    const net = own(await renderModel(tree, { inputShape: [2], seed: 7 }));
    const t = own(
      createTrainer(net, {
        data,
        loss: 'bce',
        optimizer: { type: 'sgd', lr: 0.1, momentum: 0.5 },
        epochs: 1000,
        seed: 1,
        engine: 'tfjs',
      }),
    );
    const done = t.fit();
    await expect(t.exportState()).rejects.toThrow(/pause\(\) first/);
    t.pause();
    const state = await t.exportState();
    t.stop();
    await done;
    const t2 = own(
      createTrainer(net, {
        data,
        loss: 'bce',
        optimizer: { type: 'sgd', lr: 0.1, momentum: 0.5 },
        epochs: 1000,
        resume: { trainerState: state },
      }),
    );
    expect(t2.getSnapshot().step).toBe(state.json.step);
    expect(t2.optimizer.paramSteps()).toEqual(
      Object.fromEntries(state.json.optimizer.params.map((p) => [p.key, p.step])),
    );
  });
});
