import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  ConfusionMatrix,
  type Dataset,
  datasets,
  Linear,
  LossChart,
  MetricsChart,
  Model,
  ReLU,
  RocCurve,
  Sequential,
  Sigmoid,
  useDataset,
  useModel,
  useTrainer,
} from 'react-nn';
import {
  expectLossFalls,
  type OptimizerName,
  optimizer,
  TrainingReadout,
  trainingArgTypes,
  useAutoFit,
} from './shared';

/** A built-in table, standardised (mean 0, std 1 per feature). */
function standardized(raw: Dataset): Dataset {
  const ds = raw.standardize().apply(raw);
  raw.dispose();
  return ds;
}

interface TabularArgs {
  hidden: number;
  lr: number;
  optimizer: OptimizerName;
  epochs: number;
}

/**
 * Three species from a CSV read with fromCSV — iris (4 numeric columns) or penguins (Island and Sex one-hot encoded,
 * rows with missing values dropped: 9 features) — logits + cross-entropy, a confusion matrix on the validation split.
 */
function Species(args: TabularArgs & { source?: 'iris' | 'penguins' }) {
  const source = args.source ?? 'iris';
  const data = useDataset(() => standardized(source === 'iris' ? datasets.iris() : datasets.penguins()), {
    validationSplit: 0.3,
    deps: [source],
  });
  const features = source === 'iris' ? 4 : 9;
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'crossEntropy',
    optimizer: optimizer(args.optimizer, args.lr),
    epochs: args.epochs,
    batchSize: 16,
    metrics: ['accuracy'],
  });
  useAutoFit(trainer);
  return (
    <div className="story">
      <Model handle={model} inputShape={[features]} seed={9}>
        <Sequential>
          <Linear outFeatures={args.hidden} />
          <ReLU />
          <Linear outFeatures={3} />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={160} />
        <MetricsChart className="story-chart" trainer={trainer} height={160} />
      </div>
      <ConfusionMatrix model={model} data={data} trainer={trainer} title="Confusion matrix (validation)" />
    </div>
  );
}

/** Breast cancer (binary): Sigmoid + BCE with accuracy, precision, recall and AUC, and the ROC curve. */
function BreastCancer(args: TabularArgs) {
  const data = useDataset(() => standardized(datasets.breastCancer()), { validationSplit: 0.3 });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: optimizer(args.optimizer, args.lr),
    epochs: args.epochs,
    metrics: ['accuracy', 'precision', 'recall', 'auc'],
  });
  useAutoFit(trainer);
  return (
    <div className="story">
      <Model handle={model} inputShape={[30]} seed={10}>
        <Sequential>
          <Linear outFeatures={args.hidden} />
          <ReLU />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <MetricsChart className="story-chart" trainer={trainer} height={180} />
      </div>
      <RocCurve model={model} data={data} trainer={trainer} width={260} height={260} />
      <ConfusionMatrix model={model} data={data} trainer={trainer} />
    </div>
  );
}

const meta = {
  title: 'Course/Tabular',
  component: Species,
  args: { hidden: 16, lr: 0.01, optimizer: 'adam', epochs: 100 },
  argTypes: {
    hidden: { control: { type: 'range', min: 2, max: 128, step: 1 } },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof Species>;
export default meta;
type Story = StoryObj<typeof meta>;

export const IrisSpecies: Story = {};
export const PenguinsOneHot: Story = {
  render: (args) => <Species {...args} source="penguins" />,
  play: async ({ canvasElement }) => expectLossFalls(canvasElement),
};
export const BreastCancerRoc: Story = { render: (args) => <BreastCancer {...args} /> };
