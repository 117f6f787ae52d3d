/**
 * Loss functions with PyTorch semantics (reduction='mean'), plus the metadata the trainer
 * needs to check labels against the model's output before the first step.
 *
 * Every loss takes `(yTrue, yPred)` — the Keras argument order tfjs uses — and returns a
 * scalar. Labels whose element count matches the prediction but whose shape differs
 * (`[n]` labels against an `[n, 1]` output) are reshaped to the prediction's shape first:
 * broadcasting them would silently compare every sample with every label, the classic
 * `[n] - [n, 1] → [n, n]` bug PyTorch only warns about.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, listChoices, ReactNNError } from '../errors';

/** A loss: labels and predictions in, the mean loss over the batch out. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** The built-in losses, by name. */
export const LOSS_NAMES = ['mse', 'mae', 'huber', 'bce', 'bceWithLogits', 'crossEntropy', 'multiLabelBce'] as const;

/** One of {@link LOSS_NAMES}. */
export type LossName = (typeof LOSS_NAMES)[number];

/** What the last layer must produce for a loss: probabilities (after a Sigmoid), raw logits, or plain values. */
export type LossExpects = 'probabilities' | 'logits' | 'values';

/** What the labels must look like for a loss. */
export type LossTargets = 'values' | 'classIndex' | 'binary' | 'multilabel';

/** A loss by name, a configured loss, or your own {@link LossFn}. */
export type LossSpec =
  | LossName
  | { type: 'huber'; delta?: number }
  | { type: 'crossEntropy'; labelSmoothing?: number }
  | { type: Exclude<LossName, 'huber' | 'crossEntropy'> }
  | LossFn;

/** A loss ready to use, with what it expects from the model and from the labels. */
export interface ResolvedLoss {
  /** The built-in name, or the custom function's name (`'custom'` when it has none). */
  readonly name: string;
  readonly fn: LossFn;
  /** What the model's last layer should output. */
  readonly expects: LossExpects;
  /** What the labels should be. */
  readonly targets: LossTargets;
  /** True for a user-supplied function: react-nn cannot check its labels. */
  readonly custom: boolean;
  /** The options in effect (`delta` for huber, `labelSmoothing` for crossEntropy). */
  readonly options: Readonly<{ delta?: number; labelSmoothing?: number }>;
}

const META: Record<LossName, { expects: LossExpects; targets: LossTargets }> = {
  mse: { expects: 'values', targets: 'values' },
  mae: { expects: 'values', targets: 'values' },
  huber: { expects: 'values', targets: 'values' },
  bce: { expects: 'probabilities', targets: 'binary' },
  bceWithLogits: { expects: 'logits', targets: 'binary' },
  crossEntropy: { expects: 'logits', targets: 'classIndex' },
  multiLabelBce: { expects: 'probabilities', targets: 'multilabel' },
};

const OPTION_KEYS: Record<LossName, readonly string[]> = {
  mse: [],
  mae: [],
  huber: ['delta'],
  bce: [],
  bceWithLogits: [],
  crossEntropy: ['labelSmoothing'],
  multiLabelBce: [],
};

function fmtShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
}

/**
 * Labels as float32 with the prediction's shape. Same element count but another shape is
 * reshaped (see the module comment); a different count is an error naming both shapes.
 */
function alignTargets(yTrue: tf.Tensor, yPred: tf.Tensor, name: string, path: string): tf.Tensor {
  const y = yTrue.dtype === 'float32' ? yTrue : tf.cast(yTrue, 'float32');
  if (y.shape.length === yPred.shape.length && y.shape.every((d, i) => d === yPred.shape[i])) return y;
  if (y.size === yPred.size) return tf.reshape(y, yPred.shape);
  throw new ReactNNError(
    'shape',
    path,
    `${name} compares each prediction with one label, but the predictions are ${fmtShape(yPred.shape)} and the labels ${fmtShape(yTrue.shape)} — make the last layer output as many values per sample as the labels have`,
  );
}

function asScalar(t: tf.Tensor): tf.Scalar {
  return t as tf.Scalar;
}

