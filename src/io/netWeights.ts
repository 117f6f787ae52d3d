/**
 * Every weight of a live model, named the way people see the model: the layer path `summary()`
 * prints and the weight's own name — `Sequential > Linear[1] > kernel`,
 * `Sequential > LSTM[0] > weight_hh_l0_reverse`, `Sequential > BatchNorm1d[0] > moving_mean`.
 *
 * One walk over a Net for everything that reads or writes weights by name: checkpoints use it as is;
 * the PyTorch hand-off can take `layerType`, `props` and `weightName` from the same records and map
 * them to PyTorch's names (`0.weight`) and layouts.
 */
import type * as tf from '@tensorflow/tfjs';
import { ReactNNError } from '../errors';
import { walk } from '../graph/analyze';
import type { AnalyzedNode } from '../graph/types';
import type { Net } from '../runtime/net';

/** One weight of a live model, with the layer it belongs to. */
export interface NetWeight {
  /** The stable checkpoint name: `${path} > ${weightName}`. */
  readonly name: string;
  /** The layer's path as `summary()` shows it: `Sequential > Linear[1]`. */
  readonly path: string;
  /** The layer's stable id (the tfjs layer name's prefix): `Sequential/Linear_1`. */
  readonly id: string;
  /** The JSX type: `'Linear'`, `'LSTM'`, a `defineLayer` type. */
  readonly layerType: string;
  /** The layer's props after validation (defaults filled in). */
  readonly props: Readonly<Record<string, unknown>>;
  /**
   * The weight's name inside its layer, as tfjs names it: `kernel`, `bias`, `gamma`, `moving_mean`,
   * `weight_ih_l0`, `alpha`; prefixed by the tfjs sub-layer's suffix (`proj/kernel`) when a layer
   * builds more than one tfjs layer with weights.
   */
  readonly weightName: string;
  readonly shape: readonly number[];
  /** False for running statistics and for the weights of frozen (`trainable={false}`) layers. */
  readonly trainable: boolean;
  /** The live variable; read with `variable.read()`, write with `variable.write(t)`. */
  readonly variable: tf.LayerVariable;
}

/** The separator between the layer path and the weight name; paths use it between layers too. */
export const WEIGHT_SEPARATOR = ' > ';

/**
 * Reads every weight of the net's current model (trainable or not, running statistics included),
 * in the model's own order. Throws a ReactNNError when no model is built yet.
 */
export function readNetWeights(net: Net, api = 'readNetWeights'): NetWeight[] {
  const { model, graph } = net.getSnapshot();
  if (!model || !graph) throw new ReactNNError('state', api, 'the model is not built yet — await its ready() first');
  const nodes = new Map<string, AnalyzedNode>();
  walk(graph.root, (n) => nodes.set(n.id, n));
  const out: NetWeight[] = [];
  const seen = new Set<tf.LayerVariable>();
  for (const layer of model.layers) {
    // A node's tfjs layers are named `${id}` or `${id}.${suffix}`; ids never contain dots.
    const [id = '', suffix] = layer.name.split('.', 2);
    const node = nodes.get(id);
    if (!node) continue;
    for (const variable of layer.weights) {
      // Layers shared between tfjs layers (a folded activation's pass-through) list the same variable twice.
      if (seen.has(variable)) continue;
      seen.add(variable);
      const local = localName(variable.originalName, layer.name);
      const weightName = suffix ? `${suffix}/${local}` : local;
      out.push({
        name: `${node.path}${WEIGHT_SEPARATOR}${weightName}`,
        path: node.path,
        id,
        layerType: node.node.type,
        props: node.props,
        weightName,
        shape: variable.shape as number[],
        trainable: node.trainable && variable.trainable,
        variable,
      });
    }
  }
  return out;
}

/** A variable's name without its tfjs layer's prefix (nested models keep their own inner names). */
function localName(originalName: string, layerName: string): string {
  return originalName.startsWith(`${layerName}/`) ? originalName.slice(layerName.length + 1) : originalName;
}
