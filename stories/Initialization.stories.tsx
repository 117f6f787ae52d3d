import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  datasets,
  type InitName,
  Linear,
  LossChart,
  Model,
  ReLU,
  Sequential,
  Sigmoid,
  useDataset,
  useModel,
  useTrainer,
  WeightHistogram,
} from 'react-nn';
import { type OptimizerName, optimizer, TrainingReadout, trainingArgTypes, useAutoFit } from './shared';

const INITS = ['xavierUniform', 'heNormal', 'normal'] as const satisfies readonly InitName[];

interface InitArgs {
  weightInit: (typeof INITS)[number];
  hidden: number;
  lr: number;
  optimizer: OptimizerName;
  epochs: number;
}

/** The same net from three initialisers: the weights' histogram and how the loss starts. */
function Initialization(args: InitArgs) {
  const data = useDataset(() => datasets.circles({ n: 400, noise: 0.1, seed: 2 }));
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: optimizer(args.optimizer, args.lr),
    epochs: args.epochs,
  });
  useAutoFit(trainer);
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={2}>
        <Sequential>
          <Linear outFeatures={args.hidden} weightInit={args.weightInit} />
          <ReLU />
          <Linear outFeatures={args.hidden} weightInit={args.weightInit} />
          <ReLU />
          <Linear outFeatures={1} weightInit={args.weightInit} />
          <Sigmoid />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={180} />
      </div>
      <WeightHistogram model={model} trainer={trainer} title={`Weights (${args.weightInit})`} />
    </div>
  );
}

const meta = {
  title: 'Course/Initialisation',
  component: Initialization,
  // A new initialiser starts a fresh model: the demo is keyed on it.
  render: (args) => <Initialization key={args.weightInit} {...args} />,
  args: { weightInit: 'heNormal', hidden: 32, lr: 0.01, optimizer: 'adam', epochs: 200 },
  argTypes: {
    weightInit: { control: 'select', options: INITS },
    hidden: { control: { type: 'range', min: 2, max: 128, step: 1 } },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof Initialization>;
export default meta;
type Story = StoryObj<typeof meta>;

export const HeNormal: Story = {};
export const XavierUniform: Story = { args: { weightInit: 'xavierUniform' } };
export const Normal: Story = { args: { weightInit: 'normal' } };