// Element-wise BCE on probabilities, as torch.nn.BCELoss: each log clamped at -100 so p = 0
// or 1 gives a finite loss. The gradient is torch's explicit one, (p - y) / max(p(1 - p), 1e-12):
// autodiff through the clamp would give 0 · ∞ = NaN at p = 0 or 1.
const bceElementwise = /* @__PURE__ */ tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [p, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([p, y]);
  const logP = tf.maximum(tf.log(p), -100);
  const log1mP = tf.maximum(tf.log(tf.sub(1, p)), -100);
  const value = tf.neg(tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), log1mP)));
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [ps, ys] = saved as [tf.Tensor, tf.Tensor];
      const denom = tf.maximum(tf.mul(ps, tf.sub(1, ps)), 1e-12);
      const dp = tf.mul(dy, tf.div(tf.sub(ps, ys), denom));
      const dyTrue = tf.mul(dy, tf.sub(tf.maximum(tf.log(tf.sub(1, ps)), -100), tf.maximum(tf.log(ps), -100)));
      return [dp, dyTrue];
    },
  };
});

// Element-wise BCE on logits in the stable form max(x, 0) − x·y + log(1 + e^−|x|). Its autodiff
// gradient is wrong at x = 0 exactly (relu and abs both pick 0 there, giving −y instead of
// 0.5 − y), which a zero-initialised last layer hits on step one: use σ(x) − y, as torch does.
const bceLogitsElementwise = /* @__PURE__ */ tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([x, y]);
  const value = tf.add(tf.sub(tf.relu(x), tf.mul(x, y)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ys] = saved as [tf.Tensor, tf.Tensor];
      return [tf.mul(dy, tf.sub(tf.sigmoid(xs), ys)), tf.mul(dy, tf.neg(xs))];
    },
  };
});

function mseLoss(path: string): LossFn {
  return (yTrue, yPred) =>
    tf.tidy(() => asScalar(tf.mean(tf.squaredDifference(yPred, alignTargets(yTrue, yPred, 'mse', path)))));
}

function maeLoss(path: string): LossFn {
  return (yTrue, yPred) =>
    tf.tidy(() => asScalar(tf.mean(tf.abs(tf.sub(yPred, alignTargets(yTrue, yPred, 'mae', path))))));
}

// torch.nn.HuberLoss: ½d² inside |d| < δ, δ(|d| − ½δ) outside. Equals SmoothL1Loss only for
// δ = 1 (SmoothL1 divides the quadratic part by β instead of scaling the linear one by δ).
// Written as ½q² + δ(|d| − q) with q = min(|d|, δ), which is the same piecewise function:
// tf.where would need a gradient for its condition, and tfjs has none for Less.
function huberLoss(delta: number, path: string): LossFn {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const a = tf.abs(tf.sub(yPred, alignTargets(yTrue, yPred, 'huber', path)));
      const q = tf.minimum(a, delta);
      return asScalar(tf.mean(tf.add(tf.mul(0.5, tf.square(q)), tf.mul(delta, tf.sub(a, q)))));
    });
}

function bceLoss(name: string, path: string): LossFn {
  return (yTrue, yPred) =>
    tf.tidy(() => asScalar(tf.mean(bceElementwise(yPred, alignTargets(yTrue, yPred, name, path)))));
}

function bceWithLogitsLoss(path: string): LossFn {
  return (yTrue, yPred) =>
    tf.tidy(() => asScalar(tf.mean(bceLogitsElementwise(yPred, alignTargets(yTrue, yPred, 'bceWithLogits', path)))));
}

