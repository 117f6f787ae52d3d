import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  datasets,
  Linear,
  LossChart,
  MetricsChart,
  Model,
  ModelSummary,
  ReLU,
  Sequential,
  Sigmoid,
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

interface MultiLabelArgs {
  n: number;
  hidden: number;
  activation: ActivationName;
  lr: number;
  optimizer: OptimizerName;
  epochs: number;
}

/** Multi-label: three independent yes/no labels per point — one Sigmoid per label and multi-label BCE. */
function MultiLabel(args: MultiLabelArgs) {
  const data = useDataset(() => datasets.multiLabel({ n: args.n, seed: 6 }), {
    validationSplit: 0.2,
    deps: [args.n],
  });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'multiLabelBce',
    optimizer: optimizer(args.optimizer, args.lr),
    epochs: args.epochs,
    metrics: ['accuracy'],
  });
  useAutoFit(trainer);
  const Activation = ACTIVATIONS[args.activation] ?? ReLU;
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={6}>
        <Sequential>
          <Linear outFeatures={args.hidden} />
          <Activation />
          <Linear outFeatures={3} />
          <Sigmoid />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={160} />
        <MetricsChart className="story-chart" trainer={trainer} height={160} />
      </div>
      <ModelSummary model={model} />
    </div>
  );
}

const meta = {
  title: 'Course/Multi-label',
  component: MultiLabel,
  args: { n: 500, hidden: 32, activation: 'ReLU', lr: 0.01, optimizer: 'adam', epochs: 150 },
  argTypes: {
    n: { control: { type: 'number', min: 50, max: 2000, step: 50 } },
    hidden: { control: { type: 'range', min: 2, max: 128, step: 1 } },
    activation: { control: 'select', options: ACTIVATION_NAMES },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof MultiLabel>;
export default meta;
type Story = StoryObj<typeof meta>;

export const ThreeLabels: Story = {
  play: async ({ canvasElement }) => expectLossFalls(canvasElement),
};
