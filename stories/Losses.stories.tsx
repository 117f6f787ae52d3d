import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo } from 'react';
import { FitPlot, fromArrays, Linear, LossChart, Model, useDataset, useModel, useTrainer } from 'react-nn';
import { expectLossFalls, TrainingReadout, useAutoFit } from './shared';

type RegressionLoss = 'mse' | 'mae' | 'huber';

interface LossesArgs {
  loss: RegressionLoss;
  delta: number;
  outliers: number;
  lr: number;
  epochs: number;
}

/** y = 2x + 1 with a little noise, plus a few large outliers at the right-hand end. */
function lineWithOutliers(outliers: number) {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < 40; i++) {
    const xi = -1 + (2 * i) / 39;
    x.push([xi]);
    y.push([2 * xi + 1 + 0.1 * Math.sin(7 * i)]);
  }
  for (let k = 0; k < outliers; k++) {
    x.push([0.8 + 0.05 * k]);
    y.push([-6]);
  }
  return fromArrays({ x, y, task: 'regression' });
}

/**
 * Losses explorer: fit a line with MSE, MAE or Huber while outliers pull on it. MSE squares the residuals, so a few
 * outliers tilt the line; MAE and Huber (quadratic within delta, linear beyond) are robust to them.
 */
function LossesExplorer(args: LossesArgs) {
  const data = useDataset(() => lineWithOutliers(args.outliers), { deps: [args.outliers] });
  const model = useModel();
  const loss = useMemo(
    () => (args.loss === 'huber' ? ({ type: 'huber', delta: args.delta } as const) : args.loss),
    [args.loss, args.delta],
  );
  const trainer = useTrainer(model, data, {
    loss,
    optimizer: { type: 'adam', lr: args.lr },
    epochs: args.epochs,
    batchSize: 'full',
  });
  useAutoFit(trainer);
  return (
    <div className="story">
      <Model handle={model} inputShape={[1]} seed={2}>
        <Linear outFeatures={1} />
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={160} title={`Training loss (${args.loss})`} />
      </div>
      <FitPlot model={model} data={data} trainer={trainer} width={300} height={220} title="Data and fitted line" />
    </div>
  );
}

const meta = {
  title: 'Course/Losses explorer',
  component: LossesExplorer,
  args: { loss: 'mse', delta: 1, outliers: 4, lr: 0.05, epochs: 300 },
  argTypes: {
    loss: { control: 'inline-radio', options: ['mse', 'mae', 'huber'], description: 'Regression loss, applied live' },
    delta: { control: { type: 'number', min: 0.1, max: 5, step: 0.1 }, description: 'Huber delta' },
    outliers: { control: { type: 'range', min: 0, max: 8, step: 1 } },
    lr: { control: { type: 'number', min: 0.001, max: 1, step: 0.01 } },
    epochs: { control: { type: 'number', min: 1, max: 3000 } },
  },
} satisfies Meta<typeof LossesExplorer>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Mse: Story = { play: async ({ canvasElement }) => expectLossFalls(canvasElement) };
export const Mae: Story = { args: { loss: 'mae' } };
export const Huber: Story = { args: { loss: 'huber', delta: 0.5 } };