// torch.nn.CrossEntropyLoss on logits with the class axis last (NHWC): mean over every
// position of −Σ_c q_c · log_softmax(x)_c. Labels are class ids when there is one per
// position ([n], [n, 1], or the output's shape without its last axis), else one-hot or
// probability rows of C. Label smoothing ε mixes q with the uniform ε/C, as torch does for
// both label kinds. Ids outside 0..C−1 give a zero row (torch throws; reading the labels here
// would stall the GPU): checkTargets catches the usual cause, too few output units.
function crossEntropyLoss(labelSmoothing: number, path: string): LossFn {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      if (yPred.rank === 0) {
        throw new ReactNNError('shape', path, 'crossEntropy needs one logit per class, but the prediction is a scalar');
      }
      const c = yPred.shape[yPred.rank - 1] as number;
      const logits = tf.reshape(yPred, [-1, c]);
      const rows = logits.shape[0] as number;
      let q: tf.Tensor;
      if (yTrue.size === rows) {
        q = tf.cast(tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), c), 'float32');
      } else if (yTrue.size === yPred.size) {
        q = tf.cast(tf.reshape(yTrue, [-1, c]), 'float32');
      } else {
        throw new ReactNNError(
          'shape',
          path,
          `crossEntropy takes one class id or one row of ${c} class probabilities per sample, but the predictions are ${fmtShape(yPred.shape)} and the labels ${fmtShape(yTrue.shape)} — give class ids of shape [n] or one-hot labels of shape [n, ${c}]`,
        );
      }
      if (labelSmoothing > 0) q = tf.add(tf.mul(q, 1 - labelSmoothing), labelSmoothing / c);
      return asScalar(tf.div(tf.neg(tf.sum(tf.mul(q, tf.logSoftmax(logits)))), rows));
    });
}

function checkOption(value: unknown, name: string, ok: (v: number) => boolean, rule: string, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new ReactNNError('option', path, `${name} must be ${rule} (got ${describe(value)})`);
  }
  return value;
}

// A custom loss must reduce to a scalar; a per-sample vector would make gradients silently
// sum instead of average. Checking rank reads no data, so it costs nothing.
function wrapCustom(fn: LossFn, path: string): LossFn {
  const name = fn.name || 'custom';
  return (yTrue, yPred) => {
    const out = fn(yTrue, yPred) as unknown;
    if (!(out instanceof tf.Tensor) || out.rank !== 0) {
      const got = out instanceof tf.Tensor ? `a tensor of shape ${fmtShape(out.shape)}` : describe(out);
      if (out instanceof tf.Tensor) out.dispose();
      throw new ReactNNError(
        'option',
        path,
        `the custom loss ${JSON.stringify(name)} must return a scalar tensor (got ${got}) — reduce it with tf.mean(...)`,
      );
    }
    return out as tf.Scalar;
  };
}

/**
 * Turns a loss spec into a function plus what it expects, validating names and options.
 *
 * - `mse`, `mae`: mean over all elements (torch `MSELoss`, `L1Loss`).
 * - `huber` / `{ type: 'huber', delta }`: torch `HuberLoss`, δ = 1 by default.
 * - `bce`: torch `BCELoss` on probabilities, each log clamped at −100.
 * - `bceWithLogits`: torch `BCEWithLogitsLoss`, computed stably from logits.
 * - `crossEntropy` / `{ type: 'crossEntropy', labelSmoothing }`: torch `CrossEntropyLoss` on
 *   logits (no Softmax layer), with class-id or one-hot/probability labels.
 * - `multiLabelBce`: BCE on probabilities averaged over every label of every sample — the
 *   Sigmoid + `BCELoss` recipe PyTorch courses use for multi-label data. The maths is `bce`'s;
 *   the name tells the trainer the labels are rows of 0/1, one column per label.
 *
 * @param path prefix for error messages, e.g. `createTrainer > loss`.
 * @see https://pytorch.org/docs/stable/nn.html#loss-functions
 */
