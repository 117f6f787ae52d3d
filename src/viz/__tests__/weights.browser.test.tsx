import * as tf from '@tensorflow/tfjs';
import { cleanup, render, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Dataset } from '../../data/dataset';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Conv2d } from '../../layers/conv';
import { Flatten, Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { createTrainer } from '../../training/trainer';
import { FilterGrid } from '../filters';
import { ParamsView, WeightHistogram } from '../weights';
import { moonsData, moonsMlp, settle, textAlternative, until } from './helpers';

const owned: { dispose(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const o of owned.splice(0).reverse()) o.dispose();
});

function pixels(canvas: HTMLCanvasElement): number[] {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  return Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data);
}

describe('WeightHistogram', () => {
  it('shows one histogram per layer and changes as the weights change', async () => {
    const net = await moonsMlp(16);
    const data = moonsData(64);
    // A big SGD step moves every weight visibly.
    const trainer = createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'sgd', lr: 5 },
      epochs: 50,
      batchSize: 64,
    });
    owned.push(net, data, trainer);
    const view = render(<WeightHistogram model={net} trainer={trainer} />);
    const fig = view.getByRole('figure', { name: 'Weight histogram' });
    await until(() => /Sequential > Linear\[1\]/.test(textAlternative(fig)));
    expect(textAlternative(fig)).toMatch(
      /^Sequential > Linear\[0\]: 32 weights, mean .+, standard deviation .+; Sequential > Linear\[1\]: 16 weights, mean/,
    );
    const canvases = fig.querySelectorAll('canvas');
    expect(canvases).toHaveLength(2);
    const before = { text: textAlternative(fig), px: pixels(canvases[1] as HTMLCanvasElement) };
    const kernelBefore = Array.from((await net.model.layers[3]?.getWeights()[0]?.data()) ?? []);

    for (let i = 0; i < 3; i++) await trainer.step();
    await until(() => textAlternative(fig) !== before.text, 10_000, 'the histogram to change');
    await settle();
    const kernelAfter = Array.from((await net.model.layers[3]?.getWeights()[0]?.data()) ?? []);
    expect(kernelAfter).not.toEqual(kernelBefore);
    expect(pixels(fig.querySelectorAll('canvas')[1] as HTMLCanvasElement)).not.toEqual(before.px);
    view.unmount();
  });

  it('shows one layer with biases on request, and an empty state without a model', async () => {
    const net = await moonsMlp(4);
    owned.push(net);
    const view = render(
      <>
        <WeightHistogram model={net} layer="Sequential > Linear[0]" include="all" title="First layer" />
        <WeightHistogram model={null} />
      </>,
    );
    const fig = view.getByRole('figure', { name: 'First layer' });
    await until(() => /parameters/.test(textAlternative(fig)));
    expect(textAlternative(fig)).toMatch(/^Sequential > Linear\[0\]: 12 parameters, mean/);
    view.getByRole('figure', { name: 'Weight histogram', description: /no model yet/ });
    view.unmount();
  });
});

describe('ParamsView', () => {
  it("prints a Linear's weight as PyTorch does ([out, in]) and its bias", async () => {
    const net = await renderModel(
      <Sequential>
        {/* tfjs kernel [in = 2, out = 3], row-major: k[i][o] = 10·i + o. */}
        <Linear outFeatures={3} weightInit={() => [0, 1, 2, 10, 11, 12]} biasInit={() => [0.5, 0.25, 0.75]} />
        <Sigmoid />
      </Sequential>,
      { inputShape: [2], backend: 'cpu' },
    );
    owned.push(net);
    const view = render(<ParamsView model={net} digits={3} />);
    const fig = view.getByRole('figure', { name: 'Parameters' });
    await until(() => within(fig).queryAllByRole('table').length === 2);
    const [w, b] = within(fig).getAllByRole('table') as [HTMLElement, HTMLElement];
    expect(within(w).getByText('Sequential > Linear[0] weight [3 × 2]')).toBeTruthy();
    const rows = (t: HTMLElement) =>
      [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows(w)).toEqual([
      ['0.00', '10.0'],
      ['1.00', '11.0'],
      ['2.00', '12.0'],
    ]);
    expect(rows(b)).toEqual([['0.500', '0.250', '0.750']]);
    expect(textAlternative(fig)).toBe('1 layers with parameters, 9 values.');
    view.unmount();
  });
});

describe('FilterGrid', () => {
  it("draws a Conv2d layer's kernels and its feature maps for one image", async () => {
    const net = await renderModel(
      <Sequential>
        <Conv2d outChannels={3} kernelSize={3} />
        <ReLU />
        <Flatten />
        <Linear outFeatures={2} />
      </Sequential>,
      { inputShape: [6, 6, 1], backend: 'cpu', seed: 2 },
    );
    const images = new Dataset({
      x: tf.tensor4d(
        Array.from({ length: 2 * 36 }, (_, i) => (i % 7) / 7),
        [2, 6, 6, 1],
      ),
      y: tf.tensor1d([0, 1]),
      numClasses: 2,
    });
    owned.push(net, images);
    const view = render(<FilterGrid model={net} input={images} index={1} />);
    const fig = view.getByRole('figure', { name: 'Filters of Sequential > Conv2d[0]' });
    await until(() => /feature maps/.test(textAlternative(fig)));
    expect(textAlternative(fig)).toMatch(
      /^3 filters of 3×3 over 1 input channel \(weights up to ±.+\); feature maps \[4, 4, 3\] for input #1\.$/,
    );
    const canvases = [...fig.querySelectorAll('canvas')];
    // 3 kernels, the input, 3 maps.
    expect(canvases.map((c) => `${c.width}×${c.height}`)).toEqual(['3×3', '3×3', '3×3', '6×6', '4×4', '4×4', '4×4']);
    view.unmount();
  });

  it('says so when the model has no Conv2d layer', async () => {
    const net = await moonsMlp(2);
    owned.push(net);
    const errors: unknown[] = [];
    const view = render(<FilterGrid model={net} onError={(e) => errors.push(e)} />);
    await settle();
    expect(view.getByRole('alert').textContent).toMatch(/no Conv2d layer/);
    expect(errors).toHaveLength(1);
    view.unmount();
  });
});
