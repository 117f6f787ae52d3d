import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  fromArrays,
  GRU,
  Linear,
  LossChart,
  LSTM,
  Model,
  RNN,
  Sequential,
  useDataset,
  useModel,
  useTrainer,
} from 'react-nn';
import { expectLossFalls, TrainingReadout, useAutoFit } from './shared';

const CELLS = { LSTM, GRU, RNN } as const;

interface RecurrentArgs {
  cell: keyof typeof CELLS;
  hiddenSize: number;
  epochs: number;
}

/** 600 windows of 20 steps of sine waves (varied frequency and phase); the target is the 21st value — as in the Recurrent networks guide. */
function sineWindows() {
  const steps = 20;
  const x: number[][][] = [];
  const y: number[][] = [];
  for (let i = 0; i < 600; i++) {
    const freq = 0.15 + 0.3 * ((i * 0.618) % 1);
    const phase = (i * 2.4) % (2 * Math.PI);
    const wave = Array.from({ length: steps + 1 }, (_, t) => Math.sin(phase + freq * t));
    x.push(wave.slice(0, steps).map((v) => [v]));
    y.push([wave[steps] as number]);
  }
  return fromArrays({ x, y, task: 'regression' });
}

/** A recurrent layer reads 20 steps of a sine wave and predicts the next value. */
function SineWave(args: RecurrentArgs) {
  const data = useDataset(sineWindows, { validationSplit: 0.2, seed: 13 });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'mse',
    optimizer: { type: 'adam', lr: 0.01 },
    epochs: args.epochs,
    batchSize: 32,
  });
  useAutoFit(trainer);
  const Cell = CELLS[args.cell];
  return (
    <div className="story">
      <Model handle={model} inputShape={[20, 1]} seed={13}>
        <Sequential>
          <Cell hiddenSize={args.hiddenSize} />
          <Linear outFeatures={1} />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={180} logScale />
      </div>
    </div>
  );
}

const meta = {
  title: 'Course/Recurrent networks',
  component: SineWave,
  args: { cell: 'LSTM', hiddenSize: 16, epochs: 20 },
  argTypes: {
    cell: { control: 'select', options: Object.keys(CELLS) },
    hiddenSize: { control: { type: 'range', min: 2, max: 64, step: 1 } },
    epochs: { control: { type: 'number', min: 1, max: 200 } },
  },
} satisfies Meta<typeof SineWave>;
export default meta;
type Story = StoryObj<typeof meta>;

export const LstmSineWave: Story = {
  play: async ({ canvasElement }) => expectLossFalls(canvasElement),
};
export const GruSineWave: Story = { args: { cell: 'GRU' } };
