import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import {
  type Checkpoint,
  datasets,
  deleteCheckpoint,
  Linear,
  loadCheckpoint,
  Model,
  type Net,
  ReLU,
  readNetWeights,
  Sequential,
  Sigmoid,
  saveCheckpoint,
  useDataset,
  useMetrics,
  useModel,
  useTrainer,
} from 'react-nn';
import { expect, userEvent, waitFor, within } from 'storybook/test';

interface CheckpointArgs {
  /** The IndexedDB key the story saves under. */
  storageKey: string;
  epochs: number;
}

const weightsOf = (net: Net) => readNetWeights(net).map((w) => Array.from(w.variable.read().dataSync()));
const same = (a: number[][], b: number[][]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Train, save to IndexedDB, load into a second <Model checkpoint> with another seed: the copy's
 * weights are the trained ones, bit for bit, and the architecture comes back as JSX.
 */
function CheckpointDemo({ storageKey, epochs }: CheckpointArgs) {
  const data = useDataset(() => datasets.moons({ n: 200, noise: 0.2, seed: 5 }));
  const model = useModel();
  const trainer = useTrainer(model, data, { loss: 'bce', optimizer: { type: 'adam', lr: 0.03 }, epochs });
  const { status, epoch } = useMetrics(trainer);
  const copy = useModel();
  const [checkpoint, setCheckpoint] = useState<Checkpoint | null>(null);
  const [size, setSize] = useState(0);
  const [verdict, setVerdict] = useState('');
  useEffect(() => () => void deleteCheckpoint(storageKey).catch(() => {}), [storageKey]);
  useEffect(() => {
    if (!checkpoint) return;
    // Compare once the copy is built from the checkpoint.
    const check = () => {
      if (!copy.getSnapshot().model || !model.getSnapshot().model) return;
      setVerdict(same(weightsOf(copy), weightsOf(model)) ? 'identical' : 'different');
    };
    const stop = copy.subscribe(check);
    check();
    return stop;
  }, [checkpoint, copy, model]);

  const saveAndLoad = async () => {
    const bytes = await saveCheckpoint(model, `indexeddb://${storageKey}`);
    setSize(bytes.length);
    setCheckpoint(await loadCheckpoint(`indexeddb://${storageKey}`));
  };
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={1}>
        <Sequential>
          <Linear outFeatures={12} />
          <ReLU />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      {checkpoint ? (
        <Model handle={copy} inputShape={checkpoint.inputShape} seed={2} checkpoint={checkpoint}>
          {checkpoint.element}
        </Model>
      ) : null}
      <div className="story-col">
        <p className="story-readout">
          status <output data-testid="status">{status}</output> · epoch {epoch}
        </p>
        <button type="button" onClick={() => trainer?.fit().catch(() => {})} disabled={!trainer}>
          Train
        </button>
        <button type="button" onClick={() => void saveAndLoad()} disabled={status !== 'done'}>
          Save to IndexedDB and load a copy
        </button>
        {checkpoint ? (
          <>
            <p className="story-readout">
              {size} bytes saved · the copy's weights are <output data-testid="verdict">{verdict || '…'}</output>
            </p>
            <pre data-testid="jsx">{checkpoint.toJSX()}</pre>
          </>
        ) : null}
      </div>
    </div>
  );
}

const meta = {
  title: 'Checkpoints',
  component: CheckpointDemo,
  args: { storageKey: 'storybook-checkpoint', epochs: 20 },
  argTypes: { epochs: { control: { type: 'number', min: 1, max: 500 } } },
} satisfies Meta<typeof CheckpointDemo>;
export default meta;
type Story = StoryObj<typeof meta>;

export const SaveAndLoad: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const train = await canvas.findByRole('button', { name: 'Train' });
    await waitFor(() => expect(train).toBeEnabled(), { timeout: 30_000 });
    await userEvent.click(train);
    await waitFor(() => expect(canvas.getByTestId('status').textContent).toBe('done'), { timeout: 120_000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Save to IndexedDB and load a copy' }));
    await waitFor(() => expect(canvas.getByTestId('verdict').textContent).toBe('identical'), { timeout: 60_000 });
    expect(canvas.getByTestId('jsx').textContent).toContain('<Linear outFeatures={12} />');
  },
};
