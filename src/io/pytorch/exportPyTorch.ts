import { describe, ReactNNError } from '../../errors';
import { encodeSafetensors } from '../safetensors';
import { modelPy } from './modelPy';
import { readmeMd } from './readme';
import { type ExportSource, resolveSource } from './source';
import { stateDictOf } from './stateDict';
import { dataSafetensors, trainPy } from './trainPy';

const PATH = 'exportPyTorch';

export interface ExportPyTorchOptions {
  /**
   * Also write `data.safetensors`: the trainer's training set (and validation set) as PyTorch
   * tensors, images NCHW. Needs a Trainer as the source. Default false.
   */
  data?: boolean;
}

/** File name → contents: text for scripts, bytes for safetensors files. */
export type ExportedFiles = Record<string, Uint8Array | string>;

/**
 * Hands a react-nn model to PyTorch: `model.py` (an `nn.Module` mirroring the JSX tree, with
 * `load()`), `weights.safetensors` (the `state_dict`, PyTorch names and layouts), `README.md`, and for
 * a Trainer `train.py` (same loss, optimizer, schedule, batch size, epochs, seed, early stopping;
 * runs as `python train.py` and under `torchrun` with DistributedDataParallel) and, with
 * `{ data: true }`, `data.safetensors`.
 *
 * @example
 * const files = await exportPyTorch(trainer, { data: true });
 * await downloadZip(files, 'moons.zip');        // browser
 * await writeFolder(files, './moons-pytorch');   // Node
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.load_state_dict
 */
export async function exportPyTorch(source: ExportSource, options: ExportPyTorchOptions = {}): Promise<ExportedFiles> {
  if (options === null || typeof options !== 'object') {
    throw new ReactNNError(
      'option',
      PATH,
      `options must be an object such as { data: true } (got ${describe(options)})`,
    );
  }
  for (const k of Object.keys(options)) {
    if (k !== 'data') throw new ReactNNError('option', PATH, `unknown option "${k}" — the only option is data`);
  }
  const { graph, model, trainer } = resolveSource(source, PATH);
  if (options.data && !trainer) {
    throw new ReactNNError(
      'option',
      PATH,
      '{ data: true } exports the training data of a Trainer — pass the trainer (exportPyTorch(trainer, { data: true })) or leave data out',
    );
  }
  const { layout, tensors } = stateDictOf(graph, model, PATH);
  const files: ExportedFiles = {
    'model.py': modelPy(graph, layout),
    'weights.safetensors': encodeSafetensors(tensors, { format: 'pt', producer: 'react-nn' }),
  };
  if (trainer) {
    files['train.py'] = trainPy(trainer, graph);
    if (options.data) files['data.safetensors'] = dataSafetensors(trainer);
  }
  files['README.md'] = readmeMd(graph, { train: trainer !== null, data: options.data === true });
  return files;
}
