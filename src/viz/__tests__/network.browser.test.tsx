import * as tf from '@tensorflow/tfjs';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { Dropout, Tanh } from '../../layers/index';
import { renderModel } from '../../react/renderModel';
import { createTrainer } from '../../training/trainer';
import { NetworkView, networkViewTuning } from '../network';
import { parseColor } from '../theme';
import { settle, textAlternative, until } from './helpers';

const owned: { dispose(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const o of owned.splice(0).reverse()) o.dispose();
});

/** The input x₁, x₂ at the centres of an n × n grid over [−6, 6]², top row first. */
function planeGrid(n: number) {
  const values = new Float32Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      values[(r * n + c) * 2] = -6 + ((c + 0.5) * 12) / n;
      values[(r * n + c) * 2 + 1] = 6 - ((r + 0.5) * 12) / n;
    }
  }
  return { values, resolution: n };
}

/** 2-2-1 tanh with the identity as first kernel and [1, 0] as second: output = tanh(tanh(x₁)). */
const signOfX = () =>
  renderModel(
    <Sequential>
      <Linear outFeatures={2} weightInit={() => [1, 0, 0, 1]} biasInit={0} />
      <Tanh />
      <Dropout p={0.2} />
      <Linear outFeatures={1} weightInit={() => [1, 0]} biasInit={0} />
      <Tanh />
    </Sequential>,
    { inputShape: [2], backend: 'cpu' },
  );

function pixel(canvas: HTMLCanvasElement, x: number, y: number): number[] {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  return Array.from(ctx.getImageData(x, y, 1, 1).data).slice(0, 3);
}
const dist = (rgb: number[], color: string) =>
  parseColor(color).reduce((s, v, i) => s + (v - (rgb[i] as number)) ** 2, 0);
/** Whether `rgb` is a shade of `color` (nearer to it than to the other signed colour and to white). */
const near = (rgb: number[], color: string) => {
  const other = color === '#0072B2' ? '#E69F00' : '#0072B2';
  return dist(rgb, color) < dist(rgb, other) && dist(rgb, color) < dist(rgb, '#ffffff');
};

