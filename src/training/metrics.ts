/**
 * Evaluation metrics as plain functions over numbers, matching scikit-learn's definitions
 * (the reference PyTorch courses use for evaluation).
 *
 * The metric functions are synchronous and take arrays — flat, nested rows, or the
 * `{ data, shape }` pair that `await tensor.data()` and `tensor.shape` give.
 * {@link computeMetrics} is the tensor entry point: it reads each tensor once, asynchronously
 * (`dataSync` stalls on WebGPU), then runs every requested metric on the same numbers.
 * Reading and checking the inputs is metricInputs.ts' job.
 */
import type * as tf from '@tensorflow/tfjs';
import { TASKS, type Task } from '../data/targets';
import { describe, listChoices, ReactNNError } from '../errors';
import {
  argmaxRow,
  at,
  binaryOf,
  CLASSIFICATION,
  type ClassificationOptions,
  checkRows,
  labelIds,
  type Matrix,
  type MetricInput,
  multiclassOf,
  multilabelCheck,
  regressionPair,
  resolveTask,
  toMatrix,
} from './metricInputs';

export type { ClassificationOptions, ClassificationTask, MetricArray, MetricInput } from './metricInputs';
export type { Task };

/** The metrics, by name. */
export const METRIC_NAMES = ['accuracy', 'precision', 'recall', 'f1', 'auc', 'mae', 'r2'] as const;

/** One of {@link METRIC_NAMES}. */
export type MetricName = (typeof METRIC_NAMES)[number];

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

// Zero denominators give 0, as scikit-learn's default zero_division (it also warns).
function prf(c: Counts): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Precision, recall and F1 as scikit-learn: binary → of the positive class; multiclass →
 * macro average over the classes present in labels or predictions; multilabel → macro over
 * the label columns. Macro F1 averages per-class F1s (not the F1 of averaged P and R).
 */
function prfScores(
  yTrueIn: MetricInput,
  yPredIn: MetricInput,
  options: ClassificationOptions | undefined,
  name: string,
): { precision: number; recall: number; f1: number } {
  const path = options?.path ?? name;
  const yTrue = toMatrix(yTrueIn, 'yTrue', path);
  const yPred = toMatrix(yPredIn, 'yPred', path);
  const task = resolveTask(yPred, options, name, path);
  const fromLogits = options?.fromLogits ?? false;
  const perClass: { precision: number; recall: number; f1: number }[] = [];
  if (task === 'binary') {
    const b = binaryOf(yTrue, yPred, fromLogits, path);
    const c: Counts = { tp: 0, fp: 0, fn: 0 };
    b.truth.forEach((t, i) => {
      const p = (b.score[i] as number) > b.threshold;
      if (p && t) c.tp++;
      else if (p) c.fp++;
      else if (t) c.fn++;
    });
    return prf(c);
  }
  if (task === 'multiclass') {
    const { truth, pred, classes } = multiclassOf(yTrue, yPred, path);
    const counts = Array.from({ length: classes }, () => ({ tp: 0, fp: 0, fn: 0, present: false }));
    truth.forEach((t, i) => {
      const p = pred[i] as number;
      const ct = counts[t] as Counts & { present: boolean };
      const cp = counts[p] as Counts & { present: boolean };
      ct.present = cp.present = true;
      if (t === p) ct.tp++;
      else {
        ct.fn++;
        cp.fp++;
      }
    });
    for (const c of counts) if (c.present) perClass.push(prf(c));
  } else {
    multilabelCheck(yTrue, yPred, path);
    const threshold = fromLogits ? 0 : 0.5;
    for (let col = 0; col < yPred.cols; col++) {
      const c: Counts = { tp: 0, fp: 0, fn: 0 };
      for (let i = 0; i < yPred.rows; i++) {
        const t = at(yTrue, i, col) > 0.5;
        const p = at(yPred, i, col) > threshold;
        if (p && t) c.tp++;
        else if (p) c.fp++;
        else if (t) c.fn++;
      }
      perClass.push(prf(c));
    }
  }
  return {
    precision: mean(perClass.map((s) => s.precision)),
    recall: mean(perClass.map((s) => s.recall)),
    f1: mean(perClass.map((s) => s.f1)),
  };
}

