import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  datasets,
  Linear,
  Model,
  ProgressBar,
  Sequential,
  Sigmoid,
  Tanh,
  TrainingControls,
  useDataset,
  useMetrics,
  useModel,
  useTrainer,
} from 'react-nn';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import {
  expectLossFalls,
  type OptimizerName,
  optimizer,
  TrainingReadout,
  trainingArgTypes,
  useAutoFit,
} from './shared';

interface HookArgs {
  autoStart: boolean;
  lr: number;
  optimizer: OptimizerName;
  batchSize: number;
  epochs: number;
}

/**
 * useDataset + useModel + useTrainer: the trainer is created once the data exists and keeps
 * running while its options change (learning rate, optimizer, batch size are applied live).
 */
function UseTrainerDemo(args: HookArgs) {
  const data = useDataset(() => datasets.circles({ n: 200, noise: 0.1, seed: 2 }));
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: optimizer(args.optimizer, args.lr),
    batchSize: args.batchSize,
    epochs: args.epochs,
  });
  useAutoFit(trainer, args.autoStart);
  const { status, lr, engine } = useMetrics(trainer);
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={2}>
        <Sequential>
          <Linear outFeatures={16} />
          <Tanh />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <p className="story-readout">
          status {status} · lr <output data-testid="lr">{lr}</output> · engine {engine.name}
        </p>
        <TrainingControls trainer={trainer} />
        <ProgressBar trainer={trainer} />
        <button type="button" onClick={() => trainer?.fit().catch(() => {})} disabled={!trainer}>
          fit()
        </button>
      </div>
    </div>
  );
}

/** useMetrics: the trainer's snapshot, re-rendered at most once per frame — here as a plain table. */
function UseMetricsDemo(args: HookArgs) {
  const data = useDataset(() => datasets.moons({ n: 200, noise: 0.2, seed: 3 }), { validationSplit: 0.25 });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: optimizer(args.optimizer, args.lr),
    batchSize: args.batchSize,
    epochs: args.epochs,
    metrics: ['accuracy'],
  });
  useAutoFit(trainer);
  const { history, epoch, status } = useMetrics(trainer, ['loss', 'val_loss', 'accuracy']);
  const rows = history.loss.map((loss, i) => ({
    epoch: i + 1,
    loss,
    val: history.val_loss?.[i],
    acc: history.accuracy?.[i],
  }));
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={3}>
        <Sequential>
          <Linear outFeatures={16} />
          <Tanh />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <p>
          {status}, epoch {epoch}
        </p>
        <table>
          <caption>Last epochs</caption>
          <thead>
            <tr>
              <th>epoch</th>
              <th>loss</th>
              <th>val_loss</th>
              <th>accuracy</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(-8).map((r) => (
              <tr key={r.epoch}>
                <td>{r.epoch}</td>
                <td>{r.loss.toFixed(4)}</td>
                <td>{r.val?.toFixed(4)}</td>
                <td>{r.acc?.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const meta = {
  title: 'Hooks',
  component: UseTrainerDemo,
  args: { autoStart: false, lr: 0.01, optimizer: 'adam', batchSize: 32, epochs: 100 },
  argTypes: {
    batchSize: { control: { type: 'number', min: 1, max: 512 } },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof UseTrainerDemo>;
export default meta;
type Story = StoryObj<typeof meta>;

export const UseTrainer: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const fit = await canvas.findByRole('button', { name: 'fit()' });
    await waitFor(() => expect(fit).toBeEnabled(), { timeout: 30_000 });
    await userEvent.click(fit);
    await expectLossFalls(canvasElement);
  },
};
export const UseMetrics: Story = { render: (args) => <UseMetricsDemo {...args} /> };
