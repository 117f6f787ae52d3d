import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import {
  BatchNorm2d,
  ConfusionMatrix,
  Conv2d,
  datasets,
  FilterGrid,
  Flatten,
  Linear,
  LossChart,
  MaxPool2d,
  Model,
  ModelSummary,
  ReLU,
  Sequential,
  useDataset,
  useModel,
  useTrainer,
} from 'react-nn';
import { type OptimizerName, optimizer, TrainingReadout, trainingArgTypes, useAutoFit } from './shared';

interface MnistArgs {
  limit: number;
  outChannels: number;
  kernelSize: number;
  lr: number;
  optimizer: OptimizerName;
  epochs: number;
}

/** A small CNN on real MNIST digits, with the first convolution's filters and feature maps. */
function MnistTraining(args: MnistArgs) {
  const data = useDataset(() => datasets.mnist({ limit: args.limit, seed: 11 }), { validationSplit: 0.2 });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'crossEntropy',
    optimizer: optimizer(args.optimizer, args.lr),
    epochs: args.epochs,
    batchSize: 64,
    metrics: ['accuracy'],
  });
  useAutoFit(trainer);
  const pad = Math.floor(args.kernelSize / 2);
  return (
    <div className="story">
      <Model handle={model} inputShape={[28, 28, 1]} seed={11}>
        <Sequential>
          <Conv2d outChannels={args.outChannels} kernelSize={args.kernelSize} padding={pad} />
          <BatchNorm2d />
          <ReLU />
          <MaxPool2d kernelSize={2} />
          <Conv2d outChannels={16} kernelSize={3} padding={1} />
          <ReLU />
          <MaxPool2d kernelSize={2} />
          <Flatten />
          <Linear outFeatures={10} />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={180} />
        <ModelSummary model={model} />
      </div>
      <FilterGrid model={model} input={data?.val ?? null} title="First convolution: filters and feature maps" />
      <ConfusionMatrix model={model} data={data} trainer={trainer} />
    </div>
  );
}

/** MNIST is slow on a CPU: nothing loads or trains until the reader asks (so the story's test only renders). */
function Mnist(args: MnistArgs) {
  const [started, setStarted] = useState(false);
  return started ? (
    <MnistTraining {...args} />
  ) : (
    <button type="button" onClick={() => setStarted(true)}>
      Load the digits and train
    </button>
  );
}

const meta = {
  title: 'Course/MNIST CNN',
  component: Mnist,
  args: { limit: 1000, outChannels: 8, kernelSize: 3, lr: 0.003, optimizer: 'adam', epochs: 20 },
  argTypes: {
    limit: { control: { type: 'number', min: 100, max: 10_000, step: 100 } },
    outChannels: { control: { type: 'range', min: 1, max: 32, step: 1 } },
    kernelSize: { control: { type: 'inline-radio' }, options: [3, 5, 7] },
    epochs: { control: { type: 'number', min: 1, max: 200 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof Mnist>;
export default meta;
type Story = StoryObj<typeof meta>;

export const SmallCnn: Story = {};
