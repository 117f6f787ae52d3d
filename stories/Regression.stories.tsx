import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  BentIdentity,
  datasets,
  FitPlot,
  Linear,
  LossChart,
  Model,
  PReLU,
  ReLU,
  Sequential,
  SoftExponential,
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

// SoftExponential: the course's activation with a trainable α, made with the public defineLayer.
const HIDDEN = { ReLU, PReLU, BentIdentity, SoftExponential } as const;
type Shape = 'Linear only' | keyof typeof HIDDEN;

interface RegressionArgs {
  model: Shape;
  hidden: number;
  lr: number;
  optimizer: OptimizerName;
  epochs: number;
}

/** Regression: the twelve house prices, standardised; no output activation and MSE. FitPlot redraws each epoch. */
function HousePrices(args: RegressionArgs) {
  const data = useDataset(() => {
    const raw = datasets.housePrices();
    const ds = raw.standardize().apply(raw);
    raw.dispose();
    return ds;
  });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'mse',
    optimizer: optimizer(args.optimizer, args.lr),
    epochs: args.epochs,
    batchSize: 'full',
  });
  useAutoFit(trainer);
  const Hidden = args.model === 'Linear only' ? null : HIDDEN[args.model];
  return (
    <div className="story">
      <Model handle={model} inputShape={[1]} seed={5}>
        {Hidden ? (
          <Sequential>
            <Linear outFeatures={args.hidden} />
            <Hidden />
            <Linear outFeatures={1} />
          </Sequential>
        ) : (
          <Sequential>
            <Linear outFeatures={1} />
          </Sequential>
        )}
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={180} logScale />
      </div>
      <FitPlot model={model} data={data} trainer={trainer} width={320} height={240} title="Fit" />
    </div>
  );
}

const meta = {
  title: 'Course/Regression',
  component: HousePrices,
  args: { model: 'PReLU', hidden: 8, lr: 0.05, optimizer: 'adam', epochs: 300 },
  argTypes: {
    model: { control: 'select', options: ['Linear only', 'ReLU', 'PReLU', 'BentIdentity', 'SoftExponential'] },
    hidden: { control: { type: 'range', min: 1, max: 64, step: 1 } },
    epochs: { control: { type: 'number', min: 1, max: 3000 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof HousePrices>;
export default meta;
type Story = StoryObj<typeof meta>;

export const HiddenLayer: Story = {
  play: async ({ canvasElement }) => expectLossFalls(canvasElement),
};
export const LinearOnly: Story = { args: { model: 'Linear only' } };
export const ReLUHidden: Story = { args: { model: 'ReLU' } };
export const SoftExponentialHidden: Story = {
  args: { model: 'SoftExponential' },
  play: async ({ canvasElement }) => expectLossFalls(canvasElement),
};