describe('NetworkView', () => {
  it('draws a thumbnail per neuron, a link per weight, and the output over the plane', async () => {
    const net = await signOfX();
    owned.push(net);
    const view = render(<NetworkView model={net} grid={planeGrid(20)} inputLabels={['x₁', 'x₂']} outputSize={200} />);
    const fig = view.getByRole('figure', { name: 'Network' });
    await until(() => Number(fig.dataset.draws) > 0, 20_000, 'the first draw');
    expect(fig.dataset.neurons).toBe('5');
    expect(fig.querySelectorAll('canvas.rnn-neuron')).toHaveLength(5);
    const links = [...fig.querySelectorAll('path.rnn-link')];
    expect(links.map((l) => Number(l.getAttribute('data-weight')))).toEqual([1, 0, 0, 1, 1, 0]);
    // Positive links in the positive colour, zero weights thin.
    expect(links[0]?.getAttribute('stroke')).toContain('--rnn-pos');
    expect(Number(links[1]?.getAttribute('stroke-width'))).toBeLessThan(Number(links[0]?.getAttribute('stroke-width')));
    expect(links[0]?.getAttribute('aria-label')).toBe('Weight x₁ → layer 1 neuron 1. Press Enter to edit.');
    // Output = tanh(tanh(x₁)): the positive colour right of x₁ = 0, the negative colour left of it.
    const out = fig.querySelector('canvas.rnn-output') as HTMLCanvasElement;
    expect(near(pixel(out, 10, 100), '#0072B2')).toBe(true);
    expect(near(pixel(out, 190, 100), '#E69F00')).toBe(true);
    expect(textAlternative(fig)).toMatch(/Network 2-2-1.*positive over 50% of the plane/);
  });

  it('shows the weight on hover, and edits it on click', async () => {
    const net = await signOfX();
    owned.push(net);
    const view = render(<NetworkView model={net} grid={planeGrid(10)} inputLabels={['x₁', 'x₂']} />);
    const fig = view.getByRole('figure', { name: 'Network' });
    await until(() => Number(fig.dataset.draws) > 0, 20_000, 'the first draw');
    const link = fig.querySelectorAll('path.rnn-link')[4] as SVGPathElement;
    fireEvent.mouseEnter(link);
    expect(view.getByRole('tooltip').textContent).toBe('Weight layer 1 neuron 1 → output: 1.000');
    fireEvent.mouseLeave(link);
    expect(view.queryByRole('tooltip')).toBeNull();
    // Keyboard users get the same tooltip on focus, and it describes the focused link.
    fireEvent.focus(link);
    const tip = view.getByRole('tooltip');
    expect(tip.textContent).toBe('Weight layer 1 neuron 1 → output: 1.000');
    expect(link.getAttribute('aria-describedby')).toBe(tip.id);
    fireEvent.click(link);
    const input = view.getByRole('spinbutton', { name: /Weight layer 1 neuron 1 → output/ }) as HTMLInputElement;
    fireEvent.change(input, { target: { value: '-2.5' } });
    const draws = Number(fig.dataset.draws);
    fireEvent.submit(input.form as HTMLFormElement);
    await until(() => Number(fig.dataset.draws) > draws, 20_000, 'a redraw after the edit');
    const kernel = net.model?.layers.find((l) => l.getWeights()[0]?.shape.join() === '2,1')?.getWeights()[0];
    expect(Array.from(await (kernel as tf.Tensor).data())).toEqual([-2.5, 0]);
    expect(Number(fig.querySelectorAll('path.rnn-link')[4]?.getAttribute('data-weight'))).toBe(-2.5);
    // The tooltip of the still-focused link follows the weight as drawn.
    expect(view.getByRole('tooltip').textContent).toBe('Weight layer 1 neuron 1 → output: -2.500');
    // Now the output is negative right of x₁ = 0.
    expect(textAlternative(fig)).toMatch(/positive over 50%/);
    const out = fig.querySelector('canvas.rnn-output') as HTMLCanvasElement;
    expect(near(pixel(out, 230, 120), '#0072B2')).toBe(true);
  });

  it('a grid drawn in slices (a synchronous backend, a slow net) gives the output drawn whole, value for value', async () => {
    const net = await signOfX();
    owned.push(net);
    const outputs: Float32Array[] = [];
    const grid = planeGrid(30);
    const draw = (g: typeof grid) => (
      <NetworkView model={net} grid={g} inputLabels={['x₁', 'x₂']} onOutput={(v) => outputs.push(v)} />
    );
    const view = render(draw(grid));
    const fig = view.getByRole('figure', { name: 'Network' });
    await until(() => outputs.length > 0, 20_000, 'the first draw (whole: nothing measured yet)');
    const before = { ...networkViewTuning };
    try {
      // Any predict is "slow" now: the next draw goes through the 900 rows in slices of 64.
      networkViewTuning.sliceMs = 1e-9;
      view.rerender(draw({ ...grid }));
      await until(() => outputs.length > 1, 20_000, 'a second draw');
      view.rerender(draw({ ...grid }));
      await until(() => outputs.length > 2, 20_000, 'a sliced draw');
    } finally {
      Object.assign(networkViewTuning, before);
    }
    expect(outputs[2]).toHaveLength(900);
    expect(outputs[2]).toEqual(outputs[0]);
    expect(textAlternative(fig)).toMatch(/positive over 50% of the plane/);
  });

  it('reports training points on the right side and discretizes the output', async () => {
    const net = await signOfX();
    owned.push(net);
    const points = [
      { x: 3, y: 1, label: 1 },
      { x: -3, y: 1, label: -1 },
      { x: 2, y: -2, label: -1, test: true },
    ];
    const view = render(<NetworkView model={net} grid={planeGrid(10)} points={points} discretize />);
    const fig = view.getByRole('figure', { name: 'Network' });
    await until(() => Number(fig.dataset.draws) > 0, 20_000, 'the first draw');
    expect(textAlternative(fig)).toMatch(
      /\(discretized\)\. Training points on the right side: 100% of 2\. Test points on the right side: 0% of 1\./,
    );
    expect(fig.querySelector('canvas.rnn-output')?.getAttribute('data-discretize')).toBe('true');
  });

  it('says what is wrong with a grid of the wrong size', async () => {
    const net = await signOfX();
    owned.push(net);
    const view = render(<NetworkView model={net} grid={{ values: new Float32Array(7), resolution: 2 }} />);
    await until(() => !!view.queryByRole('alert'), 20_000, 'the error');
    expect(view.getByRole('alert').textContent).toBe(
      'NetworkView: grid has 7 values; expected 2² cells × 2 inputs = 8',
    );
  });

  it('returns the tensor count to its start after training and unmounting (StrictMode)', async () => {
    const net = await signOfX();
    owned.push(net);
    const data = fromArrays({
      x: [
        [1, 1],
        [-1, -1],
        [2, 0],
        [-2, 0],
      ],
      y: [[1], [-1], [1], [-1]],
      task: 'regression',
    });
    owned.push(data);
    const trainer = createTrainer(net, {
      data,
      loss: 'mse',
      optimizer: { type: 'sgd', lr: 0.03 },
      epochs: 5,
      engine: 'tfjs',
    });
    owned.push(trainer);
    await settle();
    const start = tf.memory().numTensors;
    const view = render(
      <StrictMode>
        <NetworkView model={net} trainer={trainer} grid={planeGrid(12)} />
      </StrictMode>,
    );
    const fig = view.getByRole('figure', { name: 'Network' });
    await until(() => Number(fig.dataset.draws) > 0, 20_000, 'the first draw');
    await trainer.fit();
    await settle(100);
    view.unmount();
    await settle(100);
    // The trainer's own tensors (optimizer state) are counted apart: dispose it first.
    trainer.dispose();
    owned.splice(owned.indexOf(trainer), 1);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(start);
  });
});
