import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  DecisionBoundary,
  Dropout,
  datasets,
  Linear,
  LossChart,
  Model,
  ReLU,
  Sequential,
  Sigmoid,
  useDataset,
  useModel,
  useTrainer,
} from 'react-nn';
import { type OptimizerName, optimizer, TrainingReadout, trainingArgTypes, useAutoFit } from './shared';

interface RegularizationArgs {
  dropout: number;
  l2: number;
  hidden: number;
  lr: number;
  optimizer: OptimizerName;
  epochs: number;
}

/** A big net on little, noisy data: dropout and L2 (both live controls) against overfitting. */
function Regularization(args: RegularizationArgs) {
  const data = useDataset(() => datasets.moons({ n: 200, noise: 0.35, seed: 8 }), { validationSplit: 0.3 });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: optimizer(args.optimizer, args.lr),
    epochs: args.epochs,
    regularization: args.l2 > 0 ? { l2: args.l2 } : undefined,
  });
  useAutoFit(trainer);
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={8}>
        <Sequential>
          <Linear outFeatures={args.hidden} />
          <ReLU />
          <Dropout p={args.dropout} />
          <Linear outFeatures={args.hidden} />
          <ReLU />
          <Dropout p={args.dropout} />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={180} title="Loss (train / val)" />
      </div>
      <DecisionBoundary model={model} data={data} trainer={trainer} width={260} />
    </div>
  );
}

const meta = {
  title: 'Course/Regularisation',
  component: Regularization,
  args: { dropout: 0.3, l2: 0.0001, hidden: 64, lr: 0.01, optimizer: 'adam', epochs: 300 },
  argTypes: {
    dropout: { control: { type: 'range', min: 0, max: 0.9, step: 0.05 }, description: 'Dropout p' },
    l2: { control: { type: 'number', min: 0, max: 0.1, step: 0.0001 }, description: 'L2 penalty' },
    hidden: { control: { type: 'range', min: 4, max: 256, step: 4 } },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof Regularization>;
export default meta;
type Story = StoryObj<typeof meta>;

export const DropoutAndL2: Story = {};
export const NoRegularisation: Story = { args: { dropout: 0, l2: 0 } };
