import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { housePrices, spiral } from '../../data/generators';
import type { ReactNNError } from '../../errors';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { createTrainer } from '../../training/trainer';
import { DecisionBoundary, FitPlot } from '../boundary';
import { OKABE_ITO, parseColor } from '../theme';
import { moonsData, moonsMlp, settle, textAlternative, until } from './helpers';

const owned: { dispose(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const o of owned.splice(0).reverse()) o.dispose();
});

/** logit = 1·x₀ + 0·x₁ + 0, then Sigmoid: class 1 exactly where x₀ > 0. */
const splitAtZero = () =>
  renderModel(
    <Sequential>
      <Linear outFeatures={1} weightInit={(shape) => (shape[0] === 2 ? [1, 0] : [0])} biasInit={0} />
      <Sigmoid />
    </Sequential>,
    { inputShape: [2], backend: 'cpu' },
  );

function pixel(canvas: HTMLCanvasElement, cssWidth: number, x: number, y: number): number[] {
  const dpr = canvas.width / cssWidth;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  return Array.from(ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data).slice(0, 3);
}

/** Which of the two class colours `rgb` is nearer to. */
function nearestClass(rgb: number[]): number {
  const dist = (c: string) => parseColor(c).reduce((s, v, i) => s + (v - (rgb[i] as number)) ** 2, 0);
  return dist(OKABE_ITO[0] as string) < dist(OKABE_ITO[1] as string) ? 0 : 1;
}

describe('DecisionBoundary', () => {
  it('colours the plane left and right of x = 0 with the two class colours', async () => {
    const net = await splitAtZero();
    owned.push(net);
    const view = render(<DecisionBoundary model={net} domain={{ x: [-2, 2], y: [-2, 2] }} width={320} />);
    const fig = view.getByRole('figure', { name: 'Decision boundary' });
    await until(() => /Predicted classes/.test(textAlternative(fig)), 20_000, 'the heatmap');
    expect(textAlternative(fig)).toMatch(/50% class 0, 50% class 1/);
    const canvas = fig.querySelector('canvas') as HTMLCanvasElement;
    // The plotting area spans x = 44…310 px for x₀ = −2…2; sample well inside each half.
    for (const y of [60, 160, 260]) {
      expect(nearestClass(pixel(canvas, 320, 90, y))).toBe(0);
      expect(nearestClass(pixel(canvas, 320, 130, y))).toBe(0);
      expect(nearestClass(pixel(canvas, 320, 220, y))).toBe(1);
      expect(nearestClass(pixel(canvas, 320, 270, y))).toBe(1);
    }
    // Stronger colour where the model is surer (shading by probability).
    const bg = parseColor('#ffffff');
    const far = pixel(canvas, 320, 60, 160);
    const near = pixel(canvas, 320, 170, 160);
    const dist = (c: number[]) => c.reduce((s, v, i) => s + (v - (bg[i] as number)) ** 2, 0);
    expect(dist(far)).toBeGreaterThan(dist(near));
    view.unmount();
  });

  it('draws training and validation points and reports how many it classifies correctly', async () => {
    const net = await splitAtZero();
    // Two points per side, one of them on the wrong side.
    const train = fromArrays({
      x: [
        [-1, 0],
        [1, 0],
        [1.5, 1],
      ],
      y: [0, 1, 0],
      numClasses: 2,
    });
    const val = fromArrays({ x: [[-1.2, -1]], y: [0], numClasses: 2 });
    owned.push(net, train, val);
    const view = render(<DecisionBoundary model={net} data={{ train, val }} classNames={['left', 'right']} />);
    const fig = view.getByRole('figure', { name: 'Decision boundary' });
    await until(() => /validation point/.test(textAlternative(fig)));
    expect(textAlternative(fig)).toMatch(/3 training points, 67% classified correctly\. 1 validation point, 100%/);
    expect(fig.textContent).toMatch(/left.*right.*validation/);
    view.unmount();
  });

  it('colours each class of a multi-class model by its argmax', async () => {
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={16} />
        <ReLU />
        <Linear outFeatures={3} />
      </Sequential>,
      { inputShape: [2], backend: 'cpu', seed: 3 },
    );
    const data = spiral({ pointsPerClass: 30, classes: 3, seed: 1 });
    owned.push(net, data);
    const view = render(<DecisionBoundary model={net} data={data} resolution={32} />);
    const fig = view.getByRole('figure', { name: 'Decision boundary' });
    await until(() => /training points/.test(textAlternative(fig)));
    expect(textAlternative(fig)).toMatch(/% class 0, \d+% class 1, \d+% class 2\. 90 training points/);
    view.unmount();
  });

  it('redraws while a trainer trains, never more than once per animation frame', async () => {
    const net = await moonsMlp(8);
    const data = moonsData(300);
    const trainer = createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.05 },
      epochs: 15,
      batchSize: 16,
      seed: 1,
    });
    owned.push(net, data, trainer);
    const view = render(<DecisionBoundary model={net} data={data} trainer={trainer} resolution={32} />);
    const fig = view.getByRole('figure', { name: 'Decision boundary' });
    await until(() => Number(fig.dataset.draws) >= 1);
    const before = Number(fig.dataset.draws);
    let frames = 0;
    let counting = true;
    const tick = () => {
      frames++;
      if (counting) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    await trainer.fit();
    await settle(100);
    counting = false;
    const draws = Number(fig.dataset.draws) - before;
    expect(draws).toBeGreaterThanOrEqual(2);
    expect(draws).toBeLessThanOrEqual(frames);
    expect(textAlternative(fig)).toMatch(/300 training points, \d+% classified correctly/);
    view.unmount();
  });

  it('on a 3-input model shows an error naming the shape, and reports a ReactNNError', async () => {
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={1} />
      </Sequential>,
      { inputShape: [3], backend: 'cpu' },
    );
    owned.push(net);
    const errors: ReactNNError[] = [];
    const view = render(<DecisionBoundary model={net} onError={(e) => errors.push(e)} />);
    await settle();
    const fig = view.getByRole('figure', { name: 'Decision boundary' });
    const alert = view.getByRole('alert');
    expect(alert.textContent).toMatch(/inputShape \[2\].*this model takes \[3\]/);
    expect(textAlternative(fig)).toMatch(/Error: .*\[3\]/);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.name).toBe('ReactNNError');
    expect(errors[0]?.code).toBe('shape');
    view.unmount();
  });

  it('renders an empty state without a model', () => {
    const view = render(<DecisionBoundary model={null} />);
    const fig = view.getByRole('figure', { name: 'Decision boundary', description: /no prediction yet/ });
    expect(fig.textContent).toMatch(/No model yet/);
    view.unmount();
  });
});

