import type * as tf from '@tensorflow/tfjs';
import { sameShape } from '../graph/shape';

/** Which tfjs weights an edit kept and which it freshly initialised, by weight name. */
export interface CarryOverReport {
  kept: string[];
  reset: string[];
}

/**
 * Copies every weight whose layer name (the node identity) and shape are unchanged from
 * `from` into `to`. Assigning shares the tensor's data with the old variable, so kept
 * weights are bit-identical and survive `from.dispose()` through tfjs' reference count.
 */
export function carryOverWeights(from: tf.LayersModel, to: tf.LayersModel): CarryOverReport {
  const old = new Map<string, tf.LayerVariable>();
  for (const layer of from.layers) for (const w of layer.weights) old.set(w.originalName, w);
  const report: CarryOverReport = { kept: [], reset: [] };
  for (const layer of to.layers) {
    for (const w of layer.weights) {
      const prev = old.get(w.originalName);
      if (prev && sameShape(prev.shape, w.shape)) {
        w.write(prev.read());
        report.kept.push(w.originalName);
      } else {
        report.reset.push(w.originalName);
      }
    }
  }
  return report;
}
