import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo } from 'react';
import {
  DecisionBoundary,
  datasets,
  earlyStopping,
  Linear,
  LossChart,
  Model,
  ParamsView,
  Sequential,
  Sigmoid,
  TrainingControls,
  useDataset,
  useModel,
  useTrainer,
} from 'react-nn';
import {
  ACTIVATION_NAMES,
  ACTIVATIONS,
  type ActivationName,
  expectLossFalls,
  type OptimizerName,
  optimizer,
  TrainingReadout,
  trainingArgTypes,
  useAutoFit,
} from './shared';

interface BinaryArgs {
  /** Points in the two moons. */
  n: number;
  hidden: number;
  activation: ActivationName;
  lr: number;
  optimizer: OptimizerName;
  epochs: number;
}

/**
 * Binary classification, the course's recipe: two moons, Linear–BentIdentity–Linear–Sigmoid,
 * binary cross-entropy, Adam 0.01, early stopping (patience 15) restoring the best weights.
 * The model and trainer persist: changing a control re-renders the layers inside the same
 * `<Model handle>` and `useTrainer` applies the new learning rate or optimizer live.
 */
function BinaryMoons(args: BinaryArgs) {
  const data = useDataset(() => datasets.moons({ n: args.n, noise: 0.3, seed: 1 }), {
    validationSplit: 0.2,
    deps: [args.n],
  });
  const model = useModel();
  const callbacks = useMemo(() => [earlyStopping({ monitor: 'val_loss', patience: 15, restoreBestWeights: true })], []);
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: optimizer(args.optimizer, args.lr),
    epochs: args.epochs,
    metrics: ['accuracy'],
    callbacks,
  });
  useAutoFit(trainer);
  const Activation = ACTIVATIONS[args.activation];
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={1}>
        <Sequential>
          <Linear outFeatures={args.hidden} />
          <Activation />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <TrainingControls trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={180} title="Loss (train / val)" />
      </div>
      <DecisionBoundary model={model} data={data} trainer={trainer} width={260} title="Decision regions" />
      <ParamsView model={model} title="Weights" maxValues={16} />
    </div>
  );
}

const meta = {
  title: 'Course/Binary classification',
  component: BinaryMoons,
  args: { n: 1000, hidden: 16, activation: 'BentIdentity', lr: 0.01, optimizer: 'adam', epochs: 200 },
  argTypes: {
    n: { control: { type: 'number', min: 50, max: 2000, step: 50 } },
    hidden: { control: { type: 'range', min: 1, max: 64, step: 1 }, description: 'Hidden units' },
    activation: { control: 'select', options: ACTIVATION_NAMES },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof BinaryMoons>;
export default meta;
type Story = StoryObj<typeof meta>;

export const TwoMoons: Story = {
  play: async ({ canvasElement }) => expectLossFalls(canvasElement),
};

export const ReLUHidden: Story = { args: { activation: 'ReLU', hidden: 8 } };
