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
import { expect, waitFor, within } from 'storybook/test';
import {
  ACTIVATION_NAMES,
  ACTIVATIONS,
  type ActivationName,
  expectLossFalls,
  type LiveArgsProps,
  OptimizerInputs,
  type OptimizerName,
  OptimizerReadout,
  optimizer,
  readNumber,
  renderWithLiveArgs,
  TrainingReadout,
  trainingArgTypes,
  useAutoFit,
} from './shared';
import { TruePredicted } from './TruePredicted';

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
 * The model and trainer persist: changing a control (in the panel or in the canvas) re-renders the
 * layers inside the same `<Model handle>` and `useTrainer` applies the new learning rate or optimizer live.
 */
function BinaryMoons({ setArgs, ...args }: BinaryArgs & LiveArgsProps<BinaryArgs>) {
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
        <OptimizerInputs lr={args.lr} optimizer={args.optimizer} setArgs={setArgs} />
        <OptimizerReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={180} title="Loss (train / val)" />
      </div>
      <DecisionBoundary model={model} data={data} trainer={trainer} width={260} title="Decision regions" />
      <ParamsView model={model} title="Weights" maxValues={16} />
      <TruePredicted model={model} data={data?.val ?? null} trainer={trainer} classNames={MOONS} />
    </div>
  );
}

const MOONS = ['upper moon', 'lower moon'];

const meta = {
  title: 'Course/Binary classification',
  component: BinaryMoons,
  render: renderWithLiveArgs(BinaryMoons),
  args: { n: 1000, hidden: 16, activation: 'BentIdentity', lr: 0.01, optimizer: 'adam', epochs: 200 },
  argTypes: {
    n: { control: { type: 'number', min: 50, max: 2000, step: 50 } },
    hidden: { control: { type: 'range', min: 1, max: 64, step: 1 }, description: 'Hidden units' },
    activation: { control: 'select', options: ACTIVATION_NAMES },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
    ...trainingArgTypes,
    setArgs: { table: { disable: true } },
  },
} satisfies Meta<typeof BinaryMoons>;
export default meta;
type Story = StoryObj<typeof meta>;

export const TwoMoons: Story = {
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    await step('training starts and the loss falls', () => expectLossFalls(canvasElement));
    await step('true vs predicted: both scatters, the confusion matrix, accuracy above chance', async () => {
      // Two balanced moons: chance is 50 %. A trained net gets well above it on held-out points.
      await waitFor(() => expect(readNumber(canvasElement, 'accuracy')).toBeGreaterThan(0.75), {
        timeout: 90_000,
        interval: 250,
      });
      // The two PredictionScatters: figures named by their titles, whose plot (role img) is labelled
      // "N points, M misclassified" and whose data-points / data-misclassified count what uPlot draws.
      const scatter = (name: string) => {
        const figure = canvas.getByRole('figure', { name });
        const label = within(figure).getByRole('img').getAttribute('aria-label') ?? '';
        const [, points, wrong] = /^(\d+) points?, (\d+) misclassified$/.exec(label) ?? [];
        expect(Number(figure.dataset.points)).toBe(Number(points));
        expect(Number(figure.dataset.misclassified)).toBe(Number(wrong));
        expect(figure.querySelector('.uplot canvas')).not.toBeNull();
        return { points: Number(points), wrong: Number(wrong) };
      };
      const valSize = scatter('True class').points;
      expect(valSize).toBe(200); // 20 % of 1,000 points held out
      // Read the rest in one go, so that a new epoch's predictions cannot land in between.
      await waitFor(() => {
        const accuracy = readNumber(canvasElement, 'accuracy');
        const wrong = readNumber(canvasElement, 'misclassified');
        const predicted = scatter('Predicted class (mistakes ringed)');
        expect(predicted.points).toBe(valSize);
        expect(predicted.wrong).toBe(wrong);
        expect(scatter('True class').wrong).toBe(wrong);
        expect(accuracy).toBeCloseTo(1 - wrong / valSize, 4);
        // The confusion matrix (react-nn's own counting) agrees: its diagonal holds the hits.
        const cells = [...canvasElement.querySelectorAll<HTMLTableCellElement>('.rnn-confusion-matrix td[data-count]')];
        expect(cells).toHaveLength(4);
        const counts = cells.map((c) => Number(c.dataset.count));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(valSize);
        expect((counts[0] as number) + (counts[3] as number)).toBe(valSize - wrong);
      });
    });
  },
};

/**
 * The learning rate and optimizer changed from the canvas while the net trains: the trainer's own
 * snapshot shows the new ones in use, and training carries on from where it was.
 */
export const LiveOptimizerChange: Story = {
  play: async ({ canvasElement, userEvent, step }) => {
    const canvas = within(canvasElement);
    const epoch = () => readNumber(canvasElement, 'loss-epoch');
    const loss = () => readNumber(canvasElement, 'loss');
    await waitFor(() => expect(epoch()).toBeGreaterThanOrEqual(2), { timeout: 60_000, interval: 100 });
    expect(canvas.getByTestId('optimizer').textContent).toBe('adam');
    expect(canvas.getByTestId('lr').textContent).toBe('0.01');

    const before = { epoch: epoch(), loss: loss() };
    await step('switch to SGD with Nesterov momentum at lr 0.03, mid-training', async () => {
      // The story's own args inputs (TrainingControls has a learning-rate field of its own).
      const args = within(canvas.getByRole('group', { name: 'Story args, applied live' }));
      await userEvent.selectOptions(args.getByLabelText('Optimizer'), 'momentum');
      await userEvent.selectOptions(args.getByLabelText('Learning rate'), '0.03');
    });
    // What the story's 'momentum' choice means: torch.optim.SGD(momentum=0.9, nesterov=True).
    const expected = 'sgd (momentum 0.9, nesterov)';
    await waitFor(() => {
      expect(canvas.getByTestId('optimizer').textContent).toBe(expected);
      expect(canvas.getByTestId('lr').textContent).toBe('0.03');
    });
    // Not restarted: the same run goes on, its epoch count never went back.
    const atSwitch = { epoch: epoch(), loss: loss() };
    expect(canvas.getByTestId('loss-status').textContent).toBe('running');
    expect(atSwitch.epoch).toBeGreaterThanOrEqual(before.epoch);

    await step('training continues with the new optimizer and the loss keeps falling', async () => {
      await waitFor(
        () => {
          expect(epoch()).toBeGreaterThanOrEqual(atSwitch.epoch + 3);
          expect(loss()).toBeLessThan(atSwitch.loss);
        },
        { timeout: 60_000, interval: 200 },
      );
      expect(canvas.getByTestId('loss-status').textContent).toBe('running');
      expect(canvas.getByTestId('optimizer').textContent).toBe(expected);
    });
  },
};

export const ReLUHidden: Story = { args: { activation: 'ReLU', hidden: 8 } };
