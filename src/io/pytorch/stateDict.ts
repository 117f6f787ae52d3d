import type * as tf from '@tensorflow/tfjs';
import { ReactNNError } from '../../errors';
import type { AnalyzedGraph } from '../../graph/types';
import type { SafeTensor } from '../safetensors';
import { type TorchLayout, torchLayout, toTorch } from './names';

/** The model's tfjs weights by their stable names. */
export function weightsByName(model: tf.LayersModel): Map<string, tf.LayerVariable> {
  const out = new Map<string, tf.LayerVariable>();
  for (const w of model.weights) out.set(w.originalName, w as tf.LayerVariable);
  return out;
}

/**
 * The model's `state_dict` with PyTorch's keys, shapes and layouts, ready for `encodeSafetensors`.
 * Reads each weight once (`dataSync`, so the values are a consistent snapshot between training steps).
 */
export function stateDictOf(
  graph: AnalyzedGraph,
  model: tf.LayersModel,
  api: string,
): {
  layout: TorchLayout;
  tensors: Record<string, SafeTensor>;
} {
  const layout = torchLayout(graph, model);
  const weights = weightsByName(model);
  const tensors: Record<string, SafeTensor> = {};
  for (const t of layout.tensors) {
    if (t.tfName === null) {
      // BatchNorm's num_batches_tracked: react-nn does not count batches (momentum is always set, so PyTorch does not read it).
      tensors[t.key] = { dtype: 'I64', shape: [], data: new BigInt64Array(1) };
      continue;
    }
    const w = weights.get(t.tfName);
    if (!w)
      throw new ReactNNError('state', `${api} > ${t.path}`, `weight "${t.tfName}" is missing from the built model`);
    const values = w.read().dataSync() as Float32Array;
    tensors[t.key] = { dtype: 'F32', shape: [...t.shape], data: toTorch(t.layout, values) };
  }
  return { layout, tensors };
}
