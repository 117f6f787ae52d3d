import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  type Dataset,
  datasets,
  Linear,
  LossChart,
  Model,
  type Net,
  type OptimizerConfig,
  ReLU,
  Sequential,
  type Trainer,
  useDataset,
  useMetrics,
  useModel,
  useTrainer,
} from 'react-nn';
import { expectLossFalls, TrainingReadout, useAutoFit } from './shared';

interface RaceArgs {
  sgdLr: number;
  momentumLr: number;
  momentum: number;
  adamLr: number;
  hidden: number;
  epochs: number;
}

function useRacer(data: Dataset | null, opt: OptimizerConfig, epochs: number): [Net, Trainer | null] {
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'crossEntropy',
    optimizer: opt,
    epochs,
    metrics: ['accuracy'],
    seed: 7,
  });
  useAutoFit(trainer);
  return [model, trainer];
}

function Layers({ hidden }: { hidden: number }) {
  return (
    <Sequential>
      <Linear outFeatures={hidden} />
      <ReLU />
      <Linear outFeatures={hidden} />
      <ReLU />
      <Linear outFeatures={3} />
    </Sequential>
  );
}

/** One spiral, three optimizers from the same seed; their loss curves overlaid on one chart. */
function OptimizerRace(args: RaceArgs) {
  const data = useDataset(() => datasets.spiral({ pointsPerClass: 100, classes: 3, seed: 7 }));
  const [sgdModel, sgd] = useRacer(data, { type: 'sgd', lr: args.sgdLr }, args.epochs);
  const [momModel, mom] = useRacer(
    data,
    { type: 'sgd', lr: args.momentumLr, momentum: args.momentum, nesterov: true },
    args.epochs,
  );
  const [adamModel, adam] = useRacer(data, { type: 'adam', lr: args.adamLr }, args.epochs);
  const history = {
    sgd: useMetrics(sgd).history.loss,
    momentum: useMetrics(mom).history.loss,
    adam: useMetrics(adam).history.loss,
  };
  return (
    <div className="story">
      {(
        [
          [sgdModel, 'sgd'],
          [momModel, 'momentum'],
          [adamModel, 'adam'],
        ] as const
      ).map(([model, name]) => (
        <Model key={name} handle={model} inputShape={[2]} seed={7}>
          <Layers hidden={args.hidden} />
        </Model>
      ))}
      <div className="story-col">
        <TrainingReadout trainer={sgd} id="loss-sgd" />
        <TrainingReadout trainer={mom} id="loss-momentum" />
        <TrainingReadout trainer={adam} id="loss-adam" />
        <LossChart
          className="story-chart"
          history={history}
          keys={['sgd', 'momentum', 'adam']}
          height={220}
          title="Training loss: SGD, momentum, Adam"
        />
      </div>
    </div>
  );
}

const lr = { control: { type: 'number', min: 0.0001, max: 1, step: 0.001 } } as const;
const meta = {
  title: 'Course/Optimizers race',
  component: OptimizerRace,
  args: { sgdLr: 0.1, momentumLr: 0.05, momentum: 0.9, adamLr: 0.01, hidden: 32, epochs: 150 },
  argTypes: {
    sgdLr: lr,
    momentumLr: lr,
    adamLr: lr,
    momentum: { control: { type: 'range', min: 0, max: 0.99, step: 0.01 } },
    hidden: { control: { type: 'range', min: 2, max: 128, step: 1 } },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
  },
} satisfies Meta<typeof OptimizerRace>;
export default meta;
type Story = StoryObj<typeof meta>;

export const SgdMomentumAdam: Story = {
  play: async ({ canvasElement }) => expectLossFalls(canvasElement, 'loss-adam'),
};
