import type { Meta, StoryObj } from '@storybook/react-vite';
import { ConfusionMatrix, LossChart, MetricsChart, RocCurve } from 'react-nn';
import { expect, within } from 'storybook/test';

// The visual components on fixed inputs (no training): each story's args are the component's props.

/** A made-up loss curve: exponential decay with a little noise, and a validation twin. */
function curves(epochs: number, rate: number) {
  const loss: number[] = [];
  const val: number[] = [];
  const accuracy: number[] = [];
  for (let i = 0; i < epochs; i++) {
    const l = 0.7 * Math.exp(-rate * i) + 0.05 + 0.01 * Math.sin(i * 1.7);
    loss.push(l);
    val.push(l * 1.1 + 0.02 * (i / epochs));
    accuracy.push(1 - l / 1.4);
  }
  return { loss, val_loss: val, accuracy, val_accuracy: accuracy.map((a) => a - 0.03) };
}

interface ChartArgs {
  epochs: number;
  rate: number;
  logScale: boolean;
  height: number;
}

function Charts({ epochs, rate, logScale, height }: ChartArgs) {
  const history = curves(epochs, rate);
  return (
    <div className="story">
      <LossChart className="story-chart" history={history} logScale={logScale} height={height} />
      <MetricsChart className="story-chart" history={history} height={height} />
    </div>
  );
}

const meta = {
  title: 'Visual components',
  component: Charts,
  args: { epochs: 60, rate: 0.08, logScale: false, height: 200 },
  argTypes: {
    epochs: { control: { type: 'range', min: 2, max: 500, step: 1 } },
    rate: { control: { type: 'range', min: 0.005, max: 0.5, step: 0.005 } },
    height: { control: { type: 'range', min: 100, max: 400, step: 10 } },
  },
} satisfies Meta<typeof Charts>;
export default meta;
type Story = StoryObj<typeof meta>;

export const LossAndMetricsCharts: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect((await canvas.findAllByText(/loss/i, {}, { timeout: 30_000 })).length).toBeGreaterThan(0);
  },
};

export const Confusion: Story = {
  render: () => (
    <ConfusionMatrix
      matrix={[
        [48, 2, 0],
        [3, 40, 7],
        [0, 5, 45],
      ]}
      classNames={['setosa', 'versicolor', 'virginica']}
    />
  ),
};

export const Roc: Story = {
  render: () => (
    <RocCurve
      yTrue={[0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0]}
      yScore={[0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.55, 0.7, 0.6, 0.3, 0.95, 0.05]}
    />
  ),
};
