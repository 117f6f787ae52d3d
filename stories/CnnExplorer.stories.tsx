import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import {
  Conv2d,
  type Dataset,
  datasets,
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

interface CnnArgs {
  outChannels: number;
  kernelSize: number;
  stride: number;
  padding: number;
  poolSize: number;
}

/** A hand-drawn 28×28 "7" (so the story needs no download); the button swaps in a real MNIST digit. */
function drawnSeven(): number[][][] {
  const img = Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => [0]));
  for (let c = 6; c < 22; c++) for (let r = 5; r < 8; r++) (img[r] as number[][])[c] = [1];
  for (let r = 8; r < 24; r++) {
    const c = Math.round(21 - (r - 8) * 0.55);
    for (let d = -1; d <= 1; d++) (img[r] as number[][])[c + d] = [1];
  }
  return img;
}

/**
 * CNN explorer: change kernel size, stride, padding, channels and pooling and watch the output shapes
 * (ModelSummary, computed with PyTorch's formula ⌊(H + 2p − k)/s⌋ + 1) and the feature maps of one digit change.
 */
function CnnExplorer(args: CnnArgs) {
  const model = useModel();
  const [digit, setDigit] = useState<number[][][] | Dataset>(drawnSeven);
  const [loading, setLoading] = useState(false);
  useEffect(() => () => (digit instanceof Object && 'dispose' in digit ? digit.dispose() : undefined), [digit]);
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
        <button
          type="button"
          disabled={loading}
          onClick={() => {
            setLoading(true);
            datasets
              .mnist({ limit: 10 })
              .then(setDigit)
              .finally(() => setLoading(false));
          }}
        >
          {loading ? 'Loading MNIST…' : 'Use a real MNIST digit'}
        </button>
      </div>
      <FilterGrid model={model} input={digit} title="Kernels and feature maps" maxFilters={8} />
    </div>
  );
}

const meta = {
  title: 'Course/CNN explorer',
  component: CnnExplorer,
  args: { outChannels: 4, kernelSize: 3, stride: 1, padding: 0, poolSize: 2 },
  argTypes: {
    outChannels: { control: { type: 'range', min: 1, max: 16, step: 1 } },
    kernelSize: { control: { type: 'range', min: 1, max: 9, step: 1 } },
    stride: { control: { type: 'range', min: 1, max: 4, step: 1 } },
    padding: { control: { type: 'range', min: 0, max: 4, step: 1 } },
    poolSize: { control: { type: 'range', min: 1, max: 4, step: 1 } },
  },
} satisfies Meta<typeof CnnExplorer>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Conv3x3: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    // Conv2d(k3, s1, p0): 28 → 26; MaxPool2d(2): 26 → 13 — PyTorch's formula.
    await waitFor(() => expect(canvas.getAllByText(/13, 13, 4/).length).toBeGreaterThan(0), { timeout: 30_000 });
  },
};
export const Stride2Padding1: Story = {
  args: { stride: 2, padding: 1 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    // ⌊(28 + 2 − 3)/2⌋ + 1 = 14; pooled: 7.
    await waitFor(() => expect(canvas.getAllByText(/7, 7, 4/).length).toBeGreaterThan(0), { timeout: 30_000 });
  },
};
