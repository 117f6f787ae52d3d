import * as tf from '@tensorflow/tfjs';
import { cleanup, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { GradientMagnitudes } from '../gradients';
import { BoundaryTimeline } from '../timeline';
import { settle, textAlternative, until } from './helpers';

const owned: { dispose(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const o of owned.splice(0).reverse()) o.dispose();
});

describe('GradientMagnitudes', () => {
  it('matches the hand-computed gradient of a one-weight model, and leaks nothing (StrictMode)', async () => {
    // y = w·x with w = 2, one example x = 3, target 0: mse = (6)², dL/dw = 2·6·3 = 36.
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={1} bias={false} weightInit={2} />
      </Sequential>,
      { inputShape: [1], backend: 'cpu' },
    );
    owned.push(net);
    const data = fromArrays({ x: [[3]], y: [[0]], task: 'regression' });
    owned.push(data);
    await settle();
    const start = tf.memory().numTensors;
    const view = render(
      <StrictMode>
        <GradientMagnitudes model={net} data={data} loss="mse" />
      </StrictMode>,
    );
    const fig = view.getByRole('figure', { name: 'Gradient magnitude per layer' });
    await until(() => fig.dataset.layers === '1', 20_000, 'the gradient');
    expect(Number(fig.querySelector('tbody tr')?.getAttribute('data-value'))).toBeCloseTo(36, 4);
    expect(textAlternative(fig)).toMatch(/Linear.* 3\.60e\+1/);
    view.unmount();
    await settle(50);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('shows vanishing gradients: a deep sigmoid stack has far smaller gradients at its first layer', async () => {
    const layers = [];
    for (let i = 0; i < 6; i++) layers.push(<Linear key={`l${i}`} outFeatures={4} />, <Sigmoid key={`s${i}`} />);
    const net = await renderModel(
      <Sequential>
        {layers}
        <Linear outFeatures={1} />
      </Sequential>,
      { inputShape: [2], backend: 'cpu', seed: 3 },
    );
    owned.push(net);
    const data = fromArrays({
      x: [
        [1, 2],
        [-1, 0.5],
        [0.3, -2],
        [2, 2],
      ],
      y: [[1], [0], [1], [0]],
      task: 'regression',
    });
    owned.push(data);
    const view = render(<GradientMagnitudes model={net} data={data} />);
    const fig = view.getByRole('figure', { name: 'Gradient magnitude per layer' });
    await until(() => fig.dataset.layers === '7', 20_000, 'the gradients');
    const values = [...fig.querySelectorAll('tbody tr')].map((r) => Number(r.getAttribute('data-value')));
    expect((values[0] as number) * 100).toBeLessThan(values[6] as number);
  });
});

describe('BoundaryTimeline', () => {
  const frame = (epoch: number, v: number) => ({ epoch, values: new Float32Array(16).fill(v) });

  it('follows the newest frame, and scrubs back to an earlier epoch', async () => {
    const frames = [frame(0, -1), frame(5, -1), frame(9, 1)];
    const view = render(<BoundaryTimeline frames={frames} resolution={4} />);
    const fig = view.getByRole('figure', { name: 'Decision boundary over time' });
    expect(fig.dataset.epoch).toBe('9');
    expect(textAlternative(fig)).toBe('Output at epoch 9: positive over 100% of the plane. 3 snapshots, epochs 0–9.');
    const slider = view.getByRole('slider', { name: 'Epoch' }) as HTMLInputElement;
    const { fireEvent } = await import('@testing-library/react');
    fireEvent.change(slider, { target: { value: '1' } });
    expect(fig.dataset.epoch).toBe('5');
    expect(textAlternative(fig)).toMatch(/^Output at epoch 5: positive over 0% of the plane/);
    // New frames do not move a scrubbed view; "Follow live" does.
    view.rerender(<BoundaryTimeline frames={[...frames, frame(12, 1)]} resolution={4} />);
    expect(fig.dataset.epoch).toBe('5');
    fireEvent.click(view.getByRole('button', { name: 'Follow live' }));
    expect(fig.dataset.epoch).toBe('12');
  });

  it('says when there is nothing yet', () => {
    const view = render(<BoundaryTimeline frames={[]} resolution={4} />);
    expect(textAlternative(view.getByRole('figure'))).toBe('No snapshots yet: train to record the boundary.');
  });
});
