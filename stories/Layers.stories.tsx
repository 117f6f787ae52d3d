import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  Model,
  ModelGraph,
  ModelSummary,
  ReLU,
  Sequential,
  useModel,
} from 'react-nn';
import { expect, within } from 'storybook/test';
import { ACTIVATION_NAMES, ACTIVATIONS, type ActivationName } from './shared';

/** A model's layer table and graph: what every layer story shows. */
function Architecture({ inputShape, children }: { inputShape: number[]; children: ReactNode }) {
  const model = useModel();
  return (
    <div className="story">
      <Model handle={model} inputShape={inputShape} seed={0}>
        {children}
      </Model>
      <ModelSummary model={model} title="Layers" />
      <div style={{ width: 320 }}>
        <ModelGraph model={model} title="Graph" />
      </div>
    </div>
  );
}

interface LayerArgs {
  /** Linear: output features of the hidden layer. */
  outFeatures: number;
  bias: boolean;
  dropout: number;
  activation: ActivationName;
  /** Conv2d. */
  outChannels: number;
  kernelSize: number;
  stride: number;
  padding: 'valid' | 'same';
  /** Pooling. */
  pool: 'max' | 'avg';
  poolSize: number;
  /** BatchNorm. */
  momentum: number;
}

function CoreLayers(args: LayerArgs) {
  const Activation = ACTIVATIONS[args.activation];
  return (
    <Architecture inputShape={[4, 4]}>
      <Sequential>
        <Flatten />
        <Linear outFeatures={args.outFeatures} bias={args.bias} />
        <Activation />
        <Dropout p={args.dropout} />
        <Linear outFeatures={2} />
      </Sequential>
    </Architecture>
  );
}

function ConvLayers(args: LayerArgs) {
  return (
    <Architecture inputShape={[28, 28, 1]}>
      <Sequential>
        <Conv2d
          outChannels={args.outChannels}
          kernelSize={args.kernelSize}
          stride={args.stride}
          padding={args.padding}
        />
        <ReLU />
        <Flatten />
        <Linear outFeatures={10} />
      </Sequential>
    </Architecture>
  );
}

function PoolLayers(args: LayerArgs) {
  const Pool = args.pool === 'max' ? MaxPool2d : AvgPool2d;
  return (
    <Architecture inputShape={[28, 28, 1]}>
      <Sequential>
        <Conv2d outChannels={8} kernelSize={3} padding="same" />
        <ReLU />
        <Pool kernelSize={args.poolSize} />
        <Flatten />
        <Linear outFeatures={10} />
      </Sequential>
    </Architecture>
  );
}

function NormLayers(args: LayerArgs) {
  return (
    <Architecture inputShape={[16, 16, 3]}>
      <Sequential>
        <Conv2d outChannels={args.outChannels} kernelSize={3} padding="same" />
        <BatchNorm2d momentum={args.momentum} />
        <ReLU />
        <Flatten />
        <Linear outFeatures={args.outFeatures} />
        <BatchNorm1d momentum={args.momentum} />
        <ReLU />
        <Linear outFeatures={2} />
      </Sequential>
    </Architecture>
  );
}

function ActivationLayers(args: LayerArgs) {
  const Activation = ACTIVATIONS[args.activation];
  return (
    <Architecture inputShape={[2]}>
      <Sequential>
        <Linear outFeatures={args.outFeatures} />
        <Activation />
        <Linear outFeatures={1} />
      </Sequential>
    </Architecture>
  );
}

const meta = {
  title: 'Layers',
  component: CoreLayers,
  args: {
    outFeatures: 16,
    bias: true,
    dropout: 0.2,
    activation: 'ReLU',
    outChannels: 8,
    kernelSize: 3,
    stride: 1,
    padding: 'valid',
    pool: 'max',
    poolSize: 2,
    momentum: 0.1,
  },
  argTypes: {
    outFeatures: { control: { type: 'range', min: 1, max: 128, step: 1 } },
    dropout: { control: { type: 'range', min: 0, max: 0.9, step: 0.05 } },
    activation: { control: 'select', options: ACTIVATION_NAMES },
    outChannels: { control: { type: 'range', min: 1, max: 64, step: 1 } },
    kernelSize: { control: { type: 'range', min: 1, max: 7, step: 1 } },
    stride: { control: { type: 'range', min: 1, max: 4, step: 1 } },
    padding: { control: 'inline-radio', options: ['valid', 'same'] },
    pool: { control: 'inline-radio', options: ['max', 'avg'] },
    poolSize: { control: { type: 'range', min: 1, max: 4, step: 1 } },
    momentum: { control: { type: 'range', min: 0, max: 1, step: 0.05 } },
  },
} satisfies Meta<typeof CoreLayers>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Core: Story = {
  play: async ({ canvasElement }) => {
    // The summary lists the layers once the model is compiled.
    const canvas = within(canvasElement);
    await expect((await canvas.findAllByText(/Linear/, {}, { timeout: 30_000 })).length).toBeGreaterThan(0);
  },
};
export const Convolution: Story = { render: (args) => <ConvLayers {...args} /> };
export const Pooling: Story = { render: (args) => <PoolLayers {...args} /> };
export const Normalisation: Story = { render: (args) => <NormLayers {...args} /> };
export const Activations: Story = { render: (args) => <ActivationLayers {...args} /> };
