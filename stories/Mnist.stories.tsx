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
import { expect, waitFor, within } from 'storybook/test';
import { MNIST_SAMPLE_SIZE, mnistSample } from './data/mnistSample';
import {
  expectLossFalls,
  type OptimizerName,
  optimizer,
  TrainingReadout,
  trainingArgTypes,
  useAutoFit,
} from './shared';

interface MnistArgs {
  /** Digits to use; 20 % are held out for validation. */
  limit: number;
  /** Load them from the whole `mnist` package (21 MB, up to 10,000 digits) instead of the stories' 500-digit sample. */
  fullMnist: boolean;
  outChannels: number;
  kernelSize: number;
  lr: number;
  optimizer: OptimizerName;
  epochs: number;
}

/** A small CNN on real MNIST digits, with the first convolution's filters and feature maps. */
function MnistTraining(args: MnistArgs) {
  const data = useDataset(
    () => (args.fullMnist ? datasets.mnist({ limit: args.limit, seed: 11 }) : mnistSample(args.limit)),
    { validationSplit: 0.2, seed: 11, deps: [args.fullMnist, args.limit] },
  );
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

/** A CNN is slow on a CPU: nothing loads or trains until the reader (or the play function) asks. */
function Mnist(args: MnistArgs) {
  const [started, setStarted] = useState(false);
  const count = args.fullMnist ? args.limit : Math.min(args.limit, MNIST_SAMPLE_SIZE);
  return started ? (
    <MnistTraining {...args} />
  ) : (
    <button type="button" onClick={() => setStarted(true)}>
      Train on {count} real digits
    </button>
  );
}

const meta = {
  title: 'Course/MNIST CNN',
  component: Mnist,
  args: { limit: 300, fullMnist: false, outChannels: 8, kernelSize: 3, lr: 0.003, optimizer: 'adam', epochs: 20 },
  argTypes: {
    limit: { control: { type: 'number', min: 50, max: 10_000, step: 50 }, description: 'Digits (the sample has 500)' },
    outChannels: { control: { type: 'range', min: 1, max: 32, step: 1 } },
    kernelSize: { control: { type: 'inline-radio' }, options: [3, 5, 7] },
    epochs: { control: { type: 'number', min: 1, max: 200 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof Mnist>;
export default meta;
type Story = StoryObj<typeof meta>;

export const SmallCnn: Story = {
  play: async ({ canvasElement, userEvent, step }) => {
    const canvas = within(canvasElement);
    await step('start training on 300 digits of the sample (240 train, 60 validation)', async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Train on 300 real digits' }));
    });
    await step('Conv2d–BatchNorm2d–ReLU–MaxPool2d…Linear trains: the loss falls', () => expectLossFalls(canvasElement));
    await step('the confusion matrix counts the 60 validation digits in 10 classes', async () => {
      await waitFor(
        () => {
          const cells = [...canvasElement.querySelectorAll<HTMLElement>('.rnn-confusion-matrix td[data-count]')];
          expect(cells).toHaveLength(100);
          expect(cells.reduce((sum, c) => sum + Number(c.dataset.count), 0)).toBe(60);
        },
        { timeout: 30_000 },
      );
    });
    await step("the first convolution's 8 filters and their feature maps of a validation digit are drawn", async () => {
      await waitFor(
        () => {
          const cards = [...canvasElement.querySelectorAll('.rnn-filters .rnn-card canvas')] as HTMLCanvasElement[];
          // 8 kernels (3×3), the input digit (28×28) and 8 feature maps (28×28: padding 1 keeps the size).
          expect(cards.map((c) => c.width)).toEqual([...Array(8).fill(3), 28, ...Array(8).fill(28)]);
        },
        { timeout: 30_000 },
      );
    });
  },
};
