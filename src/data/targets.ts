/**
 * Checks and normalises what a Dataset is built from: the two tensors, and the meaning of
 * the targets (task, number of classes, id or one-hot encoding, class id per row). Kept
 * apart from dataset.ts so the class reads as its operations.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../errors';
import { argmaxOneHot, assertBinaryValues, classIds } from './validate';

/** What the targets mean; the trainer picks default losses and metrics from it. */
export type Task = 'regression' | 'binary' | 'multiclass' | 'multilabel';

/** How `y` encodes its targets: class ids in one column, one-hot rows, or plain values. */
export type TargetFormat = 'ids' | 'oneHot' | 'values';

/** Every task, in the order messages list them. */
export const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass', 'multilabel'];

/** Task hints a Dataset is built with. */
export interface TargetHints {
  task?: Task | undefined;
  numClasses?: number | undefined;
}

/** Throws unless `t` is a live numeric tensor with a batch dimension. */
export function checkTensor(t: unknown, name: 'x' | 'y', path: string): asserts t is tf.Tensor {
  if (!(t instanceof tf.Tensor)) {
    throw new ReactNNError(
      'option',
      path,
      `${name} must be a tf.Tensor (got ${describe(t)}); use fromArrays({ x, y }) to start from plain arrays`,
    );
  }
  if (t.isDisposed) throw new ReactNNError('state', path, `${name} was already disposed; pass a live tensor`);
  if (t.rank === 0)
    throw new ReactNNError('shape', path, `${name} is a scalar; it needs one row per example ([n, ...])`);
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new ReactNNError('data', path, `${name} has dtype ${t.dtype}; convert it to numbers first`);
  }
}

/** At least 2-D and float32; a replaced tensor is disposed (it was handed over). */
export function asMatrix(t: tf.Tensor): tf.Tensor {
  let out = t;
  if (out.rank === 1) out = replace(out, out.reshape([out.shape[0] as number, 1]));
  if (out.dtype !== 'float32') out = replace(out, out.toFloat());
  return out;
}

function replace(old: tf.Tensor, next: tf.Tensor): tf.Tensor {
  old.dispose();
  return next;
}

/** What resolveTargets works out. */
export interface TargetMeta {
  task: Task;
  numClasses: number | undefined;
  format: TargetFormat;
  labels: Int32Array | undefined;
}

/** Works out task, class count, encoding and class ids from y and the init hints. */
export function resolveTargets(
  y: tf.Tensor,
  init: TargetHints,
  known: Int32Array | undefined,
  path: string,
): TargetMeta {
  const { task: givenTask, numClasses: givenK } = init;
  if (givenTask !== undefined && !TASKS.includes(givenTask)) {
    throw new ReactNNError(
      'option',
      path,
      `task must be ${TASKS.map((t) => `'${t}'`).join(', ')} (got ${describe(givenTask)})`,
    );
  }
  if (givenK !== undefined && (!Number.isInteger(givenK) || givenK < 1)) {
    throw new ReactNNError('option', path, `numClasses must be a positive integer (got ${describe(givenK)})`);
  }
  const task: Task = givenTask ?? (givenK === undefined ? 'regression' : givenK === 2 ? 'binary' : 'multiclass');
  const width = y.size / (y.shape[0] as number);
  if (task === 'regression') {
    if (givenK !== undefined) {
      throw new ReactNNError(
        'option',
        path,
        `numClasses (${givenK}) was given for task 'regression'; drop it or set task`,
      );
    }
    return { task, numClasses: undefined, format: 'values', labels: undefined };
  }
  if (y.rank > 2) {
    throw new ReactNNError(
      'shape',
      path,
      `y for task '${task}' must be [n, 1] ids or [n, k] columns (got [${y.shape}])`,
    );
  }
  if (task === 'multilabel') {
    if (givenK !== undefined && givenK !== width) {
      throw new ReactNNError('shape', path, `numClasses is ${givenK} but y has ${width} label columns`);
    }
    if (!known) assertBinaryValues(y.dataSync(), width, path);
    return { task, numClasses: width, format: 'values', labels: undefined };
  }
  if (task === 'binary' && givenK !== undefined && givenK !== 2) {
    throw new ReactNNError('option', path, `task 'binary' has 2 classes, but numClasses is ${givenK}`);
  }
  if (width === 1) {
    const { ids, numClasses } = known
      ? {
          ids: known,
          numClasses: givenK ?? (task === 'binary' ? 2 : Math.max(2, known.reduce((a, b) => Math.max(a, b), 0) + 1)),
        }
      : classIds(y.dataSync(), task === 'binary' ? 2 : givenK, path);
    return { task, numClasses, format: 'ids', labels: ids };
  }
  if (givenK !== undefined && givenK !== width) {
    throw new ReactNNError('shape', path, `numClasses is ${givenK} but one-hot y has ${width} columns`);
  }
  const labels = known ?? argmaxOneHot(y.dataSync(), width, path);
  return { task, numClasses: width, format: 'oneHot', labels };
}

/** Checks a list of `count` names (one per feature, or per class); returns a frozen copy. */
export function checkNames(
  names: readonly string[] | undefined,
  count: number,
  what: 'featureNames' | 'classNames',
  path: string,
): readonly string[] | undefined {
  if (names === undefined) return undefined;
  const per = what === 'featureNames' ? 'input feature' : 'class';
  if (!Array.isArray(names) || names.length !== count || names.some((s) => typeof s !== 'string')) {
    throw new ReactNNError('option', path, `${what} must be ${count} strings, one per ${per} (got ${describe(names)})`);
  }
  return Object.freeze([...names]);
}
