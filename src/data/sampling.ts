/**
 * Row-index arithmetic for splits, stratified samples and batch orders. Pure JavaScript on
 * index arrays, so a split or an epoch order is the same on every backend, and the tensors
 * are touched once (one gather) after the indices are known.
 */
import { createRng, deriveSeed, epochOrder, permutation } from '../random';

/**
 * Splits `total` among groups in proportion to `counts` by largest remainder, so the parts
 * add up to `total` exactly and each is within one of its exact share. Ties go to the
 * lower group index, which keeps the result independent of any random stream.
 */
export function proportionalCounts(counts: readonly number[], total: number): number[] {
  const sum = counts.reduce((a, b) => a + b, 0);
  if (sum === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    if ((out[i] as number) < (counts[i] as number)) {
      out[i] = (out[i] as number) + 1;
      left--;
    }
  }
  return out;
}

/** Counts rows per class id. */
export function countClasses(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i] as number] = (counts[labels[i] as number] as number) + 1;
  return counts;
}

/** The rows of each part of a split, as indices into the source. */
export interface SplitIndices {
  first: Int32Array;
  second: Int32Array;
}

/**
 * Picks `secondSize` rows for the second part and leaves the rest in the first.
 *
 * - `shuffle: false`: the last `secondSize` rows form the second part (Keras' validationSplit),
 *   so ordered data such as a time series is cut, not sampled.
 * - with `labels`, every class keeps its share (largest remainder, see proportionalCounts):
 *   rows are visited in one seeded random order and each goes to the second part while its
 *   class quota lasts, so both parts come out shuffled.
 * - otherwise the first `secondSize` rows of a seeded permutation form the second part.
 */
export function splitIndices(
  n: number,
  secondSize: number,
  options: { seed: number; shuffle: boolean; labels?: ArrayLike<number> | undefined; numClasses?: number | undefined },
): SplitIndices {
  if (!options.shuffle) {
    const first = new Int32Array(n - secondSize);
    const second = new Int32Array(secondSize);
    for (let i = 0; i < first.length; i++) first[i] = i;
    for (let i = 0; i < secondSize; i++) second[i] = n - secondSize + i;
    return { first, second };
  }
  const perm = permutation(n, createRng(deriveSeed(options.seed, 'split')));
  const { labels, numClasses } = options;
  if (labels === undefined || numClasses === undefined) {
    return { first: perm.slice(secondSize), second: perm.slice(0, secondSize) };
  }
  const quota = proportionalCounts(countClasses(labels, numClasses), secondSize);
  const first = new Int32Array(n - secondSize);
  const second = new Int32Array(secondSize);
  let a = 0;
  let b = 0;
  for (const i of perm) {
    const c = labels[i] as number;
    if ((quota[c] as number) > 0) {
      quota[c] = (quota[c] as number) - 1;
      second[b++] = i;
    } else {
      first[a++] = i;
    }
  }
  return { first, second };
}

/** The row order of one epoch (written once, in random.ts, where the fused-cpu Worker reads it too). */
export { epochOrder };

/** Evenly spaced numbers from `start` to `stop` inclusive, as numpy.linspace (num = 1 gives [start]). */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  // numpy sets the last point to `stop` exactly; repeat that so endpoints compare equal.
  out[num - 1] = stop;
  return out;
}
