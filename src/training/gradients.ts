/**
 * Gradient utilities beside the optimizers, as torch.nn.utils has them: the global norm, clipping
 * by norm or by value, and the L1/L2 penalty added to the loss.
 */
import * as tf from '@tensorflow/tfjs';
import { describe } from '../errors';
import { checkNumber, fail, type Param } from './optimizerConfig';

function checkGrads(grads: unknown, path: string): asserts grads is readonly tf.Tensor[] {
  if (!Array.isArray(grads) || !grads.every((g) => g instanceof tf.Tensor)) {
    fail(path, `expected an array of gradient tensors (got ${describe(grads)})`);
  }
}

/**
 * The 2-norm of all gradients taken together, √Σ‖g‖², as a scalar tensor (for clipping, or to
 * chart gradient size). An empty list gives 0.
 */
export function globalNorm(grads: readonly tf.Tensor[], path = 'globalNorm'): tf.Scalar {
  checkGrads(grads, path);
  return tf.tidy(() =>
    grads.length === 0 ? tf.scalar(0) : (tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar),
  );
}

/**
 * torch.nn.utils.clip_grad_norm_: scales every gradient by min(1, maxNorm / (total + 1e-6)),
 * where total is their joint 2-norm — so the direction is kept and only long steps shrink.
 * Returns new tensors (the inputs are not disposed); reads no data back to the CPU.
 *
 * @see https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_norm_.html
 */
export function clipGradNorm(grads: readonly tf.Tensor[], maxNorm: number, path = 'clipGradNorm'): tf.Tensor[] {
  checkNumber(maxNorm, 'clipGradNorm', (v) => v > 0, 'a positive number (1.0 is usual)', path);
  checkGrads(grads, path);
  if (grads.length === 0) return [];
  return tf.tidy(() => {
    const total = globalNorm(grads, path);
    const coef = tf.minimum(tf.div(maxNorm, tf.add(total, 1e-6)), 1);
    return grads.map((g) => tf.mul(g, coef));
  });
}

/**
 * torch.nn.utils.clip_grad_value_: clamps every gradient element into [−value, value].
 * Returns new tensors (the inputs are not disposed).
 *
 * @see https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_value_.html
 */
export function clipGradValue(grads: readonly tf.Tensor[], value: number, path = 'clipGradValue'): tf.Tensor[] {
  checkNumber(value, 'clipGradValue', (v) => v > 0, 'a positive number', path);
  checkGrads(grads, path);
  return grads.map((g) => tf.clipByValue(g, -value, value));
}

/**
 * The regularisation term to add to the loss: l1·Σ|w| + l2·Σw² over parameters with
 * `decay: true` (weights; biases and BatchNorm parameters are skipped). Call it inside the
 * function you differentiate so its gradient reaches the weights.
 *
 * `l2` here is a loss term, Keras-style: its gradient is 2·l2·w. It is not `weightDecay`,
 * which torch adds to the gradient as λ·w (and AdamW applies apart from the gradient), for
 * every parameter — so `l2: 0.5e-4` matches `weightDecay: 1e-4` under SGD, on weights only.
 */
export function regularizationPenalty(
  params: readonly Param[],
  options: { l1?: number; l2?: number },
  path = 'regularization',
): tf.Scalar {
  if (options === null || typeof options !== 'object') {
    fail(path, `regularization must be an object like { l2: 1e-4 } (got ${describe(options)})`);
  }
  const { l1 = 0, l2 = 0 } = options;
  checkNumber(l1, 'l1', (v) => v >= 0, 'a number ≥ 0 (1e-5 is usual)', path);
  checkNumber(l2, 'l2', (v) => v >= 0, 'a number ≥ 0 (1e-4 is usual)', path);
  if (!Array.isArray(params)) fail(path, `expected an array of parameters (got ${describe(params)})`);
  return tf.tidy(() => {
    let total: tf.Tensor = tf.scalar(0);
    for (const p of params) {
      if (!p.decay) continue;
      if (l1 > 0) total = tf.add(total, tf.mul(tf.sum(tf.abs(p.variable)), l1));
      if (l2 > 0) total = tf.add(total, tf.mul(tf.sum(tf.square(p.variable)), l2));
    }
    return total as tf.Scalar;
  });
}