export function resolveLoss(spec: LossSpec, path = 'resolveLoss'): ResolvedLoss {
  if (typeof spec === 'function') {
    return {
      name: spec.name || 'custom',
      fn: wrapCustom(spec, path),
      expects: 'values',
      targets: 'values',
      custom: true,
      options: {},
    };
  }
  let name: unknown = spec;
  let given: Record<string, unknown> = {};
  if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    ({ type: name, ...given } = spec as Record<string, unknown>);
  }
  if (typeof name !== 'string' || !(LOSS_NAMES as readonly string[]).includes(name)) {
    const hint =
      typeof name === 'string' && /^(categorical|sparse|softmax|ce|cross)/i.test(name)
        ? ' ("crossEntropy" takes logits and class ids, like torch.nn.CrossEntropyLoss)'
        : '';
    const got = typeof spec === 'object' && spec !== null ? `{ type: ${describe(name)} }` : describe(spec);
    throw new ReactNNError(
      'option',
      path,
      `unknown loss ${got} — use ${listChoices(LOSS_NAMES)}, or a function (yTrue, yPred) => tf.Scalar${hint}`,
    );
  }
  const lossName = name as LossName;
  const allowed = OPTION_KEYS[lossName];
  for (const key of Object.keys(given)) {
    if (!allowed.includes(key)) {
      throw new ReactNNError(
        'option',
        path,
        `the ${lossName} loss has no option ${JSON.stringify(key)} — ${allowed.length ? `its options are ${listChoices(allowed)}` : 'it takes no options'}`,
      );
    }
  }
  const options: { delta?: number; labelSmoothing?: number } = {};
  let fn: LossFn;
  switch (lossName) {
    case 'mse':
      fn = mseLoss(path);
      break;
    case 'mae':
      fn = maeLoss(path);
      break;
    case 'huber': {
      const delta =
        given.delta === undefined
          ? 1
          : checkOption(given.delta, 'huber delta', (v) => v > 0, 'a positive number', path);
      options.delta = delta;
      fn = huberLoss(delta, path);
      break;
    }
    case 'bce':
    case 'multiLabelBce':
      fn = bceLoss(lossName, path);
      break;
    case 'bceWithLogits':
      fn = bceWithLogitsLoss(path);
      break;
    case 'crossEntropy': {
      const eps =
        given.labelSmoothing === undefined
          ? 0
          : checkOption(
              given.labelSmoothing,
              'labelSmoothing',
              (v) => v >= 0 && v <= 1,
              'between 0 and 1 (0.1 is usual)',
              path,
            );
      options.labelSmoothing = eps;
      fn = crossEntropyLoss(eps, path);
      break;
    }
  }
  return { name: lossName, fn, ...META[lossName], custom: false, options };
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Drops a leading `null` (the batch axis in tfjs shapes such as `model.outputs[0].shape`). */
function perSample(shape: readonly (number | null)[]): number[] {
  const dims = shape[0] === null ? shape.slice(1) : shape;
  return dims.map((d) => d ?? 1);
}

/**
 * Checks that labels fit a model's output for a loss, before any step. Returns a message
 * saying what does not fit and how to fix it, or `null` when they fit (always for a custom
 * loss). The trainer prepends the path and the last layer's name.
 *
 * @param outputShape the model output per sample, e.g. `[3]`; a leading `null` (tfjs's batch axis) is dropped.
 * @param targetShape the labels per sample: `[]` for labels of shape `[n]`, `[3]` for `[n, 3]`.
 * @param numClasses the number of classes in the labels, when known.
 * @example
 * checkTargets(resolveLoss('crossEntropy'), [1], [], 3)
 * // "crossEntropy needs one output per class: the last layer gives 1 unit but the labels have 3 classes — set outFeatures={3}"
 */
