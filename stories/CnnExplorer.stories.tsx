import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo } from 'react';
import {
  Conv2d,
  FilterGrid,
  Flatten,
  Linear,
  MaxPool2d,
  Model,
  ModelSummary,
  ReLU,
  Sequential,
  useModel,
} from 'react-nn';
import { expect, waitFor, within } from 'storybook/test';
import { MNIST_SAMPLE_SIZE, mnistImage, mnistLabel } from './data/mnistSample';

interface CnnArgs {
  outChannels: number;
  kernelSize: number;
  stride: number;
  padding: number;
  poolSize: number;
  /** Row of the stories' MNIST sample (stories/data): real handwritten digits. */
  digit: number;
}

/**
 * CNN explorer: change kernel size, stride, padding, channels and pooling and watch the output shapes
 * (ModelSummary, computed with PyTorch's formula ⌊(H + 2p − k)/s⌋ + 1) and the feature maps of a real
 * MNIST digit change.
 */
function CnnExplorer(args: CnnArgs) {
  const model = useModel();
  const image = useMemo(() => mnistImage(args.digit), [args.digit]);
  return (
    <div className="story">
      <Model handle={model} inputShape={[28, 28, 1]} seed={3}>
        <Sequential>
          <Conv2d
            outChannels={args.outChannels}
            kernelSize={args.kernelSize}
            stride={args.stride}
            padding={args.padding}
          />
          <ReLU />
          <MaxPool2d kernelSize={args.poolSize} />
          <Flatten />
          <Linear outFeatures={10} />
        </Sequential>
      </Model>
      {model.error ? <p role="alert">{model.error.message}</p> : null}
      <div className="story-col">
        <ModelSummary model={model} title="Layer output shapes" />
        <p className="story-readout">
          Input: MNIST sample #{args.digit}, a handwritten{' '}
          <output data-testid="digit-label">{mnistLabel(args.digit)}</output>
        </p>
      </div>
      <FilterGrid model={model} input={image} title="Kernels and feature maps" maxFilters={8} />
    </div>
  );
}

const meta = {
  title: 'Course/CNN explorer',
  component: CnnExplorer,
  args: { outChannels: 4, kernelSize: 3, stride: 1, padding: 0, poolSize: 2, digit: 7 },
  argTypes: {
    outChannels: { control: { type: 'range', min: 1, max: 16, step: 1 } },
    kernelSize: { control: { type: 'range', min: 1, max: 9, step: 1 } },
    stride: { control: { type: 'range', min: 1, max: 4, step: 1 } },
    padding: { control: { type: 'range', min: 0, max: 4, step: 1 } },
    poolSize: { control: { type: 'range', min: 1, max: 4, step: 1 } },
    digit: { control: { type: 'range', min: 0, max: MNIST_SAMPLE_SIZE - 1, step: 1 }, description: 'MNIST sample row' },
  },
} satisfies Meta<typeof CnnExplorer>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Pixels of a canvas, RGBA. */
function pixels(canvas: HTMLCanvasElement): Uint8ClampedArray {
  return (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
}

/**
 * Play check: FilterGrid drew the sample digit itself (its grey levels, pixel for pixel) and, beside it,
 * one feature map per channel of the size PyTorch's formula gives, with the digit's structure in them.
 */
async function expectDigitFeatureMaps(canvasElement: HTMLElement, digit: number, side: number, channels: number) {
  const grid = await waitFor(
    () => {
      const el = canvasElement.querySelector<HTMLElement>('.rnn-filters');
      expect(el?.querySelector('.rnn-card figcaption')).toBeTruthy();
      const cards = [...(el as HTMLElement).querySelectorAll('.rnn-card')];
      expect(cards.some((c) => c.textContent === 'input')).toBe(true);
      return el as HTMLElement;
    },
    { timeout: 30_000 },
  );
  const cards = [...grid.querySelectorAll<HTMLElement>('.rnn-card')];
  const input = cards.find((c) => c.textContent === 'input')?.querySelector('canvas') as HTMLCanvasElement;
  expect([input.width, input.height]).toEqual([28, 28]);
  const drawn = pixels(input);
  const image = mnistImage(digit);
  let ink = 0;
  for (let p = 0; p < 28 * 28; p++) {
    const v = image[Math.floor(p / 28)]?.[p % 28]?.[0] as number;
    if (v > 0.5) ink++;
    // Min–max scaled grey: MNIST's 0–1 pixels come out as v·255.
    expect(Math.abs((drawn[p * 4] as number) - v * 255)).toBeLessThanOrEqual(1);
  }
  expect(ink).toBeGreaterThan(30); // a real digit, not a blank image
  const maps = cards.slice(cards.indexOf(cards.find((c) => c.textContent === 'input') as HTMLElement) + 1);
  expect(maps).toHaveLength(channels);
  let textured = 0;
  for (const card of maps) {
    const canvas = card.querySelector('canvas') as HTMLCanvasElement;
    expect([canvas.width, canvas.height]).toEqual([side, side]);
    const px = pixels(canvas);
    const colours = new Set<number>();
    for (let i = 0; i < px.length; i += 4)
      colours.add(((px[i] as number) << 16) | ((px[i + 1] as number) << 8) | px[i + 2]!);
    // The digit's strokes give a map many levels; a channel the fused ReLU zeroes everywhere is one flat colour.
    if (colours.size > 10) textured++;
  }
  expect(textured).toBeGreaterThan(0);
}

export const Conv3x3: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    expect(canvas.getByTestId('digit-label').textContent).toBe('7');
    // Conv2d(k3, s1, p0): 28 → 26; MaxPool2d(2): 26 → 13 — PyTorch's formula.
    await waitFor(() => expect(canvas.getAllByText(/13, 13, 4/).length).toBeGreaterThan(0), { timeout: 30_000 });
    await expectDigitFeatureMaps(canvasElement, args.digit, 26, 4);
  },
};
export const Stride2Padding1: Story = {
  args: { stride: 2, padding: 1, digit: 3 },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    // ⌊(28 + 2 − 3)/2⌋ + 1 = 14; pooled: 7.
    await waitFor(() => expect(canvas.getAllByText(/7, 7, 4/).length).toBeGreaterThan(0), { timeout: 30_000 });
    await expectDigitFeatureMaps(canvasElement, args.digit, 14, 4);
  },
};
