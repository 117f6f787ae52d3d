import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  datasets,
  Linear,
  Model,
  Sequential,
  Sigmoid,
  SoftExponential,
  Tanh,
  TrainingControls,
  useDataset,
  useMetrics,
  useModel,
  useTrainer,
} from 'react-nn';
import { expect, waitFor, within } from 'storybook/test';
import {
  expectLossFalls,
  type LiveArgsProps,
  readNumber,
  renderWithLiveArgs,
  TrainingReadout,
  useAutoFit,
} from './shared';

type EngineChoice = 'auto' | 'tfjs' | 'fused-cpu';
const ENGINES: EngineChoice[] = ['auto', 'tfjs', 'fused-cpu'];

interface EngineArgs {
  engine: EngineChoice;
  /** A SoftExponential (a layer made with defineLayer) after the first Linear: the fused engines do not run it. */
  custom: boolean;
  epochs: number;
}

/**
 * The trainer's `engine` option: the same small MLP on two moons, trained by the engine the
 * control asks for. The read-out is the trainer's own `snapshot.engine` — which engine runs and
 * why. With `auto`, a plain MLP trains on a fused engine (in Chromium without a hardware GPU:
 * fused-cpu, in a Web Worker); a custom SoftExponential layer makes it fall back to tfjs, and the reason names the
 * layer. Switching engine or adding the layer mid-run hands the optimizer state over and training
 * goes on.
 */
function EnginePickerDemo({ setArgs, ...args }: EngineArgs & LiveArgsProps<EngineArgs>) {
  const data = useDataset(() => datasets.moons({ n: 1000, noise: 0.3, seed: 1 }));
  const model = useModel();
  // No validation, metrics or callbacks: fused chunks may span many epochs.
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: { type: 'adam', lr: 0.01 },
    epochs: args.epochs,
    engine: args.engine,
  });
  useAutoFit(trainer);
  const { engine } = useMetrics(trainer);
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={1}>
        <Sequential>
          <Linear outFeatures={8} />
          {args.custom ? <SoftExponential /> : null}
          <Tanh />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <fieldset className="story-inputs" disabled={!setArgs}>
          <legend>Story args, applied live</legend>
          <label>
            Engine{' '}
            <select value={args.engine} onChange={(e) => setArgs?.({ engine: e.target.value as EngineChoice })}>
              {ENGINES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={args.custom} onChange={(e) => setArgs?.({ custom: e.target.checked })} />{' '}
            SoftExponential
          </label>
        </fieldset>
        <p className="story-readout">
          engine <output data-testid="engine">{trainer ? engine.name : ''}</output>
        </p>
        <p className="story-readout">
          why: <output data-testid="engine-reason">{trainer ? engine.reason : ''}</output>
        </p>
        <TrainingControls trainer={trainer} />
      </div>
    </div>
  );
}

const meta = {
  title: 'Training engines',
  component: EnginePickerDemo,
  render: renderWithLiveArgs(EnginePickerDemo),
  // Far more epochs than a play function waits for: 200 M examples keep even fused-cpu busy for
  // longer than the checks take (≈ 5 M examples/s at most), so switches land while it trains.
  args: { engine: 'auto', custom: false, epochs: 200_000 },
  argTypes: {
    engine: { control: 'select', options: ENGINES, description: 'Training engine, applied live' },
    custom: {
      control: 'boolean',
      description: 'A custom SoftExponential layer after the first Linear (not run by fused engines)',
    },
    epochs: { control: { type: 'number', min: 1, max: 1_000_000 } },
    setArgs: { table: { disable: true } },
  },
} satisfies Meta<typeof EnginePickerDemo>;
export default meta;
type Story = StoryObj<typeof meta>;

const text = (canvasElement: HTMLElement, testId: string) =>
  within(canvasElement).getByTestId(testId).textContent ?? '';

