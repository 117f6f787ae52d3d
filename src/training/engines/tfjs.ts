import * as tf from '@tensorflow/tfjs';
import { clipGradNorm, clipGradValue, type Param, regularizationPenalty } from '../optimizers';
import type { StepConfig, TrainingEngine } from './types';

// Weights that L1/L2 regularisation applies to: kernels and embeddings, not biases or norms.
// Recurrent layers keep PyTorch's names, weight_ih_l0 / weight_hh_l1_reverse.
const DECAYED = /(kernel|embeddings|weight_(ih|hh)_l\d+(_reverse)?)$/;

/** The trainable parameters of a model as the optimizer sees them, keyed by stable names. */
export function paramsOf(model: tf.LayersModel): Param[] {
  return model.trainableWeights.map((w) => ({
    key: w.originalName,
    variable: w.read() as tf.Variable,
    decay: DECAYED.test(w.originalName),
  }));
}

/** Swaps a gradient list for a clipped one, freeing the old (the first list is also in `grads`: disposing twice is a no-op). */
function replace(old: tf.Tensor[], next: tf.Tensor[]): tf.Tensor[] {
  tf.dispose(old);
  return next;
}

/**
 * Frees what a forward pass that threw left on tfjs' gradient tape: tfjs keeps a copy of each
 * op's inputs there and frees them only after a backward pass that completes (engine.gradients).
 */
function releaseTape(): void {
  const state = tf.engine().state as unknown as {
    gradientDepth: number;
    activeTape: { saved?: tf.Tensor[] }[] | null;
  };
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}

/**
 * The tfjs engine: one step is `tf.variableGrads` over `model.apply(x, { training: true })`
 * plus react-nn's own PyTorch-exact optimizer update. Works on every tfjs backend and layer.
 */
export function createTfjsEngine(reason = 'every layer, loss and optimizer runs on tfjs'): TrainingEngine {
  let cachedModel: tf.LayersModel | null = null;
  let params: Param[] = [];
  /** The training labels as one-hot rows, for crossEntropy on class ids (see targetsFor). */
  let oneHot: { y: tf.Tensor; classes: number; value: tf.Tensor } | null = null;

  /**
   * The labels a step gathers from. For the built-in crossEntropy on class ids, one-hot rows made
   * once per data set and class count: the loss then skips casting and one-hot encoding every
   * batch (three kernels a step, each a shader dispatch on WebGL/WebGPU) and computes the same.
   */
  const targetsFor = (model: tf.LayersModel, y: tf.Tensor, rows: number, loss: StepConfig['loss']): tf.Tensor => {
    const out = model.outputs[0]?.shape;
    const classes = out?.[out.length - 1];
    if (loss.name !== 'crossEntropy' || loss.custom || typeof classes !== 'number' || classes < 2) return y;
    if (y.size !== rows) return y; // already one row of probabilities per sample
    if (oneHot && oneHot.y === y && oneHot.classes === classes) return oneHot.value;
    oneHot?.value.dispose();
    const value = tf.tidy(() => tf.cast(tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), classes), 'float32'));
    oneHot = { y, classes, value };
    return value;
  };

  const engine: TrainingEngine = {
    info: { name: 'tfjs', reason },
    /** One batch per chunk: a tfjs step is synchronous, and the trainer yields between chunks. */
    async runChunk(req) {
      const { model, x, order, offset, epochSize: n, config } = req;
      const count = Math.min(req.batchSize, n - offset);
      const targets = targetsFor(model, req.y, n, config.loss);
      let loss: tf.Scalar;
      if (count === n && req.anyOrder === true) {
        // Full batch: the order of examples cannot matter, so skip the gather.
        loss = engine.step(model, x, targets, config);
      } else {
        const [xb, yb] = tf.tidy(() => {
          const idx = tf.tensor1d(order.rows.subarray(offset, offset + count), 'int32');
          return [tf.gather(x, idx), tf.gather(targets, idx)];
        });
        try {
          loss = engine.step(model, xb as tf.Tensor, yb as tf.Tensor, config);
        } finally {
          tf.dispose([xb, yb]);
        }
      }
      const deviceLossSum = tf.tidy(() => tf.mul(loss, count));
      loss.dispose();
      const complete = offset + count >= n;
      return {
        steps: 1,
        samples: count,
        lossSum: complete ? 0 : req.lossSum,
        epochLossSums: complete ? [req.lossSum] : [],
        deviceLossSum,
      };
    },
    step(model, x, y, config) {
      if (model !== cachedModel) {
        cachedModel = model;
        params = paramsOf(model);
        config.optimizer.prune(new Set(params.map((p) => p.key)));
      }
      const live = params.filter((p) => !p.variable.isDisposed);
      let dataLoss: tf.Scalar | null = null;
      let grads: tf.NamedTensorMap = {};
      let g: tf.Tensor[] = [];
      try {
        const result = tf.variableGrads(
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
        result.value.dispose();
        grads = result.grads;
        g = live.map((p) => grads[p.variable.name] as tf.Tensor);
        if (config.clipGradNorm !== undefined) g = replace(g, clipGradNorm(g, config.clipGradNorm));
        if (config.clipGradValue !== undefined) g = replace(g, clipGradValue(g, config.clipGradValue));
        config.optimizer.step(live, g);
      } catch (e) {
        // A loss or layer that throws mid-step (a shape error) must not strand the kept loss,
        // nor the forward pass's tensors tfjs saved on its gradient tape for the backward pass.
        if (dataLoss) tf.dispose(dataLoss);
        releaseTape();
        throw e;
      } finally {
        tf.dispose(g);
        tf.dispose(Object.values(grads));
      }
      return dataLoss as unknown as tf.Scalar;
    },
    predict(model, x, batchSize) {
      return tf.tidy(() => model.predict(x, { batchSize }) as tf.Tensor);
    },
    dispose() {
      cachedModel = null;
      params = [];
      oneHot?.value.dispose();
      oneHot = null;
    },
  };
  return engine;
}
