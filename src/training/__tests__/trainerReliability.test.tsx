import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { housePrices } from '../../data/generators';
import { ReactNNError } from '../../errors';
import { ReLU, Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { createTrainer, type EngineName } from '../trainer';
import { ownership, settles, waitFor } from './lifecycle';

// Misuse, divergence and fuzzed live edits: each a clear error or a documented no-op, never a hang.

const { own } = ownership();

/** 48 rows: y = x0 − 2·x1, one column. */
const regression = () =>
  fromArrays({
    x: Array.from({ length: 48 }, (_, i) => [Math.sin(i), Math.cos(i * 0.3)]),
    y: Array.from({ length: 48 }, (_, i) => [Math.sin(i) - 2 * Math.cos(i * 0.3)]),
    task: 'regression',
  });

const mlp = (hidden = 6) => (
  <Sequential>
    <Linear outFeatures={hidden} />
    <Tanh />
    <Linear outFeatures={1} />
  </Sequential>
);

const options = (data: ReturnType<typeof regression>, engine: EngineName, epochs = 1_000_000) =>
  ({ data, loss: 'mse', optimizer: { type: 'sgd', lr: 0.01 }, batchSize: 8, epochs, engine, seed: 1 }) as const;

describe('misuse', () => {
  it.each(['tfjs', 'fused-cpu'] as const)(
    '%s: fit() twice rejects the second, step() while running throws, the run goes on',
    async (engine) => {
      const data = own(regression());
      const net = own(await renderModel(mlp(), { inputShape: [2], seed: 1 }));
      const trainer = own(createTrainer(net, options(data, engine)));
      const run = trainer.fit();
      await expect(settles(trainer.fit())).rejects.toThrow(/already running/);
      await expect(settles(trainer.step())).rejects.toThrow(/pause\(\) first/);
      await waitFor(() => trainer.getSnapshot().step > 10);
      expect(trainer.status).toBe('running');
      trainer.stop();
      expect((await settles(run)).status).toBe('stopped');
    },
  );

  it.each(['tfjs', 'fused-cpu'] as const)(
    '%s: dispose() during fit() resolves the run as stopped, "disposed"',
    async (engine) => {
      const data = own(regression());
      const net = own(await renderModel(mlp(), { inputShape: [2], seed: 1 }));
      const trainer = createTrainer(net, options(data, engine));
      const run = trainer.fit();
      await waitFor(() => trainer.getSnapshot().step > 10);
      trainer.dispose();
      const snap = await settles(run);
      expect(snap.status).toBe('stopped');
      expect(snap.stopReason).toBe('disposed');
      await expect(trainer.fit()).rejects.toThrow(/disposed/);
    },
  );

  it.each(['tfjs', 'fused-cpu'] as const)(
    '%s: a data set disposed under a running trainer ends it with a data error',
    async (engine) => {
      const data = regression();
      const net = own(await renderModel(mlp(), { inputShape: [2], seed: 1 }));
      const trainer = own(createTrainer(net, options(data, engine)));
      const run = trainer.fit();
      await waitFor(() => trainer.getSnapshot().step > 10);
      data.dispose();
      const snap = await settles(run);
      expect(snap.status).toBe('error');
      expect(snap.error).toBeInstanceOf(ReactNNError);
      expect(snap.error?.message).toMatch(/training Dataset was disposed/);
    },
  );
});

describe('divergence', () => {
  it.each(['tfjs', 'fused-cpu'] as const)(
    '%s: a learning rate that sends the loss to NaN stops with a clear error, keeps finite weights; reset() recovers',
    async (engine) => {
      const data = own(housePrices());
      const net = own(await renderModel(<Linear outFeatures={1} />, { inputShape: [1], seed: 1 }));
      const trainer = own(
        createTrainer(net, {
          data,
          loss: 'mse',
          optimizer: { type: 'sgd', lr: 1e6 },
          batchSize: 1, // weights turn NaN within the first epoch (with 4, only the loss overflows)
          epochs: 50,
          engine,
        }),
      );
      const snap = await settles(trainer.fit());
      expect(snap.status).toBe('error');
      expect(snap.error?.code).toBe('numeric');
      expect(snap.error?.message).toMatch(/the loss became (NaN|Infinity)/);
      expect(snap.history.loss.length).toBeLessThan(50);
      const weights = net.model.getWeights().flatMap((w) => Array.from(w.dataSync()));
      expect(weights.every(Number.isFinite)).toBe(true);
      const p = net.predict([[50]]);
      expect(Number.isFinite(p.dataSync()[0])).toBe(true);
      p.dispose();

      trainer.reset();
      expect(trainer.getSnapshot()).toMatchObject({ status: 'idle', error: null, epoch: 0 });
      trainer.setOptions({ optimizer: { lr: 1e-5 }, epochs: 5 });
      const again = await settles(trainer.fit());
      expect(again.status).toBe('done');
      expect(again.history.loss.every(Number.isFinite)).toBe(true);
    },
  );
});

// ---- fuzzed live edits ----

type LayerSpec = { id: number; type: 'Linear' | 'ReLU' | 'Tanh'; out: unknown };

const layerArb = fc.record({
  id: fc.integer({ min: 0, max: 7 }),
  type: fc.constantFrom('Linear' as const, 'ReLU' as const, 'Tanh' as const),
  // Valid widths and the bad props a user might type.
  out: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, -1, 2.5, Number.NaN, 'x')),
});

