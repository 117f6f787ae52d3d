/**
 * The inputs of the metric functions, read and checked: arrays, nested rows or `{ data, shape }`
 * into one row-major matrix; the classification task from the options or the shapes; labels and
 * predictions as a binary, multiclass or multi-label problem — each shape mismatch a ReactNNError.
 */
import { TASKS, type Task } from '../data/targets';
import { describe, listChoices, ReactNNError } from '../errors';

/** The classification tasks. */
export type ClassificationTask = Exclude<Task, 'regression'>;

export const CLASSIFICATION: readonly ClassificationTask[] = ['binary', 'multiclass', 'multilabel'];

/** Numbers with their shape, as `await t.data()` and `t.shape` give them. */
export interface MetricArray {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** Labels or predictions: one value per sample (`[n]`), rows (`[n][k]`), or `{ data, shape }`. */
export type MetricInput = ArrayLike<number> | readonly (readonly number[])[] | MetricArray;

/**
 * How to read classification predictions. `task` defaults from the shapes: one prediction
 * column → binary, several → multiclass (pass `'multilabel'` for several independent labels).
 * `fromLogits`: the model outputs logits (no Sigmoid/Softmax), so the binary threshold is 0
 * instead of 0.5. `path` prefixes error messages.
 */
export interface ClassificationOptions {
  task?: Task;
  fromLogits?: boolean;
  path?: string;
}

/** Rows × columns of numbers, row-major. */
export interface Matrix {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

export function isMetricArray(x: unknown): x is MetricArray {
  return typeof x === 'object' && x !== null && 'data' in x && 'shape' in x;
}

export function toMatrix(x: MetricInput, what: string, path: string): Matrix {
  let m: Matrix | undefined;
  if (isMetricArray(x)) {
    const shape = x.shape;
    const size = shape.reduce((a, b) => a * b, 1);
    if (x.data.length !== size) {
      throw new ReactNNError(
        'data',
        path,
        `${what} has ${x.data.length} values but its shape [${shape.join(', ')}] needs ${size}`,
      );
    }
    const rows = shape.length === 0 ? 1 : (shape[0] as number);
    m = { data: x.data, rows, cols: rows === 0 ? 1 : size / rows };
  } else if (Array.isArray(x) && x.length > 0 && Array.isArray(x[0])) {
    const rowsIn = x as readonly (readonly number[])[];
    const cols = rowsIn[0]?.length ?? 0;
    const data = new Float64Array(rowsIn.length * cols);
    rowsIn.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== cols) {
        throw new ReactNNError(
          'data',
          path,
          `${what}: row ${i} has ${describe(row)} but row 0 has ${cols} values — rows must be equally long`,
        );
      }
      data.set(row, i * cols);
    });
    m = { data, rows: rowsIn.length, cols };
  } else if (
    (Array.isArray(x) || ArrayBuffer.isView(x)) &&
    Array.prototype.every.call(x, (v: unknown) => typeof v === 'number')
  ) {
    const flat = x as ArrayLike<number>;
    m = { data: flat, rows: flat.length, cols: 1 };
  }
  if (!m) {
    throw new ReactNNError(
      'data',
      path,
      `${what} must be an array of numbers, an array of rows, or { data, shape } (got ${describe(x)}) — for tensors use computeMetrics`,
    );
  }
  if (m.rows === 0) throw new ReactNNError('data', path, `${what} is empty — metrics need at least one sample`);
  return m;
}

export function at(m: Matrix, row: number, col: number): number {
  return m.data[row * m.cols + col] as number;
}

export function checkRows(yTrue: Matrix, yPred: Matrix, path: string): void {
  if (yTrue.rows !== yPred.rows) {
    throw new ReactNNError('shape', path, `the labels have ${yTrue.rows} samples but the predictions ${yPred.rows}`);
  }
}

