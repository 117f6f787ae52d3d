// The stories' real MNIST digits: 500 images (50 of each digit) extracted from the `mnist` package
// by extract-mnist-sample.mjs (see README.md), so a story needs 0.5 MB instead of 21 MB.

import { type Dataset, fromArrays } from 'react-nn';
import sample from './mnist-sample.json';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

let decoded: Float32Array | undefined;

/** Every pixel of the sample in [0, 1], row-major, decoded once. */
function pixels(): Float32Array {
  if (!decoded) {
    const bytes = atob(sample.pixels);
    decoded = new Float32Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) decoded[i] = bytes.charCodeAt(i) / 255;
  }
  return decoded;
}

/** Number of digits in the sample. */
export const MNIST_SAMPLE_SIZE = sample.count;

/** The digit (label) of row `index`. */
export function mnistLabel(index: number): number {
  return Number(sample.labels[index]);
}

/** Row `index` as a 28×28×1 image (HWC), the form `FilterGrid`'s `input` takes. */
export function mnistImage(index: number): number[][][] {
  const all = pixels();
  return Array.from({ length: SIDE }, (_, r) =>
    Array.from({ length: SIDE }, (_, c) => [all[index * PIXELS + r * SIDE + c] as number]),
  );
}

/**
 * The first `limit` rows as a Dataset: x `[n, 28, 28, 1]` in [0, 1], y digit ids, 10 classes.
 * Rows cycle through the digits 0–9, so a prefix of 10·k rows has k of each.
 */
export function mnistSample(limit = MNIST_SAMPLE_SIZE): Dataset {
  const n = Math.min(limit, MNIST_SAMPLE_SIZE);
  return fromArrays({
    x: { data: pixels().subarray(0, n * PIXELS), shape: [n, SIDE, SIDE, 1] },
    y: Array.from({ length: n }, (_, i) => mnistLabel(i)),
    task: 'multiclass',
    numClasses: 10,
    classNames: CLASS_NAMES,
  });
}
