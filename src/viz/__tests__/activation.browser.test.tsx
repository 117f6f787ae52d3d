import * as tf from '@tensorflow/tfjs';
import { cleanup, render } from '@testing-library/react';
import type uPlot from 'uplot';
import { afterEach, describe, expect, it } from 'vitest';
import { ActivationPlot, activationCurves } from '../activation';
import { textAlternative, until } from './helpers';

afterEach(cleanup);

describe('ActivationPlot', () => {
  it('plots ReLU and its derivative from the real layer, named and described', async () => {
    const plots: uPlot[] = [];
    const view = render(<ActivationPlot activation="ReLU" width={300} onCreate={(u) => plots.push(u)} />);
    const fig = view.getByRole('figure', { name: 'ReLU' });
    await until(() => plots.length > 0);
    expect(textAlternative(fig)).toBe(
      'ReLU over x from -5 to 5: values from 0 to 5, derivative from 0 to 1. ReLU(-1) = 0, ReLU′ = 0; ReLU(0) = 0, ReLU′ = 0; ReLU(1) = 1, ReLU′ = 1.',
    );
    const [x, y, dy] = (plots[0] as uPlot).data as [number[], number[], number[]];
    expect(x).toHaveLength(201);
    expect(x[0]).toBe(-5);
    expect(y[180]).toBeCloseTo(4, 5);
    expect(dy[180]).toBe(1);
    expect(dy[20]).toBe(0);
    expect(plots[0]?.series.map((s) => s.label)).toEqual(['x', 'ReLU(x)', 'ReLU′(x)']);
    view.unmount();
  });

  it("computes sigmoid's derivative σ(1 − σ) and LeakyReLU's slope from layer props", async () => {
    const s = await activationCurves('Sigmoid', {}, [-1, 1], 3);
    expect(s.y[1]).toBeCloseTo(0.5, 6);
    expect(s.dy[1]).toBeCloseTo(0.25, 6);
    const sig1 = 1 / (1 + Math.exp(-1));
    expect(s.dy[2]).toBeCloseTo(sig1 * (1 - sig1), 5);
    const l = await activationCurves('LeakyReLU', { negativeSlope: 0.1 }, [-2, 2], 5);
    expect(l.y.map((v) => Number(v.toFixed(5)))).toEqual([-0.2, -0.1, 0, 1, 2]);
    expect(l.dy[0]).toBeCloseTo(0.1, 6);
    expect(l.dy[4]).toBeCloseTo(1, 6);
  });

  it('takes a function of a tensor', async () => {
    const square = (x: tf.Tensor) => tf.mul(x, x);
    const view = render(<ActivationPlot activation={square} range={[-1, 1]} samples={3} title="x²" />);
    const fig = view.getByRole('figure', { name: 'x²' });
    await until(() => /derivative/.test(textAlternative(fig)));
    expect(textAlternative(fig)).toMatch(/square\(1\) = 1, square′ = 2/);
    view.unmount();
  });

  it('shows an error for an unknown layer type, and disposes every tensor it makes', async () => {
    const before = tf.memory().numTensors;
    const view = render(<ActivationPlot activation="NoSuchLayer" />);
    const fig = view.getByRole('figure', { name: 'NoSuchLayer' });
    await until(() => view.queryByRole('alert') !== null);
    expect(view.getByRole('alert').textContent).toMatch(/NoSuchLayer/);
    expect(textAlternative(fig)).toMatch(/Error/);
    view.unmount();
    await activationCurves('GELU');
    await activationCurves('PReLU');
    expect(tf.memory().numTensors).toBe(before);
  });
});