/** Waits until the trainer has completed `epochs` more epochs than `from`. */
async function epochsPass(canvasElement: HTMLElement, from: number, epochs: number) {
  await waitFor(() => expect(readNumber(canvasElement, 'loss-epoch')).toBeGreaterThanOrEqual(from + epochs), {
    timeout: 90_000,
    interval: 100,
  });
}

/** Training is still running: the check that follows is about a switch mid-run, not after the end. */
function expectRunning(canvasElement: HTMLElement) {
  expect(text(canvasElement, 'loss-status'), 'training ended before the check: raise `epochs`').toBe('running');
}

export const EnginePicker: Story = {
  play: async ({ canvasElement, userEvent, step }) => {
    const canvas = within(canvasElement);
    await step('auto trains the MLP on fused-cpu, in a Web Worker, and says why', async () => {
      await expectLossFalls(canvasElement);
      // Chromium here has no hardware GPU (WebGPU, if any, is SwiftShader): auto does not take
      // fused-webgpu on a software adapter, since fused-cpu is faster there.
      expect(text(canvasElement, 'engine')).toBe('fused-cpu');
      const reason = text(canvasElement, 'engine-reason');
      expect(reason).toMatch(/^auto: every layer, the loss and the optimizer are supported/);
      expect(reason).toMatch(/fused-webgpu not used/);
      expect(reason).toMatch(/in a Web Worker/);
    });

    await step('switching to tfjs mid-run: the trainer says so, and training goes on', async () => {
      expectRunning(canvasElement);
      const args = within(canvas.getByRole('group', { name: 'Story args, applied live' }));
      await userEvent.selectOptions(args.getByLabelText('Engine'), 'tfjs');
      await waitFor(
        () => {
          expect(text(canvasElement, 'engine')).toBe('tfjs');
          expect(text(canvasElement, 'engine-reason')).toBe('requested');
        },
        { timeout: 60_000, interval: 100 },
      );
      const atSwitch = readNumber(canvasElement, 'loss-epoch');
      await epochsPass(canvasElement, atSwitch, 1);
      expect(Number.isFinite(readNumber(canvasElement, 'loss'))).toBe(true);
      expectRunning(canvasElement);
    });

    await step('pause: nothing keeps training after the story', async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Pause' }));
      await waitFor(() => expect(text(canvasElement, 'loss-status')).toBe('paused'));
    });
  },
};

export const UnsupportedLayer: Story = {
  name: 'Unsupported layer falls back to tfjs',
  args: { custom: true },
  play: async ({ canvasElement, userEvent, step }) => {
    const canvas = within(canvasElement);
    await step('a custom layer: auto trains on tfjs, and the reason names the layer', async () => {
      await epochsPass(canvasElement, 0, 1);
      expect(text(canvasElement, 'engine')).toBe('tfjs');
      const reason = text(canvasElement, 'engine-reason');
      expect(reason).toMatch(/^auto: /);
      expect(reason).toMatch(/SoftExponential\[0\] is a SoftExponential/);
      expect(reason).toMatch(/training on tfjs$/);
    });

    await step('removing it mid-run: back to fused-cpu, and training goes on', async () => {
      expectRunning(canvasElement);
      const args = within(canvas.getByRole('group', { name: 'Story args, applied live' }));
      await userEvent.click(args.getByLabelText('SoftExponential'));
      await waitFor(() => expect(text(canvasElement, 'engine')).toBe('fused-cpu'), { timeout: 60_000, interval: 100 });
      expect(text(canvasElement, 'engine-reason')).toMatch(
        /^auto: every layer, the loss and the optimizer are supported/,
      );
      const atSwitch = readNumber(canvasElement, 'loss-epoch');
      await epochsPass(canvasElement, atSwitch, 2);
      expect(Number.isFinite(readNumber(canvasElement, 'loss'))).toBe(true);
      await userEvent.click(canvas.getByRole('button', { name: 'Pause' }));
      await waitFor(() => expect(text(canvasElement, 'loss-status')).toBe('paused'));
    });
  },
};