export function argmaxRow(m: Matrix, row: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let c = 0; c < m.cols; c++) {
    const v = at(m, row, c);
    if (v > bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return best;
}

/** Class ids from labels: one id per row, or the argmax of one-hot rows of `classes` columns. */
export function labelIds(yTrue: Matrix, classes: number, path: string): Int32Array {
  const ids = new Int32Array(yTrue.rows);
  if (yTrue.cols === classes && classes > 1) {
    for (let i = 0; i < yTrue.rows; i++) ids[i] = argmaxRow(yTrue, i);
    return ids;
  }
  if (yTrue.cols !== 1) {
    throw new ReactNNError(
      'shape',
      path,
      `the labels have ${yTrue.cols} columns but there are ${classes} classes — give class ids ([n]) or one-hot rows of ${classes}`,
    );
  }
  for (let i = 0; i < yTrue.rows; i++) {
    const v = yTrue.data[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new ReactNNError(
        'data',
        path,
        `label ${i} is ${v}, not a class id in 0..${classes - 1} — with ${classes} classes the model needs ${classes} outputs`,
      );
    }
    ids[i] = v;
  }
  return ids;
}

export function resolveTask(
  yPred: Matrix,
  options: ClassificationOptions | undefined,
  name: string,
  path: string,
): ClassificationTask {
  const task = options?.task ?? (yPred.cols === 1 ? 'binary' : 'multiclass');
  if (!(TASKS as readonly string[]).includes(task)) {
    throw new ReactNNError('option', path, `unknown task ${describe(task)} — use ${listChoices(TASKS)}`);
  }
  if (task === 'regression') {
    throw new ReactNNError(
      'option',
      path,
      `${name} is a classification metric but the task is "regression" — use "mae" or "r2" for regression`,
    );
  }
  return task;
}

/**
 * A binary problem as truth bits and one score per sample, positive when score > threshold.
 * Two prediction columns (a 2-class softmax) score the positive class: its probability, or
 * with logits the margin x₁ − x₀ (σ(x₁ − x₀) is that probability).
 */
export interface Binary {
  truth: Uint8Array;
  score: Float64Array;
  threshold: number;
}

export function binaryOf(yTrue: Matrix, yPred: Matrix, fromLogits: boolean, path: string): Binary {
  checkRows(yTrue, yPred, path);
  if (yPred.cols > 2) {
    throw new ReactNNError(
      'shape',
      path,
      `binary metrics need one score per sample (or two class scores) but the predictions have ${yPred.cols} columns — use task "multiclass" or "multilabel"`,
    );
  }
  if (yTrue.cols > 2) {
    throw new ReactNNError(
      'shape',
      path,
      `binary labels need one column of 0/1 (or two one-hot columns), got ${yTrue.cols} columns`,
    );
  }
  const n = yTrue.rows;
  const truth = new Uint8Array(n);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    truth[i] = (yTrue.cols === 2 ? at(yTrue, i, 1) > at(yTrue, i, 0) : at(yTrue, i, 0) > 0.5) ? 1 : 0;
    score[i] = yPred.cols === 2 ? (fromLogits ? at(yPred, i, 1) - at(yPred, i, 0) : at(yPred, i, 1)) : at(yPred, i, 0);
  }
  return { truth, score, threshold: fromLogits ? 0 : 0.5 };
}

/** Multi-class ids: truth from ids or one-hot rows, prediction the argmax of the scores. */
export function multiclassOf(
  yTrue: Matrix,
  yPred: Matrix,
  path: string,
): { truth: Int32Array; pred: Int32Array; classes: number } {
  checkRows(yTrue, yPred, path);
  const classes = yPred.cols;
  if (classes < 2) {
    throw new ReactNNError(
      'shape',
      path,
      'multiclass metrics need one score per class, but the predictions have 1 column — use task "binary"',
    );
  }
  const truth = labelIds(yTrue, classes, path);
  const pred = new Int32Array(yPred.rows);
  for (let i = 0; i < yPred.rows; i++) pred[i] = argmaxRow(yPred, i);
  return { truth, pred, classes };
}

export function multilabelCheck(yTrue: Matrix, yPred: Matrix, path: string): void {
  checkRows(yTrue, yPred, path);
  if (yTrue.cols !== yPred.cols) {
    throw new ReactNNError(
      'shape',
      path,
      `multi-label labels have ${yTrue.cols} columns but the predictions ${yPred.cols} — one column per label`,
    );
  }
}

export function regressionPair(yTrue: MetricInput, yPred: MetricInput, path: string): [Matrix, Matrix] {
  const t = toMatrix(yTrue, 'yTrue', path);
  const p = toMatrix(yPred, 'yPred', path);
  if (t.rows !== p.rows || t.cols !== p.cols) {
    throw new ReactNNError(
      'shape',
      path,
      `labels are ${t.rows}×${t.cols} but predictions ${p.rows}×${p.cols} — they must match value for value`,
    );
  }
  return [t, p];
}