/** A tree of keyed layers (so reorders move layers) with, unless `headless`, a Linear(1) head the data needs. */
const treeOf = (layers: LayerSpec[], headless: boolean) => (
  <Sequential>
    {layers.map((l) =>
      l.type === 'Linear' ? (
        <Linear key={l.id} outFeatures={l.out as number} />
      ) : l.type === 'ReLU' ? (
        <ReLU key={l.id} />
      ) : (
        <Tanh key={l.id} />
      ),
    )}
    {headless ? null : <Linear key="head" outFeatures={1} />}
  </Sequential>
);

const editArb = fc.record({
  layers: fc.uniqueArray(layerArb, { minLength: 0, maxLength: 4, selector: (l) => l.id }),
  headless: fc.boolean(),
  /** Microtasks to wait before the next edit: 0 lands it inside the engine's awaits. */
  gap: fc.constantFrom(0, 1, 3, 10),
});

const validWidth = (out: unknown) => Number.isInteger(out) && (out as number) > 0;

describe('fuzzed live edits while training', () => {
  it.each(['tfjs', 'fused-cpu'] as const)(
    '%s: every edit applies or is refused with a ReactNNError; training goes on on the last good model; no leak',
    async (engine) => {
      const data = own(regression());
      await fc.assert(
        fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 6 }), async (edits) => {
          const before = tf.memory().numTensors;
          const net = await renderModel(mlp(), { inputShape: [2], seed: 1 });
          const trainer = createTrainer(net, options(data, engine));
          const run = trainer.fit();
          try {
            await waitFor(() => trainer.getSnapshot().step > 2);
            for (const edit of edits) {
              const model = net.model;
              const widths = edit.layers.filter((l) => l.type === 'Linear').map((l) => l.out);
              // The labels have one column: the model's last Linear must give 1 (the head, or a Linear(1) without it).
              const valid = widths.every(validWidth) && (!edit.headless || widths.at(-1) === 1);
              const outcome = await settles(net.update(treeOf(edit.layers, edit.headless))).then(
                () => null,
                (e: unknown) => e,
              );
              if (outcome !== null) {
                expect(outcome).toBeInstanceOf(ReactNNError);
                expect(net.model).toBe(model);
              }
              // Every valid tree is taken; an invalid one never is.
              expect(outcome === null).toBe(valid);
              for (let i = 0; i < edit.gap; i++) await Promise.resolve();
            }
            const steps = trainer.getSnapshot().step;
            await waitFor(() => trainer.getSnapshot().step > steps + 3 || trainer.status !== 'running');
            expect(trainer.getSnapshot().error).toBeNull();
            expect(trainer.status).toBe('running');
            trainer.stop();
            const snap = await settles(run);
            expect(snap.status).toBe('stopped');
            expect(snap.history.loss.every(Number.isFinite)).toBe(true);
          } finally {
            trainer.dispose();
            net.dispose();
          }
          expect(tf.memory().numTensors).toBe(before);
        }),
        { numRuns: 20, seed: 13, endOnFailure: true },
      );
    },
  );
});