/**
 * Fraction of correct predictions. Binary: score > 0.5 (> 0 with `fromLogits`) against labels
 * > 0.5. Multiclass: argmax of the scores against class ids or one-hot rows. Multilabel:
 * element-wise over every label (Keras' binary accuracy; scikit-learn's subset accuracy is stricter).
 *
 * @see https://scikit-learn.org/stable/modules/model_evaluation.html#accuracy-score
 */
export function accuracy(yTrue: MetricInput, yPred: MetricInput, options?: ClassificationOptions): number {
  const path = options?.path ?? 'accuracy';
  const t = toMatrix(yTrue, 'yTrue', path);
  const p = toMatrix(yPred, 'yPred', path);
  const task = resolveTask(p, options, 'accuracy', path);
  const fromLogits = options?.fromLogits ?? false;
  let correct = 0;
  let total = 0;
  if (task === 'binary') {
    const b = binaryOf(t, p, fromLogits, path);
    b.truth.forEach((bit, i) => {
      if (((b.score[i] as number) > b.threshold ? 1 : 0) === bit) correct++;
    });
    total = b.truth.length;
  } else if (task === 'multiclass') {
    const { truth, pred } = multiclassOf(t, p, path);
    truth.forEach((id, i) => {
      if (id === pred[i]) correct++;
    });
    total = truth.length;
  } else {
    multilabelCheck(t, p, path);
    const threshold = fromLogits ? 0 : 0.5;
    for (let i = 0; i < p.rows * p.cols; i++) {
      if ((p.data[i] as number) > threshold === (t.data[i] as number) > 0.5) correct++;
    }
    total = p.rows * p.cols;
  }
  return correct / total;
}

/**
 * Precision TP / (TP + FP): of the positive class (binary), macro-averaged over classes
 * (multiclass) or labels (multilabel). 0 when nothing was predicted positive.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.precision_score.html
 */
export function precision(yTrue: MetricInput, yPred: MetricInput, options?: ClassificationOptions): number {
  return prfScores(yTrue, yPred, options, 'precision').precision;
}

/**
 * Recall TP / (TP + FN): of the positive class (binary), macro-averaged over classes
 * (multiclass) or labels (multilabel). 0 when there are no positives.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.recall_score.html
 */
export function recall(yTrue: MetricInput, yPred: MetricInput, options?: ClassificationOptions): number {
  return prfScores(yTrue, yPred, options, 'recall').recall;
}

/**
 * F1, the harmonic mean of precision and recall: of the positive class (binary), or the mean
 * of per-class F1s (multiclass macro, over classes present in labels or predictions; multilabel
 * macro over label columns).
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.f1_score.html
 */
export function f1(yTrue: MetricInput, yPred: MetricInput, options?: ClassificationOptions): number {
  return prfScores(yTrue, yPred, options, 'f1').f1;
}

/**
 * ROC AUC of scores against 0/1 truth by the rank statistic (Mann–Whitney U), tied scores
 * sharing their average rank — the area under the trapezoid ROC curve. NaN when only one
 * class is present (undefined; scikit-learn raises).
 */
