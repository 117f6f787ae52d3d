import * as tf from '@tensorflow/tfjs';
import { act, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { Sigmoid, Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { Model } from '../Model';
import { useDataset } from '../useDataset';
import { useMetrics } from '../useMetrics';
import { useModel } from '../useModel';
import { useTrainer } from '../useTrainer';

function Moons() {
  const data = useDataset(() => moons({ n: 300, noise: 0.2, seed: 2 }));
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: { type: 'adam', lr: 0.03 },
    epochs: 25,
    autoStart: true,
  });
  const { history, status } = useMetrics(trainer);
  return (
    <section>
      <p>backend: {model.backend?.name ?? '…'}</p>
      <p data-testid="status">{status}</p>
      <ol aria-label="loss per epoch">
        {history.loss.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: one entry per epoch, append-only.
          <li key={i}>{l}</li>
        ))}
      </ol>
      <Model handle={model} inputShape={[2]}>
        <Sequential>
          <Linear outFeatures={16} />
          <Tanh />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
    </section>
  );
}

describe('hooks in Chromium', () => {
  it('a useTrainer + useMetrics component shows the loss falling, then cleans up', async () => {
    const start = tf.memory().numTensors;
    const view = render(<Moons />);
    const t0 = performance.now();
    while (view.getByTestId('status').textContent !== 'done') {
      if (performance.now() - t0 > 90_000) throw new Error('training did not finish');
      await act(() => new Promise((r) => setTimeout(r, 50)));
    }
    expect(view.getByText(/backend: (webgl|webgpu|cpu)/)).toBeTruthy();
    const items = view.getByRole('list', { name: 'loss per epoch' }).querySelectorAll('li');
    expect(items).toHaveLength(25);
    const first = Number(items[0]?.textContent);
    const last = Number(items[24]?.textContent);
    expect(last).toBeLessThan(first * 0.8);
    view.unmount();
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(tf.memory().numTensors).toBe(start);
  });
});
