// @vitest-environment jsdom
import * as tf from '@tensorflow/tfjs';
import { act, render } from '@testing-library/react';
import { StrictMode, useMemo } from 'react';
import { describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { earlyStopping } from '../../training/callbacks';
import type { Trainer } from '../../training/trainer';
import { Model } from '../Model';
import { useDataset } from '../useDataset';
import { useMetrics } from '../useMetrics';
import { useModel } from '../useModel';
import { usePredict } from '../usePredict';
import { useTrainer } from '../useTrainer';

const until = async (cond: () => boolean, ms = 60_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await act(() => new Promise((r) => setTimeout(r, 20)));
  }
};

const probe = [
  [0, 0],
  [1, 1],
];

function App({ lr, epochs, onTrainer }: { lr: number; epochs: number; onTrainer?: (t: Trainer | null) => void }) {
  const data = useDataset(() => moons({ n: 200, noise: 0.2, seed: 1 }), { validationSplit: 0.2 });
  const model = useModel();
  const callbacks = useMemo(() => [earlyStopping({ patience: 50 })], []);
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: { type: 'adam', lr },
    epochs,
    batchSize: 32,
    callbacks,
    autoStart: true,
  });
  onTrainer?.(trainer);
  const { history, epoch, status } = useMetrics(trainer, ['loss', 'val_loss']);
  const predictions = usePredict(model, probe, { trainer });
  return (
    <>
      <output data-testid="status">{status}</output>
      <output data-testid="epoch">{epoch}</output>
      <output data-testid="loss">{history.loss.join(',')}</output>
      <output data-testid="val">{(history.val_loss ?? []).length}</output>
      <output data-testid="pred">{predictions ? predictions.length : 'none'}</output>
      <Model handle={model} inputShape={[2]} backend="cpu" seed={1}>
        <Sequential>
          <Linear outFeatures={8} />
          <ReLU />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
    </>
  );
}

describe('hooks', () => {
  it('train from UI state: loss falls, val_loss is logged, predictions arrive, a new lr applies live', async () => {
    let trainer: Trainer | null = null;
    const view = render(<App lr={0.02} epochs={30} onTrainer={(t) => (trainer = t)} />);
    await until(() => view.getByTestId('status').textContent === 'done');
    const losses = (view.getByTestId('loss').textContent ?? '').split(',').map(Number);
    expect(losses).toHaveLength(30);
    expect(losses.at(-1) as number).toBeLessThan(losses[0] as number);
    expect(view.getByTestId('val').textContent).toBe('30');
    await until(() => view.getByTestId('pred').textContent === '2');
    view.rerender(<App lr={0.001} epochs={30} onTrainer={(t) => (trainer = t)} />);
    await act(() => new Promise((r) => setTimeout(r, 10)));
    expect((trainer as Trainer | null)?.getSnapshot().lr).toBe(0.001);
    view.unmount();
    await act(() => new Promise((r) => setTimeout(r, 20)));
  });

  it('leaks no tensors over mount → train → unmount cycles under StrictMode', async () => {
    const start = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const view = render(
        <StrictMode>
          <App lr={0.01} epochs={1000} />
        </StrictMode>,
      );
      await until(() => Number(view.getByTestId('epoch').textContent) >= 2);
      view.unmount();
      await act(() => new Promise((r) => setTimeout(r, 50)));
    }
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('useTrainer takes what createTrainer takes', () => {
  it('a renderModel() result and the createTrainer form, with data (and validationSplit) in the options', async () => {
    const { renderModel } = await import('../renderModel');
    const start = tf.memory().numTensors;
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={4} />
        <ReLU />
        <Linear outFeatures={1} />
        <Sigmoid />
      </Sequential>,
      { inputShape: [2], backend: 'cpu', seed: 1 },
    );
    const data = moons({ n: 100, noise: 0.2, seed: 1 });
    let trainer: Trainer | null = null;
    function Train() {
      trainer = useTrainer(net, {
        data,
        validationSplit: 0.2,
        loss: 'bce',
        optimizer: { type: 'sgd', lr: 0.1 },
        epochs: 2,
      });
      const { status, history } = useMetrics(trainer);
      return (
        <output data-testid="s">
          {status}:{(history.val_loss ?? []).length}
        </output>
      );
    }
    const view = render(<Train />);
    await until(() => trainer !== null);
    await act(async () => {
      await (trainer as Trainer | null)?.fit();
    });
    expect(view.getByTestId('s').textContent).toBe('done:2');
    view.unmount();
    net.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('refuses a call without options with a ReactNNError naming both forms', () => {
    function Bad() {
      // @ts-expect-error: the options are missing on purpose.
      useTrainer(null, null);
      return null;
    }
    // React reports the render error to window and console as well as throwing it: keep the output clean.
    const onError = (e: ErrorEvent) => e.preventDefault();
    window.addEventListener('error', onError);
    const err = console.error;
    console.error = () => {};
    try {
      expect(() => render(<Bad />)).toThrow(
        /useTrainer: expected options — useTrainer\(model, data, \{ loss, optimizer, … \}\) or useTrainer\(model, \{ data, loss, optimizer, … \}\)/,
      );
    } finally {
      console.error = err;
      window.removeEventListener('error', onError);
    }
  });
});