function rankAuc(truth: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = truth.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (score[a] as number) - (score[b] as number));
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1] as number] === score[order[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (truth[order[k] as number]) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Area under the ROC curve. Binary: of the scores against 0/1 labels, ties counted half.
 * Multiclass: one-vs-rest macro average over classes with both positives and negatives, on
 * softmax probabilities (taken from logits with `fromLogits`). Multilabel: macro over label
 * columns. NaN when no class has both positives and negatives.
 *
 * @example auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.75
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.roc_auc_score.html
 */
export function auc(yTrue: MetricInput, yPred: MetricInput, options?: ClassificationOptions): number {
  const path = options?.path ?? 'auc';
  const t = toMatrix(yTrue, 'yTrue', path);
  const p = toMatrix(yPred, 'yPred', path);
  const task = resolveTask(p, options, 'auc', path);
  const fromLogits = options?.fromLogits ?? false;
  if (task === 'binary') {
    const b = binaryOf(t, p, fromLogits, path);
    return rankAuc(b.truth, b.score);
  }
  const perClass: number[] = [];
  if (task === 'multiclass') {
    const { truth, classes } = multiclassOf(t, p, path);
    // Rankings across samples differ between logits and probabilities: softmax first.
    const probs = fromLogits ? softmaxRows(p) : p;
    for (let c = 0; c < classes; c++) {
      const bits = Uint8Array.from(truth, (id) => (id === c ? 1 : 0));
      const scores = Float64Array.from({ length: p.rows }, (_, i) => at(probs, i, c));
      const a = rankAuc(bits, scores);
      if (!Number.isNaN(a)) perClass.push(a);
    }
  } else {
    multilabelCheck(t, p, path);
    for (let c = 0; c < p.cols; c++) {
      const bits = Uint8Array.from({ length: p.rows }, (_, i) => (at(t, i, c) > 0.5 ? 1 : 0));
      const scores = Float64Array.from({ length: p.rows }, (_, i) => at(p, i, c));
      const a = rankAuc(bits, scores);
      if (!Number.isNaN(a)) perClass.push(a);
    }
  }
  return mean(perClass);
}

function softmaxRows(m: Matrix): Matrix {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) {
    let max = -Infinity;
    for (let c = 0; c < m.cols; c++) max = Math.max(max, at(m, i, c));
    let sum = 0;
    for (let c = 0; c < m.cols; c++) {
      const e = Math.exp(at(m, i, c) - max);
      out[i * m.cols + c] = e;
      sum += e;
    }
    for (let c = 0; c < m.cols; c++) out[i * m.cols + c] = (out[i * m.cols + c] as number) / sum;
  }
  return { data: out, rows: m.rows, cols: m.cols };
}

/** Points of a ROC curve: at `thresholds[i]`, predicting positive when score ≥ it gives `fpr[i]`, `tpr[i]`. */
export interface RocCurveData {
  fpr: number[];
  tpr: number[];
  /** Decreasing; the first is Infinity (nothing predicted positive), as in scikit-learn ≥ 1.3. */
  thresholds: number[];
}

/**
 * The ROC curve of a binary problem, one point per distinct score (scikit-learn's
 * `roc_curve` with `drop_intermediate=False`), starting at (0, 0). With `fromLogits` the
 * thresholds are given as probabilities (σ of the logit). Rates are NaN when a class is absent.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.roc_curve.html
 */
export function rocCurve(
  yTrue: MetricInput,
  yScore: MetricInput,
  options?: Omit<ClassificationOptions, 'task'>,
): RocCurveData {
  const path = options?.path ?? 'rocCurve';
  const fromLogits = options?.fromLogits ?? false;
  const b = binaryOf(toMatrix(yTrue, 'yTrue', path), toMatrix(yScore, 'yScore', path), fromLogits, path);
  const n = b.truth.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, c) => (b.score[c] as number) - (b.score[a] as number));
  const nPos = b.truth.reduce((s, v) => s + v, 0);
  const nNeg = n - nPos;
  const curve: RocCurveData = { fpr: [0], tpr: [0], thresholds: [Number.POSITIVE_INFINITY] };
  if (nPos === 0) curve.tpr[0] = Number.NaN;
  if (nNeg === 0) curve.fpr[0] = Number.NaN;
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; ) {
    const s = b.score[order[i] as number] as number;
    // Every sample with this score crosses the threshold together.
    while (i < n && b.score[order[i] as number] === s) {
      if (b.truth[order[i] as number]) tp++;
      else fp++;
      i++;
    }
    curve.thresholds.push(fromLogits ? 1 / (1 + Math.exp(-s)) : s);
    curve.tpr.push(nPos === 0 ? Number.NaN : tp / nPos);
    curve.fpr.push(nNeg === 0 ? Number.NaN : fp / nNeg);
  }
  return curve;
}

