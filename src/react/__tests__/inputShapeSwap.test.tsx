// @vitest-environment jsdom
import * as tf from '@tensorflow/tfjs';
import { act, render } from '@testing-library/react';
import { StrictMode, useMemo, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { ReactNNError } from '../../errors';
import { Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { createTrainer, type Trainer } from '../../training/trainer';
import { Model } from '../Model';
import { renderModel } from '../renderModel';
import { useModel } from '../useModel';
import { useTrainer } from '../useTrainer';

// A new input size and a new data set in one React commit (a feature toggled on in a playground):
// the trainer for the old data must give way to one for the new data, with no error thrown.

const until = async (cond: () => boolean, ms = 30_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await act(() => new Promise((r) => setTimeout(r, 10)));
  }
};

/** 40 rows of `features` columns; y is their sum. */
const rows = (features: number) =>
  fromArrays({
    x: Array.from({ length: 40 }, (_, i) => Array.from({ length: features }, (_, j) => Math.sin(i + j))),
    y: Array.from({ length: 40 }, (_, i) => [
      Array.from({ length: features }, (_, j) => Math.sin(i + j)).reduce((a, b) => a + b, 0),
    ]),
    task: 'regression',
  });

let errors: unknown[] = [];
const onError = (e: ErrorEvent) => errors.push(e.error);
beforeEach(() => {
  errors = [];
  window.addEventListener('error', onError);
});
afterEach(() => window.removeEventListener('error', onError));

describe('<Model inputShape> and the data change in one commit', () => {
  it.each([
    ['tfjs', false],
    ['fused-cpu', false],
    ['fused-cpu', true],
  ] as const)(
    '%s (StrictMode: %s): useTrainer hands over to a trainer for the new data and model; nothing throws, nothing leaks',
    async (engine, strict) => {
      const start = tf.memory().numTensors;
      const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
      let trainer: Trainer | null = null;
      let setFeatures: (n: number) => void = () => {};
      const made: { dispose(): void }[] = [];
      function App() {
        const [features, set] = useState(2);
        setFeatures = set;
        const data = useMemo(() => {
          const d = rows(features);
          made.push(d);
          return d;
        }, [features]);
        const model = useModel();
        trainer = useTrainer(model, data, {
          loss: 'mse',
          optimizer: { type: 'adam', lr: 0.01 },
          batchSize: 8,
          epochs: 1_000_000,
          engine,
          seed: 1,
          autoStart: true,
        });
        return (
          <Model handle={model} inputShape={[features]} backend="cpu" seed={1}>
            <Sequential>
              <Linear outFeatures={4} />
              <Tanh />
              <Linear outFeatures={1} />
            </Sequential>
          </Model>
        );
      }
      const view = render(
        strict ? (
          <StrictMode>
            <App />
          </StrictMode>
        ) : (
          <App />
        ),
      );
      try {
        await until(() => (trainer?.getSnapshot().step ?? 0) > 3);
        const first = trainer as Trainer | null;
        for (const n of [3, 1, 4]) {
          const before = trainer as Trainer | null;
          act(() => setFeatures(n));
          await until(() => trainer !== before && (trainer?.getSnapshot().step ?? 0) > 3);
          const t = trainer as Trainer | null;
          expect(t?.getSnapshot().error).toBeNull();
          expect(t?.status).toBe('running');
          expect(t?.net.model?.inputs[0]?.shape).toEqual([null, n]);
          expect(t?.getSnapshot().history.loss.every(Number.isFinite)).toBe(true);
        }
        expect(first?.isDisposed).toBe(true);
        expect(errors).toEqual([]);
        expect(consoleError).not.toHaveBeenCalled();
      } finally {
        view.unmount();
        consoleError.mockRestore();
      }
      await act(() => new Promise((r) => setTimeout(r, 50)));
      for (const d of made) d.dispose();
      expect(tf.memory().numTensors).toBe(start);
    },
  );
});

describe('a tree refused for a trainer', () => {
  it('is built once that trainer is disposed; a tree refused for its own faults stays refused', async () => {
    const start = tf.memory().numTensors;
    const two = rows(2);
    const three = rows(3);
    const tree = (width: number) => (
      <Sequential>
        <Linear outFeatures={width} />
        <Tanh />
        <Linear outFeatures={1} />
      </Sequential>
    );
    const rendered = await renderModel(tree(4), { inputShape: [2], seed: 1, backend: 'cpu' });
    const { net } = rendered;
    const first = createTrainer(net, { data: two, loss: 'mse', optimizer: { type: 'sgd', lr: 0.01 } });
    // The new input size does not fit the trainer's data: refused, the [2] model stays.
    net.setOptions({ inputShape: [3] });
    expect(net.error).toBeInstanceOf(ReactNNError);
    expect(net.error?.message).toMatch(/the model takes inputs of shape \[3\] but the data's examples are \[2\]/);
    expect(net.model?.inputs[0]?.shape).toEqual([null, 2]);
    first.dispose();
    expect(net.error).toBeNull();
    expect(net.model?.inputs[0]?.shape).toEqual([null, 3]);

    const second = createTrainer(net, { data: three, loss: 'mse', optimizer: { type: 'sgd', lr: 0.01 } });
    const model = net.model;
    await expect(rendered.update(tree(0))).rejects.toThrow(ReactNNError);
    second.dispose();
    // Its fault is the tree's own, not the trainer's: still refused, the last good model kept.
    expect(net.error).toBeInstanceOf(ReactNNError);
    expect(net.model).toBe(model);
    rendered.dispose();
    two.dispose();
    three.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
