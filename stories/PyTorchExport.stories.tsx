import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import {
  datasets,
  downloadZip,
  type ExportedFiles,
  exportONNX,
  exportPyTorch,
  Linear,
  LossChart,
  loadStateDict,
  Model,
  ReLU,
  Sequential,
  type Trainer,
  useDataset,
  useModel,
  useTrainer,
} from 'react-nn';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { TrainingReadout, useAutoFit } from './shared';

interface ExportArgs {
  hidden: number;
  epochs: number;
}

function sizeOf(content: Uint8Array | string): number {
  return typeof content === 'string' ? new TextEncoder().encode(content).length : content.length;
}

/** The export buttons: PyTorch files (shown, and downloadable as a zip), ONNX, and loading the weights back. */
function ExportPanel({ trainer: live, ready }: { trainer: Trainer | null; ready: boolean }) {
  // The buttons wait for the built model: the trainer exists as soon as the data does.
  const trainer = ready ? live : null;
  const [files, setFiles] = useState<ExportedFiles | null>(null);
  const [onnxBytes, setOnnxBytes] = useState<number | null>(null);
  const [reloaded, setReloaded] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = (job: () => Promise<void>) => () => {
    setError(null);
    job().catch((e: unknown) => setError(String((e as Error).message ?? e)));
  };
  return (
    <div className="story-col">
      <div className="actions">
        <button
          type="button"
          disabled={!trainer}
          onClick={run(async () => setFiles(await exportPyTorch(trainer as Trainer, { data: true })))}
        >
          Export for PyTorch
        </button>
        <button type="button" disabled={!files} onClick={run(() => downloadZip(files as ExportedFiles, 'moons.zip'))}>
          Download zip
        </button>
        <button
          type="button"
          disabled={!trainer}
          onClick={run(async () => setOnnxBytes((await exportONNX(trainer as Trainer)).length))}
        >
          Export ONNX
        </button>
        <button
          type="button"
          disabled={!files || !trainer}
          onClick={run(async () => {
            const report = await loadStateDict(
              trainer as Trainer,
              (files as ExportedFiles)['weights.safetensors'] as Uint8Array,
            );
            setReloaded(`${report.loadedKeys.length} tensors loaded`);
          })}
        >
          Load the exported weights back
        </button>
      </div>
      {error ? <p className="problem">{error}</p> : null}
      {files ? (
        <ul data-testid="files">
          {Object.entries(files).map(([name, content]) => (
            <li key={name}>
              {name} — {sizeOf(content).toLocaleString()} bytes
            </li>
          ))}
        </ul>
      ) : null}
      {onnxBytes !== null ? <p data-testid="onnx">model.onnx — {onnxBytes.toLocaleString()} bytes (opset 17)</p> : null}
      {reloaded ? <p data-testid="reloaded">{reloaded}</p> : null}
      {files ? (
        <pre data-testid="model-py" style={{ maxHeight: 260, overflow: 'auto', fontSize: 11 }}>
          {files['model.py'] as string}
        </pre>
      ) : null}
    </div>
  );
}

/** A moons classifier trained in the page, then handed to PyTorch (model.py, weights, train.py, data) and ONNX. */
function PyTorchExport(args: ExportArgs) {
  const data = useDataset(() => datasets.moons({ n: 400, noise: 0.2, seed: 1 }), { validationSplit: 0.2 });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bceWithLogits',
    optimizer: { type: 'adam', lr: 0.02 },
    epochs: args.epochs,
    batchSize: 32,
    metrics: ['accuracy'],
    seed: 1,
  });
  useAutoFit(trainer);
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={3}>
        <Sequential>
          <Linear outFeatures={args.hidden} />
          <ReLU />
          <Linear outFeatures={1} />
        </Sequential>
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={160} />
      </div>
      <ExportPanel trainer={trainer} ready={model.status === 'ready'} />
    </div>
  );
}

const meta = {
  title: 'Hand-off/PyTorch and ONNX export',
  component: PyTorchExport,
  args: { hidden: 8, epochs: 40 },
  argTypes: {
    hidden: { control: { type: 'range', min: 1, max: 64, step: 1 } },
    epochs: { control: { type: 'number', min: 1, max: 1000 } },
  },
} satisfies Meta<typeof PyTorchExport>;
export default meta;
type Story = StoryObj<typeof meta>;

export const ExportButtons: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    // Export what training ends with (exporting mid-training works too; this makes the test's numbers fixed).
    await waitFor(() => expect(canvas.getByTestId('loss-status').textContent).toBe('done'), { timeout: 90_000 });
    const exportButton = await canvas.findByRole('button', { name: 'Export for PyTorch' });
    await waitFor(() => expect(exportButton).toBeEnabled(), { timeout: 30_000 });
    await userEvent.click(exportButton);
    const list = await canvas.findByTestId('files', {}, { timeout: 30_000 });
    for (const name of ['model.py', 'weights.safetensors', 'train.py', 'data.safetensors', 'README.md'])
      expect(list.textContent).toContain(name);
    expect(canvas.getByTestId('model-py').textContent).toContain('nn.Linear(2, 8)');
    await userEvent.click(canvas.getByRole('button', { name: 'Export ONNX' }));
    expect((await canvas.findByTestId('onnx', {}, { timeout: 30_000 })).textContent).toContain('opset 17');
    await userEvent.click(canvas.getByRole('button', { name: 'Load the exported weights back' }));
    // Two Linear layers: weight and bias each.
    expect((await canvas.findByTestId('reloaded', {}, { timeout: 30_000 })).textContent).toBe('4 tensors loaded');
  },
};
