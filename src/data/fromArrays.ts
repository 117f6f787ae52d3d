/**
 * fromArrays: a Dataset from plain JavaScript numbers — nested arrays (`number[][]`,
 * images as `number[][][]`), or a flat typed array with its shape. Every value is checked
 * on the host before any tensor exists, so a bad row is named without a device read.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../errors';
import { createTrustedDataset, type Dataset, type Task } from './dataset';
import { TASKS } from './targets';
import { argmaxOneHot, assertBinaryValues, assertFinite, choiceOption, classIds, optionsObject } from './validate';

/** Numbers nested to any depth: `number[]`, `number[][]`, `number[][][]`… */
export type NestedNumbers = readonly (number | NestedNumbers)[];

/** Flat row-major values with their full shape, batch dimension first: `{ data, shape: [n, 28, 28, 1] }`. */
export interface ShapedArray {
  data: ArrayLike<number>;
  shape: readonly number[];
}

/** What fromArrays accepts for x or y. A flat list or typed array is read as one value per row. */
export type ArrayInput = NestedNumbers | Float32Array | Float64Array | Int32Array | Uint8Array | ShapedArray;

/** Options of {@link fromArrays}. */
export interface FromArraysOptions {
  /** Inputs, one entry per example. */
  x: ArrayInput;
  /** Targets, one entry per example: values, class ids, one-hot rows or 0/1 label columns. */
  y: ArrayInput;
  /**
   * What y means. When omitted it is inferred: one column of integers ≥ 0 → class ids
   * ('binary' for two classes, else 'multiclass'); rows of 0/1 with exactly one 1 → one-hot
   * 'multiclass'; other 0/1 rows → 'multilabel'; anything else → 'regression'.
   * Pass `'regression'` for integer-valued targets such as counts.
   */
  task?: Task;
  /** Number of classes; default: largest class id + 1 (at least 2). */
  numClasses?: number;
  /** One name per input feature. */
  featureNames?: readonly string[];
  /** Name of each class id (or label column). */
  classNames?: readonly string[];
}

const PATH = 'fromArrays';

/**
 * Builds a Dataset from plain arrays; x and y must have the same number of rows.
 * @example
 * fromArrays({ x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [0, 1, 1, 0] }) // binary, numClasses 2
 * fromArrays({ x: { data: pixels, shape: [n, 28, 28, 1] }, y: labels, numClasses: 10 })
 * @see Dataset for what the result holds; fromCSV for text input.
 */
export function fromArrays(options: FromArraysOptions): Dataset {
  const o = optionsObject(options, PATH);
  if (o.x === undefined || o.y === undefined) {
    throw new ReactNNError('option', PATH, `expected { x, y } (got ${describe(options)})`);
  }
  const x = toFlat(o.x, 'x');
  const y = toFlat(o.y, 'y');
  const n = x.shape[0] as number;
  if (n === 0) throw new ReactNNError('data', PATH, 'x is empty; a Dataset needs at least one example');
  if (y.shape[0] !== n) {
    throw new ReactNNError('data', PATH, `x has ${n} rows but y has ${y.shape[0]}; give one target per example`);
  }
  if (x.data.length === 0 || y.data.length === 0) {
    throw new ReactNNError(
      'data',
      PATH,
      `the rows of ${x.data.length === 0 ? 'x' : 'y'} are empty; each example needs at least one value`,
    );
  }
  assertFinite(x.data, x.data.length / n, 'x', PATH);
  assertFinite(y.data, y.data.length / n, 'y', PATH);
  const givenTask = choiceOption(o.task, 'task', PATH, TASKS);
  const width = y.data.length / n;
  const task = givenTask ?? inferTask(y.data, width, o.numClasses);
  let labels: Int32Array | undefined;
  let numClasses = o.numClasses;
  if ((task === 'binary' || task === 'multiclass') && width === 1) {
    const r = classIds(y.data, task === 'binary' ? (numClasses ?? 2) : numClasses, PATH);
    labels = r.ids;
    numClasses = r.numClasses;
  } else if ((task === 'binary' || task === 'multiclass') && width > 1) {
    labels = argmaxOneHot(y.data, width, PATH);
  } else if (task === 'multilabel') {
    assertBinaryValues(y.data, width, PATH);
  }
  // Float32Array.from copies, so later edits to the caller's arrays cannot reach the tensors.
  return createTrustedDataset(
    {
      x: tf.tensor(Float32Array.from(x.data), x.shape.length === 1 ? [n, 1] : x.shape, 'float32'),
      y: tf.tensor(Float32Array.from(y.data), y.shape.length === 1 ? [n, 1] : y.shape, 'float32'),
      task,
      ...(numClasses !== undefined && task !== 'regression' ? { numClasses } : {}),
      ...(o.featureNames !== undefined ? { featureNames: o.featureNames } : {}),
      ...(o.classNames !== undefined ? { classNames: o.classNames } : {}),
    },
    labels,
  );
}