/**
 * Counts of (true class, predicted class): `matrix[t][p]`, rows true, columns predicted.
 * Labels: class ids or one-hot rows. Predictions: rows of `numClasses` scores (argmax), or one
 * column — with 2 classes a probability (> 0.5, or a logit > 0 with `fromLogits`; 0/1 ids read
 * the same), with more classes the predicted class ids.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.confusion_matrix.html
 */
export function confusionMatrix(
  yTrue: MetricInput,
  yPred: MetricInput,
  numClasses: number,
  options?: Omit<ClassificationOptions, 'task'>,
): number[][] {
  const path = options?.path ?? 'confusionMatrix';
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
    throw new ReactNNError('option', path, `numClasses must be a positive integer (got ${describe(numClasses)})`);
  }
  const t = toMatrix(yTrue, 'yTrue', path);
  const p = toMatrix(yPred, 'yPred', path);
  checkRows(t, p, path);
  const truth = labelIds(t, numClasses, path);
  let pred: Int32Array;
  if (p.cols === numClasses && numClasses > 1) {
    pred = Int32Array.from({ length: p.rows }, (_, i) => argmaxRow(p, i));
  } else if (p.cols === 1 && numClasses === 2) {
    const threshold = options?.fromLogits ? 0 : 0.5;
    pred = Int32Array.from({ length: p.rows }, (_, i) => ((p.data[i] as number) > threshold ? 1 : 0));
  } else if (p.cols === 1) {
    pred = labelIds(p, numClasses, path);
  } else {
    throw new ReactNNError(
      'shape',
      path,
      `the predictions have ${p.cols} columns but numClasses is ${numClasses} — give one score per class, or class ids`,
    );
  }
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  truth.forEach((id, i) => {
    const row = matrix[id] as number[];
    const col = pred[i] as number;
    row[col] = (row[col] as number) + 1;
  });
  return matrix;
}

/**
 * Mean absolute error over every value.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.mean_absolute_error.html
 */
export function mae(yTrue: MetricInput, yPred: MetricInput, options?: { path?: string }): number {
  const [t, p] = regressionPair(yTrue, yPred, options?.path ?? 'mae');
  let sum = 0;
  const size = t.rows * t.cols;
  for (let i = 0; i < size; i++) sum += Math.abs((t.data[i] as number) - (p.data[i] as number));
  return sum / size;
}

/**
 * Coefficient of determination 1 − SS_res/SS_tot, per output column then averaged (scikit-learn's
 * 'uniform_average'). A constant column scores 1 if predicted exactly, else 0 (scikit-learn's
 * force_finite).
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.r2_score.html
 */
export function r2(yTrue: MetricInput, yPred: MetricInput, options?: { path?: string }): number {
  const [t, p] = regressionPair(yTrue, yPred, options?.path ?? 'r2');
  const scores: number[] = [];
  for (let c = 0; c < t.cols; c++) {
    let meanTrue = 0;
    for (let i = 0; i < t.rows; i++) meanTrue += at(t, i, c);
    meanTrue /= t.rows;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < t.rows; i++) {
      ssRes += (at(t, i, c) - at(p, i, c)) ** 2;
      ssTot += (at(t, i, c) - meanTrue) ** 2;
    }
    scores.push(ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot);
  }
  return mean(scores);
}

