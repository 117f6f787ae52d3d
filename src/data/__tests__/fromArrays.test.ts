import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, fromArrays } from '../index';
import { expectReactNNError, rows, useCpu, values } from './helpers';

const made: Dataset[] = [];
function keep(ds: Dataset): Dataset {
  made.push(ds);
  return ds;
}

beforeAll(useCpu);
afterEach(() => {
  for (const ds of made.splice(0)) ds.dispose();
});

describe('fromArrays', () => {
  it('reads nested rows and integer labels: binary with numClasses 2', () => {
    const ds = keep(
      fromArrays({
        x: [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ],
        y: [0, 1, 1, 0],
      }),
    );
    expect(ds.x.shape).toEqual([4, 2]);
    expect(ds.y.shape).toEqual([4, 1]);
    expect(ds.task).toBe('binary');
    expect(ds.numClasses).toBe(2);
    expect(ds.targetFormat).toBe('ids');
    expect(rows(ds.x)).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
  });

  it('infers numClasses = largest id + 1 for multiclass labels', () => {
    const ds = keep(fromArrays({ x: [[1], [2], [3]], y: [[0], [4], [2]] }));
    expect(ds.task).toBe('multiclass');
    expect(ds.numClasses).toBe(5);
  });

  it('infers regression for real values, one-hot and multi-label from 0/1 rows', () => {
    expect(keep(fromArrays({ x: [1, 2, 3], y: [0.5, 1, 2] })).task).toBe('regression');
    const oh = keep(
      fromArrays({
        x: [1, 2, 3],
        y: [
          [1, 0, 0],
          [0, 0, 1],
          [0, 1, 0],
        ],
      }),
    );
    expect([oh.task, oh.numClasses, oh.targetFormat]).toEqual(['multiclass', 3, 'oneHot']);
    expect(Array.from(oh.classIds() ?? [])).toEqual([0, 2, 1]);
    const ml = keep(
      fromArrays({
        x: [1, 2],
        y: [
          [1, 1, 0],
          [0, 0, 0],
        ],
      }),
    );
    expect([ml.task, ml.numClasses]).toEqual(['multilabel', 3]);
    // An explicit task wins over the guess: integer counts as regression targets.
    const counts = keep(fromArrays({ x: [1, 2, 3], y: [3, 10, 7], task: 'regression' }));
    expect(counts.numClasses).toBeUndefined();
  });

  it('accepts a flat typed array with its shape (images) and typed labels', () => {
    const pixels = Float32Array.from({ length: 3 * 2 * 2 }, (_, i) => i / 12);
    const ds = keep(fromArrays({ x: { data: pixels, shape: [3, 2, 2, 1] }, y: Int32Array.of(2, 0, 1), numClasses: 3 }));
    expect(ds.x.shape).toEqual([3, 2, 2, 1]);
    expect(ds.inputShape).toEqual([2, 2, 1]);
    expect(values(ds.x)).toEqual(Array.from(pixels));
    expect(ds.numClasses).toBe(3);
  });

  it('copies its input: later edits to the arrays do not reach the tensors', () => {
    const x = [[1], [2]];
    const ds = keep(fromArrays({ x, y: [0, 1] }));
    (x[0] as number[])[0] = 99;
    expect(values(ds.x)).toEqual([1, 2]);
  });

  it('names the row with NaN, a ragged row, and a non-number', () => {
    const x = Array.from({ length: 20 }, (_, i) => [i, i]);
    (x[17] as number[])[1] = Number.NaN;
    expectReactNNError(() => fromArrays({ x, y: new Array(20).fill(0) }), {
      path: 'fromArrays',
      code: 'data',
      message: /row 17 of x contains NaN/,
    });
    expectReactNNError(() => fromArrays({ x: [[1, 2], [3]], y: [0, 1] }), {
      path: 'fromArrays',
      code: 'shape',
      message: /row 1 of x has shape \[1\] but row 0 has \[2\]/,
    });
    expectReactNNError(() => fromArrays({ x: [[1], ['a' as unknown as number]], y: [0, 1] }), {
      path: 'fromArrays',
      message: /row 1 of x contains "a", which is not a number/,
    });
    expectReactNNError(() => fromArrays({ x: [[1], [2]], y: [0.5, Number.POSITIVE_INFINITY] }), {
      path: 'fromArrays',
      message: /row 1 of y contains Infinity/,
    });
  });

  it('rejects mismatched lengths, empty data, bad shapes and bad labels', () => {
    expectReactNNError(() => fromArrays({ x: [[1], [2], [3]], y: [0, 1] }), {
      path: 'fromArrays',
      message: /x has 3 rows but y has 2/,
    });
    expectReactNNError(() => fromArrays({ x: [], y: [] }), { path: 'fromArrays', message: /x is empty/ });
    expectReactNNError(() => fromArrays({ x: { data: [1, 2, 3], shape: [2, 2] }, y: [0, 1] }), {
      path: 'fromArrays',
      message: /needs 4 values but x.data has 3/,
    });
    expectReactNNError(() => fromArrays({ x: [1, 2], y: [0, 1.5], task: 'multiclass' }), {
      path: 'fromArrays',
      message: /row 1 of y is 1.5, but class labels must be integers/,
    });
    expectReactNNError(() => fromArrays({ x: [1, 2], y: [0, 3], numClasses: 3 }), {
      path: 'fromArrays',
      message: /row 1 of y has class 3, but numClasses is 3/,
    });
    expectReactNNError(() => fromArrays({ x: [1], y: [0], task: 'ranking' as never }), {
      path: 'fromArrays',
      message: /task must be/,
    });
  });

  it('leaves no tensors behind after dispose or a failed call', () => {
    const before = tf.memory().numTensors;
    fromArrays({ x: [[1, 2]], y: [1] }).dispose();
    expect(() => fromArrays({ x: [[1, 2]], y: [[1, 1]], task: 'multiclass' })).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
