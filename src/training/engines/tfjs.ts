import * as tf from '@tensorflow/tfjs';
import { clipGradNorm, clipGradValue, type Param, regularizationPenalty } from '../optimizers';
import type { TrainingEngine } from './types';

// Weights that L1/L2 regularisation applies to: kernels and embeddings, not biases or norms.
// Issue 7: recurrent layers keep PyTorch's names, weight_ih_l0 / weight_hh_l1_reverse.
const DECAYED = /(kernel|embeddings|weight_(ih|hh)_l\d+(_reverse)?)$/;

/** The trainable parameters of a model as the optimizer sees them, keyed by stable names. */
export function paramsOf(model: tf.LayersModel): Param[] {
  return model.trainableWeights.map((w) => ({
    key: w.originalName,
    variable: w.read() as tf.Variable,
    decay: DECAYED.test(w.originalName),
  }));
}

/**
 * The tfjs engine: one step is `tf.variableGrads` over `model.apply(x, { training: true })`
 * plus react-nn's own PyTorch-exact optimizer update. Works on every tfjs backend and layer.
 */
export function createTfjsEngine(reason = 'every layer, loss and optimizer runs on tfjs'): TrainingEngine {
  let cachedModel: tf.LayersModel | null = null;
  let params: Param[] = [];
  return {
    info: { name: 'tfjs', reason },
    step(model, x, y, config) {
      if (model !== cachedModel) {
        cachedModel = model;
        params = paramsOf(model);
        config.optimizer.prune(new Set(params.map((p) => p.key)));
      }
      const live = params.filter((p) => !p.variable.isDisposed);
      let dataLoss: tf.Scalar | null = null;
      const { value, grads } = tf.variableGrads(
        () => {
          const pred = model.apply(x, { training: true }) as tf.Tensor;
          dataLoss = tf.keep(config.loss.fn(y, pred));
          const reg = config.regularization;
          if (reg && ((reg.l1 ?? 0) > 0 || (reg.l2 ?? 0) > 0)) {
            return tf.add(dataLoss, regularizationPenalty(live, reg)) as tf.Scalar;
          }
          return tf.clone(dataLoss);
        },
        live.map((p) => p.variable),
      );
      value.dispose();
      let g = live.map((p) => grads[p.variable.name] as tf.Tensor);
      if (config.clipGradNorm !== undefined) {
        const clipped = clipGradNorm(g, config.clipGradNorm);
        tf.dispose(g);
        g = clipped;
      }
      if (config.clipGradValue !== undefined) {
        const clipped = clipGradValue(g, config.clipGradValue);
        tf.dispose(g);
        g = clipped;
      }
      config.optimizer.step(live, g);
      tf.dispose(g);
      tf.dispose(Object.values(grads));
      return dataLoss as unknown as tf.Scalar;
    },
    predict(model, x, batchSize) {
      return tf.tidy(() => model.predict(x, { batchSize }) as tf.Tensor);
    },
    dispose() {
      cachedModel = null;
      params = [];
    },
  };
}
