import type { Meta, StoryObj } from '@storybook/react-vite';
import { FitPlot, fromArrays, Linear, Model, Sequential, Tanh, useDataset, useModel, useTrainer } from 'react-nn';
import { expect, waitFor, within } from 'storybook/test';
import { TrainingReadout, useAutoFit } from './shared';

interface ApproximationArgs {
  widths: number[];
  epochs: number;
}

/** 120 points of f(x) = sin(3x)·x on [−2, 2]: a wiggly 1-D function. */
function target() {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < 120; i++) {
    const v = -2 + (4 * i) / 119;
    x.push([v]);
    y.push([Math.sin(3 * v) * v]);
  }
  return fromArrays({ x, y, task: 'regression' });
}

/** One hidden layer of `width` tanh units, trained full-batch with Adam for a fixed number of epochs. */
function OneHiddenLayer({ width, epochs }: { width: number; epochs: number }) {
  const data = useDataset(target);
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'mse',
    optimizer: { type: 'adam', lr: 0.03 },
    epochs,
    batchSize: 'full',
  });
  useAutoFit(trainer);
  return (
    <div className="story-col" data-width={width}>
      <Model handle={model} inputShape={[1]} seed={7}>
        <Sequential>
          <Linear outFeatures={width} />
          <Tanh />
          <Linear outFeatures={1} />
        </Sequential>
      </Model>
      <TrainingReadout trainer={trainer} id={`loss-${width}`} />
      <FitPlot model={model} data={data} trainer={trainer} width={260} height={200} title={`${width} hidden units`} />
    </div>
  );
}

/** The universal approximation theorem, seen: the same function fitted by ever wider single hidden layers. */
function Approximation(args: ApproximationArgs) {
  return (
    <div className="story">
      {args.widths.map((w) => (
        <OneHiddenLayer key={w} width={w} epochs={args.epochs} />
      ))}
    </div>
  );
}

const meta = {
  title: 'Course/Universal approximation',
  component: Approximation,
  args: { widths: [1, 4, 32], epochs: 400 },
  argTypes: { epochs: { control: { type: 'number', min: 10, max: 3000 } } },
} satisfies Meta<typeof Approximation>;
export default meta;
type Story = StoryObj<typeof meta>;

const number = (el: HTMLElement, id: string) => Number(within(el).getByTestId(id).textContent);

/** After the same training, the wider the layer the closer the fit: 32 units beat 4, and 4 beat 1. */
export const WidthGrows: Story = {
  play: async ({ canvasElement }) => {
    await waitFor(
      () => {
        for (const w of [1, 4, 32])
          expect(within(canvasElement).getByTestId(`loss-${w}-status`).textContent).toBe('done');
      },
      { timeout: 180_000, interval: 250 },
    );
    const [one, four, wide] = [1, 4, 32].map((w) => number(canvasElement, `loss-${w}`));
    expect(four).toBeLessThan(one as number);
    expect(wide).toBeLessThan((four as number) * 0.5);
  },
};