/** Guesses the task from the target values; see FromArraysOptions.task. */
function inferTask(values: ArrayLike<number>, width: number, numClasses: number | undefined): Task {
  const allBinary = Array.prototype.every.call(values, (v: number) => v === 0 || v === 1);
  if (width === 1) {
    const ids = Array.prototype.every.call(values, (v: number) => Number.isInteger(v) && v >= 0);
    if (!ids) return 'regression';
    let max = 0;
    for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] as number);
    const k = numClasses ?? Math.max(2, max + 1);
    return k === 2 ? 'binary' : 'multiclass';
  }
  if (!allBinary) return 'regression';
  for (let r = 0; r < values.length / width; r++) {
    let ones = 0;
    for (let c = 0; c < width; c++) ones += values[r * width + c] as number;
    if (ones !== 1) return 'multilabel';
  }
  return 'multiclass';
}

/** Flattens any ArrayInput to row-major numbers plus its shape (batch dimension first). */
function toFlat(input: ArrayInput, name: 'x' | 'y'): { data: ArrayLike<number>; shape: number[] } {
  if (ArrayBuffer.isView(input)) {
    const typed = input as unknown as ArrayLike<number>;
    return { data: typed, shape: [typed.length] };
  }
  if (Array.isArray(input)) return flattenNested(input as NestedNumbers, name);
  if (typeof input === 'object' && input !== null && 'data' in input && 'shape' in input) {
    const { data, shape } = input as ShapedArray;
    const valid = Array.isArray(shape) && shape.length >= 1 && shape.every((d) => Number.isInteger(d) && d >= 0);
    if (!valid) {
      throw new ReactNNError(
        'option',
        PATH,
        `${name}.shape must be a list of sizes such as [n, 2] (got ${describe(shape)})`,
      );
    }
    const count = shape.reduce((a, b) => a * b, 1);
    if (!data || typeof data.length !== 'number' || data.length !== count) {
      throw new ReactNNError(
        'shape',
        PATH,
        `${name}.shape [${shape}] needs ${count} values but ${name}.data has ${data?.length ?? describe(data)}`,
      );
    }
    return { data, shape: [...shape] };
  }
  throw new ReactNNError(
    'option',
    PATH,
    `${name} must be a nested number array, a typed array, or { data, shape } (got ${describe(input)})`,
  );
}

/** Flattens a nested array, requiring every row to have the shape of row 0. */
function flattenNested(rows: NestedNumbers, name: string): { data: number[]; shape: number[] } {
  const data: number[] = [];
  const first = rows.length > 0 ? shapeOf(rows[0], name, 0) : [];
  for (let r = 0; r < rows.length; r++) {
    pushRow(rows[r], first, data, name, r);
  }
  return { data, shape: [rows.length, ...first] };
}

function shapeOf(value: number | NestedNumbers | undefined, name: string, row: number): number[] {
  const shape: number[] = [];
  let v: unknown = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  if (typeof v !== 'number' && shape.every((d) => d > 0)) {
    throw new ReactNNError('data', PATH, `row ${row} of ${name} contains ${describe(v)}, which is not a number`);
  }
  return shape;
}

/** Appends the numbers of one row, checking it against the expected per-row shape. */
function pushRow(value: unknown, shape: readonly number[], out: number[], name: string, row: number): void {
  if (shape.length === 0) {
    if (typeof value !== 'number') {
      throw new ReactNNError('data', PATH, `row ${row} of ${name} contains ${describe(value)}, which is not a number`);
    }
    out.push(value);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[0]) {
    throw new ReactNNError(
      'shape',
      PATH,
      `row ${row} of ${name} has ${Array.isArray(value) ? `shape [${shapeOf(value as NestedNumbers, name, row)}]` : describe(value)} but row 0 has [${shape}]; all rows need the same shape`,
    );
  }
  for (const v of value) pushRow(v, shape.slice(1), out, name, row);
}