describe('FitPlot', () => {
  it('draws house prices with a fixed line and reports its error', async () => {
    // price = 9 − 0.05·m²
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={1} weightInit={(shape) => (shape[0] === 1 ? [-0.05] : [9])} biasInit={9} />
      </Sequential>,
      { inputShape: [1], backend: 'cpu' },
    );
    const data = housePrices();
    owned.push(net, data);
    const view = render(<FitPlot model={net} data={data} xLabel="m²" yLabel="price" />);
    const fig = view.getByRole('figure', { name: 'Model fit' });
    await until(() => /MSE/.test(textAlternative(fig)));
    const x = Array.from({ length: 12 }, (_, i) => 30 + 10 * i);
    const y = [7.5, 7, 6.5, 6.0, 5.5, 5.0, 4.5, 3.5, 3.2, 2.8, 3.0, 2.5];
    const mse = y.reduce((s, v, i) => s + (v - (9 - 0.05 * (x[i] as number))) ** 2, 0) / 12;
    const match = /12 training points: MSE ([\d.e-]+)/.exec(textAlternative(fig));
    expect(Number(match?.[1])).toBeCloseTo(mse, 2);
    expect(textAlternative(fig)).toMatch(/Model curve over x from 24\.5 to 146/);
    view.unmount();
  });

  it('plots predicted against true values for a multi-input model', async () => {
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={1} weightInit={1} biasInit={0} />
      </Sequential>,
      { inputShape: [2], backend: 'cpu' },
    );
    // y = x₀ + x₁ exactly: the model is perfect.
    const data = fromArrays({
      x: [
        [0, 1],
        [1, 1],
        [2, 3],
      ],
      y: [1, 2, 5],
    });
    owned.push(net, data);
    const view = render(<FitPlot model={net} data={data} />);
    const fig = view.getByRole('figure', { name: 'Predicted vs true' });
    await until(() => /MSE/.test(textAlternative(fig)));
    expect(textAlternative(fig)).toMatch(/3 training points: MSE 0, R² 1/);
    view.unmount();
  });
});