/** A metric ready to run, with the tasks it applies to. */
export interface ResolvedMetric {
  readonly name: MetricName;
  readonly fn: (yTrue: MetricInput, yPred: MetricInput, options?: ClassificationOptions) => number;
  readonly tasks: readonly Task[];
  /** For early stopping and best-epoch marks: accuracy goes up, mae goes down. */
  readonly higherIsBetter: boolean;
}

const METRICS: Record<MetricName, Omit<ResolvedMetric, 'name'>> = {
  accuracy: { fn: accuracy, tasks: CLASSIFICATION, higherIsBetter: true },
  precision: { fn: precision, tasks: CLASSIFICATION, higherIsBetter: true },
  recall: { fn: recall, tasks: CLASSIFICATION, higherIsBetter: true },
  f1: { fn: f1, tasks: CLASSIFICATION, higherIsBetter: true },
  auc: { fn: auc, tasks: CLASSIFICATION, higherIsBetter: true },
  mae: { fn: (t, p, o) => mae(t, p, o), tasks: TASKS, higherIsBetter: false },
  r2: { fn: (t, p, o) => r2(t, p, o), tasks: TASKS, higherIsBetter: true },
};

/**
 * Looks a metric up by name, throwing a ReactNNError that lists the valid names.
 *
 * @param path prefix for error messages, e.g. `createTrainer > metrics[1]`.
 */
export function resolveMetric(name: string, path = 'resolveMetric'): ResolvedMetric {
  if (typeof name !== 'string' || !(METRIC_NAMES as readonly string[]).includes(name)) {
    const hint =
      name === 'acc'
        ? ' (did you mean "accuracy"?)'
        : name === 'mse'
          ? ' ("mse" is the loss; it is in history.loss)'
          : '';
    throw new ReactNNError(
      'option',
      path,
      `unknown metric ${describe(name)}${hint} — use ${listChoices(METRIC_NAMES)}`,
    );
  }
  const metricName = name as MetricName;
  return { name: metricName, ...METRICS[metricName] };
}

async function read(x: tf.Tensor | MetricInput): Promise<MetricInput> {
  if (typeof x === 'object' && x !== null && 'dataId' in x && typeof (x as tf.Tensor).data === 'function') {
    const t = x as tf.Tensor;
    return { data: (await t.data()) as ArrayLike<number>, shape: t.shape };
  }
  return x as MetricInput;
}

/**
 * Runs several metrics on one set of labels and predictions, reading each tensor once with
 * `await t.data()` (never `dataSync`, which stalls on WebGPU). Tensors are not disposed.
 *
 * @example await computeMetrics(['accuracy', 'f1'], yVal, logits, { task: 'multiclass', fromLogits: true })
 */
export async function computeMetrics(
  names: readonly string[],
  yTrue: tf.Tensor | MetricInput,
  yPred: tf.Tensor | MetricInput,
  options: { task: Task; fromLogits?: boolean },
  path = 'computeMetrics',
): Promise<Record<string, number>> {
  if (!Array.isArray(names))
    throw new ReactNNError('option', path, `metrics must be an array of names (got ${describe(names)})`);
  const task = options?.task;
  if (!(TASKS as readonly string[]).includes(task)) {
    throw new ReactNNError('option', path, `unknown task ${describe(task)} — use ${listChoices(TASKS)}`);
  }
  const metrics = names.map((n, i) => resolveMetric(n, `${path} > metrics[${i}]`));
  for (const m of metrics) {
    if (!m.tasks.includes(task)) {
      throw new ReactNNError(
        'option',
        path,
        `"${m.name}" needs a classification task but the task is "${task}" — remove it, or use "mae" or "r2"`,
      );
    }
  }
  if (metrics.length === 0) return {};
  const [t, p] = await Promise.all([read(yTrue), read(yPred)]);
  const result: Record<string, number> = {};
  for (const m of metrics) result[m.name] = m.fn(t, p, { task, fromLogits: options.fromLogits ?? false, path });
  return result;
}