export function checkTargets(
  loss: ResolvedLoss,
  outputShape: readonly (number | null)[],
  targetShape: readonly (number | null)[],
  numClasses?: number,
): string | null {
  if (loss.custom) return null;
  const out = perSample(outputShape);
  const target = perSample(targetShape);
  const units = product(out);
  const values = product(target);
  const unitWord = (n: number) => `${n} unit${n === 1 ? '' : 's'}`;
  switch (loss.targets) {
    case 'classIndex': {
      const c = out.at(-1) ?? 1;
      const lead = out.slice(0, -1);
      const ids = sameDims(target, lead) || sameDims(target, [...lead, 1]);
      const rows = sameDims(target, out);
      const k = numClasses ?? (rows ? c : undefined);
      if (c === 1) {
        if (k !== undefined && k > 1) {
          return `crossEntropy needs one output per class: the last layer gives 1 unit but the labels have ${k} classes — set outFeatures={${k}}${k === 2 ? ' (or keep 1 unit and use loss "bceWithLogits")' : ''}`;
        }
        return 'crossEntropy needs one output per class: the last layer gives 1 unit, and softmax over one class is always 1 — set outFeatures to the number of classes, or use loss "bceWithLogits" for two classes';
      }
      if (ids) {
        if (numClasses !== undefined && numClasses > c) {
          return `crossEntropy needs one output per class: the last layer gives ${unitWord(c)} but the labels have ${numClasses} classes — set outFeatures={${numClasses}}`;
        }
        return null;
      }
      if (rows) return null;
      if (target.length === out.length && sameDims(target.slice(0, -1), lead)) {
        const t = target.at(-1) as number;
        return `crossEntropy needs one output per class: the last layer gives ${unitWord(c)} but the one-hot labels have ${t} columns — set outFeatures={${t}}`;
      }
      return `crossEntropy takes one class id or one one-hot row per sample: the last layer gives ${fmtShape(out)} per sample but the labels are ${fmtShape(target)} per sample`;
    }
    case 'binary': {
      const what = loss.expects === 'logits' ? 'logit' : 'probability';
      if (numClasses !== undefined && numClasses > 2) {
        return `${loss.name} is for two classes (labels 0 and 1) but the labels have ${numClasses} classes — use loss "crossEntropy" with outFeatures={${numClasses}} and no Sigmoid/Softmax at the end`;
      }
      if (units === values) return null;
      if (values === 1) {
        return `${loss.name} expects one ${what} per sample: the last layer gives ${unitWord(units)} but the labels have 1 value per sample — set outFeatures={1}`;
      }
      return `${loss.name} compares each output with one 0/1 label: the last layer gives ${fmtShape(out)} per sample but the labels are ${fmtShape(target)} — make them the same size${values > 1 ? ' (for several labels per sample use loss "multiLabelBce")' : ''}`;
    }
    case 'multilabel': {
      if (units === values) return null;
      return `multiLabelBce needs one output per label: the last layer gives ${unitWord(units)} but the labels have ${values} columns — set outFeatures={${values}}`;
    }
    case 'values': {
      if (units === values) return null;
      const hint =
        values === 1 && units > 1 && numClasses !== undefined
          ? ` — or, for ${numClasses} classes, use loss "crossEntropy"`
          : '';
      return `${loss.name} compares each output with one label: the last layer gives ${unitWord(units)} per sample but the labels have ${values} values per sample — set outFeatures={${values}}${hint}`;
    }
  }
}

/**
 * A warning when a built-in loss and the model's last layer disagree about what the model outputs
 * (PyTorch's losses take logits or probabilities, and a final Softmax/Sigmoid in the wrong place
 * trains badly without failing), or null.
 * @param lastType the type of the model's last layer, e.g. `'Softmax'`.
 * @param lastPath its path, for the message.
 */
export function lossAdvice(loss: ResolvedLoss, lastType: string, lastPath: string): string | null {
  if (loss.custom) return null;
  if (loss.name === 'crossEntropy' && lastType === 'Softmax') {
    return `crossEntropy takes logits and applies log-softmax itself, but the model ends in Softmax (${lastPath}) — remove the <Softmax />, as in PyTorch`;
  }
  if (loss.name === 'bceWithLogits' && lastType === 'Sigmoid') {
    return `bceWithLogits applies the sigmoid itself, but the model ends in Sigmoid (${lastPath}) — remove the <Sigmoid /> or use loss 'bce'`;
  }
  if ((loss.name === 'bce' || loss.name === 'multiLabelBce') && lastType !== 'Sigmoid') {
    return `${loss.name} takes probabilities, but the model ends in ${lastType} (${lastPath}) — end it with <Sigmoid /> or use loss 'bceWithLogits'`;
  }
  return null;
}
