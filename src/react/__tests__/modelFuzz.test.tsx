// @vitest-environment jsdom
// Fuzzed live edits through <Model> re-renders while useTrainer trains (the reliability suite's
// React half; trainerReliability.test.tsx does the same through renderModel's update()).
import * as tf from '@tensorflow/tfjs';
import { act, render } from '@testing-library/react';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { ReactNNError } from '../../errors';
import { ReLU, Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import type { Net } from '../../runtime/net';
import type { EngineName, Trainer } from '../../training/trainer';
import { Model } from '../Model';
import { useModel } from '../useModel';
import { useTrainer } from '../useTrainer';

type LayerSpec = { id: number; type: 'Linear' | 'ReLU' | 'Tanh'; out: unknown };

const layerArb = fc.record({
  id: fc.integer({ min: 0, max: 7 }),
  type: fc.constantFrom('Linear' as const, 'ReLU' as const, 'Tanh' as const),
  // Valid widths and the bad props a user might type.
  out: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, -1, 2.5, Number.NaN, 'x')),
});

const editArb = fc.record({
  // Unique keys: a reorder moves layers (keyed children), an add or remove changes the list.
  layers: fc.uniqueArray(layerArb, { minLength: 0, maxLength: 4, selector: (l) => l.id }),
  headless: fc.boolean(),
  /** Wait before the next edit: 0 is two re-renders in a row, with no training step between them. */
  waitMs: fc.constantFrom(0, 0, 5, 20),
});

type Edit = { layers: LayerSpec[]; headless: boolean };

/** Keyed layers and, unless `headless`, a Linear(1) head that the one-column labels need. */
const treeOf = ({ layers, headless }: Edit) => (
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

/** Whether the tree builds and fits the data: positive integer widths, one output column. */
const isValid = ({ layers, headless }: Edit) => {
  const widths = layers.filter((l) => l.type === 'Linear').map((l) => l.out);
  return widths.every((w) => Number.isInteger(w) && (w as number) > 0) && (!headless || widths.at(-1) === 1);
};

const START: Edit = {
  layers: [
    { id: 100, type: 'Linear', out: 6 },
    { id: 101, type: 'Tanh', out: 0 },
  ],
  headless: false,
};

const sleep = (ms: number) => act(() => new Promise<void>((r) => setTimeout(r, ms)));
const until = async (cond: () => boolean, ms = 20_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await sleep(5);
  }
};

let uncaught: unknown[] = [];
const onError = (e: ErrorEvent) => uncaught.push(e.error);
const onRejection = (e: unknown) => uncaught.push(e);
beforeEach(() => {
  uncaught = [];
  window.addEventListener('error', onError);
  process.on('unhandledRejection', onRejection);
});
afterEach(() => {
  window.removeEventListener('error', onError);
  process.off('unhandledRejection', onRejection);
});

describe('fuzzed <Model> re-renders while useTrainer trains', () => {
  it.each(['tfjs', 'fused-cpu'] as const)(
    '%s: every edit applies or shows as a ReactNNError on the handle; the last good model trains on; no leak',
    async (engine: EngineName) => {
      const data = fromArrays({
        x: Array.from({ length: 48 }, (_, i) => [Math.sin(i), Math.cos(i * 0.3)]),
        y: Array.from({ length: 48 }, (_, i) => [Math.sin(i) - 2 * Math.cos(i * 0.3)]),
        task: 'regression',
      });
      const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
      const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 6 }), async (edits) => {
            const before = tf.memory().numTensors;
            let net: Net | null = null;
            let trainer: Trainer | null = null;
            function App({ edit }: { edit: Edit }) {
              const model = useModel();
              net = model;
              trainer = useTrainer(model, data, {
                loss: 'mse',
                optimizer: { type: 'sgd', lr: 0.01 },
                batchSize: 8,
                epochs: 1_000_000,
                engine,
                seed: 1,
                autoStart: true,
              });
              return (
                <Model handle={model} inputShape={[2]} backend="cpu" seed={1}>
                  {treeOf(edit)}
                </Model>
              );
            }
            const view = render(<App edit={START} />);
            const handle = () => net as unknown as Net;
            const current = () => trainer as Trainer | null;
            try {
              await until(() => (current()?.getSnapshot().step ?? 0) > 2);
              const first = current();
              for (const edit of edits) {
                const model = handle().model;
                view.rerender(<App edit={edit} />);
                if (isValid(edit)) {
                  // Taken: no error on the handle (a tree equal to the current one commits nothing).
                  expect(handle().error).toBeNull();
                  expect(handle().status).not.toBe('error');
                } else {
                  expect(handle().error).toBeInstanceOf(ReactNNError);
                  expect(handle().model).toBe(model);
                }
                if (edit.waitMs) await sleep(edit.waitMs);
              }
              // One trainer throughout: edits never re-create it, and it never failed.
              expect(current()).toBe(first);
              const steps = current()?.getSnapshot().step ?? 0;
              await until(() => (current()?.getSnapshot().step ?? 0) > steps + 3 || current()?.status !== 'running');
              const snap = current()?.getSnapshot();
              expect(snap?.error).toBeNull();
              expect(snap?.status).toBe('running');
              expect(snap?.history.loss.every(Number.isFinite)).toBe(true);
            } finally {
              view.unmount();
              // The model's own dispose is deferred a macrotask (StrictMode remounts take it back).
              await sleep(20);
            }
            expect(current()?.isDisposed ?? true).toBe(true);
            expect(handle().isDisposed).toBe(true);
            expect(tf.memory().numTensors).toBe(before);
          }),
          { numRuns: 15, seed: 13, endOnFailure: true },
        );
        expect(uncaught).toEqual([]);
        expect(consoleError).not.toHaveBeenCalled();
      } finally {
        consoleError.mockRestore();
        consoleWarn.mockRestore();
        data.dispose();
      }
    },
  );
});
