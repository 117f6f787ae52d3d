/**
 * Synthetic data sets for teaching: the scikit-learn toy generators, the course's spiral and
 * house prices, XOR and a small multi-label set. Every draw comes from the seeded RNG of
 * random.ts (default seed 0), so a call gives the same numbers on every machine and backend;
 * each generator hashes its own name into the seed, so moons and circles with seed 1 are
 * independent streams.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../errors';
import { createRng, deriveSeed, permutation, type Rng, randn } from '../random';
import { createTrustedDataset, type Dataset, type Task } from './dataset';
import { linspace } from './sampling';
import { integerOption, nonNegativeOption, optionsObject, seedOption } from './validate';

/** Options of {@link moons}. */
export interface MoonsOptions {
  /** Number of points; ⌊n/2⌋ on the outer moon (label 0), the rest on the inner (label 1). Default 1000. */
  n?: number;
  /** Standard deviation of the gaussian noise added to both coordinates. Default 0.3. */
  noise?: number;
  /** Default 0. */
  seed?: number;
}

/** Options of {@link circles}. */
export interface CirclesOptions {
  /** Number of points; ⌊n/2⌋ on the outer circle (label 0), the rest on the inner (label 1). Default 1000. */
  n?: number;
  /** Standard deviation of the gaussian noise. Default 0.05. */
  noise?: number;
  /** Inner radius relative to the outer one, in [0, 1). Default 0.8 (as scikit-learn). */
  factor?: number;
  /** Default 0. */
  seed?: number;
}

/** Options of {@link xor}. */
export interface XorOptions {
  /** Number of points. Default 1000. */
  n?: number;
  /** Standard deviation of gaussian noise added to the points after labelling. Default 0. */
  noise?: number;
  /** Default 0. */
  seed?: number;
}

/** Options of {@link gaussians}. */
export interface GaussiansOptions {
  /** Number of points, shared evenly among the centres (the first n mod k get one more). Default 1000. */
  n?: number;
  /** Number of random centres (uniform in `box`), or the centres themselves. Default 3. */
  centers?: number | readonly (readonly number[])[];
  /** Standard deviation of each cluster: one number, or one per centre. Default 1. */
  std?: number | readonly number[];
  /** Dimensions of random centres. Default 2. Ignored when `centers` lists points. */
  dims?: number;
  /** Range of random centre coordinates. Default [-10, 10] (scikit-learn's center_box). */
  box?: readonly [number, number];
  /** Default 0. */
  seed?: number;
}

/** Options of {@link spiral}. */
export interface SpiralOptions {
  /** Points per arm. Default 1000. */
  pointsPerClass?: number;
  /** Number of arms (classes), ≥ 2. Default 3. */
  classes?: number;
  /** Standard deviation of the noise on the angle (radians). Default 0.2. */
  noise?: number;
  /** Default 0. */
  seed?: number;
}

/** Options of {@link multiLabel}. */
export interface MultiLabelOptions {
  /** Number of points. Default 1000. */
  n?: number;
  /** Standard deviation of gaussian noise added to the points after labelling. Default 0. */
  noise?: number;
  /** Default 0. */
  seed?: number;
}

/**
 * Two interleaving half circles, as scikit-learn's `make_moons`: the outer moon is
 * (cos t, sin t) and the inner (1 − cos t, 0.5 − sin t) for t = linspace(0, π, ·); rows are
 * shuffled, then N(0, noise²) is added to every coordinate. x [n, 2], y class ids [n, 1], 'binary'.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.datasets.make_moons.html
 */
export function moons(options?: MoonsOptions): Dataset {
  const path = 'datasets.moons';
  const o = optionsObject(options, path);
  const n = integerOption(o.n, 'n', path, 1000, 2);
  const noise = nonNegativeOption(o.noise, 'noise', path, 0.3);
  const rng = createRng(deriveSeed(seedOption(o.seed, path), 'moons'));
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const points = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  const tOut = linspace(0, Math.PI, nOut);
  const tIn = linspace(0, Math.PI, nIn);
  for (let i = 0; i < nOut; i++) {
    points[2 * i] = Math.cos(tOut[i] as number);
    points[2 * i + 1] = Math.sin(tOut[i] as number);
  }
  for (let i = 0; i < nIn; i++) {
    const r = nOut + i;
    points[2 * r] = 1 - Math.cos(tIn[i] as number);
    points[2 * r + 1] = 1 - Math.sin(tIn[i] as number) - 0.5;
    labels[r] = 1;
  }
  return build(shuffleAndJitter(points, labels, 2, noise, rng), 2, 'binary');
}

/**
 * A large circle containing a smaller one, as scikit-learn's `make_circles`: ⌊n/2⌋ points
 * at angles linspace(0, 2π, ·, endpoint=False) on the unit circle (label 0), the rest on
 * the circle of radius `factor` (label 1); shuffled, then gaussian noise. 'binary'.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.datasets.make_circles.html
 */
export function circles(options?: CirclesOptions): Dataset {
  const path = 'datasets.circles';
  const o = optionsObject(options, path);
  const n = integerOption(o.n, 'n', path, 1000, 2);
  const noise = nonNegativeOption(o.noise, 'noise', path, 0.05);
  const factor = nonNegativeOption(o.factor, 'factor', path, 0.8);
  if (factor >= 1) {
    throw new ReactNNError(
      'option',
      path,
      `factor must be in [0, 1), the inner radius relative to the outer (got ${factor})`,
    );
  }
  const rng = createRng(deriveSeed(seedOption(o.seed, path), 'circles'));
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const points = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = (2 * Math.PI * i) / nOut;
    points[2 * i] = Math.cos(t);
    points[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = (2 * Math.PI * i) / nIn;
    const r = nOut + i;
    points[2 * r] = factor * Math.cos(t);
    points[2 * r + 1] = factor * Math.sin(t);
    labels[r] = 1;
  }
  return build(shuffleAndJitter(points, labels, 2, noise, rng), 2, 'binary');
}

/**
 * XOR: points uniform in [-1, 1]², label 1 when exactly one coordinate is positive
 * (x·y < 0, the XOR of the two sign bits) and 0 otherwise. Labels come from the clean
 * point; `noise` then moves the stored point, blurring the boundary. 'binary'.
 */
export function xor(options?: XorOptions): Dataset {
  const path = 'datasets.xor';
  const o = optionsObject(options, path);
  const n = integerOption(o.n, 'n', path, 1000);
  const noise = nonNegativeOption(o.noise, 'noise', path, 0);
  const rng = createRng(deriveSeed(seedOption(o.seed, path), 'xor'));
  const points = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = 2 * rng() - 1;
    const b = 2 * rng() - 1;
    labels[i] = a * b < 0 ? 1 : 0;
    points[2 * i] = a + (noise > 0 ? noise * randn(rng) : 0);
    points[2 * i + 1] = b + (noise > 0 ? noise * randn(rng) : 0);
  }
  return build({ points, labels }, 2, 'binary');
}

/**
 * Isotropic gaussian blobs, as scikit-learn's `make_blobs`: class k is drawn from
 * N(center_k, std_k² I); random centres are uniform in `box`. Rows are shuffled.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.datasets.make_blobs.html
 */
export function gaussians(options?: GaussiansOptions): Dataset {
  const path = 'datasets.gaussians';
  const o = optionsObject(options, path);
  const n = integerOption(o.n, 'n', path, 1000);
  const rng = createRng(deriveSeed(seedOption(o.seed, path), 'gaussians'));
  const centers = resolveCenters(o, rng, path);
  const k = centers.length;
  const dims = (centers[0] as readonly number[]).length;
  const stds = resolveStds(o.std, k, path);
  const points = new Float64Array(n * dims);
  const labels = new Int32Array(n);
  let row = 0;
  for (let c = 0; c < k; c++) {
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    for (let i = 0; i < count; i++, row++) {
      labels[row] = c;
      for (let d = 0; d < dims; d++) {
        points[row * dims + d] = ((centers[c] as readonly number[])[d] as number) + (stds[c] as number) * randn(rng);
      }
    }
  }
  return build(shuffleAndJitter(points, labels, dims, 0, rng), k, k === 2 ? 'binary' : 'multiclass');
}

/** The course's house-price example: 12 points, x = 30, 40, …, 140 (x [12, 1]) and y [12, 1]; 'regression'. */
export function housePrices(): Dataset {
  const x = Float32Array.from({ length: 12 }, (_, i) => 30 + 10 * i);
  const y = Float32Array.of(7.5, 7, 6.5, 6.0, 5.5, 5.0, 4.5, 3.5, 3.2, 2.8, 3.0, 2.5);
  return createTrustedDataset({ x: tf.tensor2d(x, [12, 1]), y: tf.tensor2d(y, [12, 1]), task: 'regression' });
}

/**
 * The course's spiral (CS231n): for class c of C, radius r = linspace(0, 1, N) and angle
 * t = linspace(2πc/C, 2π(c+2)/C, N) + noise·N(0, 1); point = r·(sin t, cos t). Rows are
 * ordered by class (row c·N + i is point i of arm c), as in the course; split and batches
 * shuffle. The noise moves points along their circle only: the radius stays exact.
 * @see https://cs231n.github.io/neural-networks-case-study/
 */
export function spiral(options?: SpiralOptions): Dataset {
  const path = 'datasets.spiral';
  const o = optionsObject(options, path);
  const perClass = integerOption(o.pointsPerClass, 'pointsPerClass', path, 1000);
  const classes = integerOption(o.classes, 'classes', path, 3, 2);
  const noise = nonNegativeOption(o.noise, 'noise', path, 0.2);
  const rng = createRng(deriveSeed(seedOption(o.seed, path), 'spiral'));
  const n = perClass * classes;
  const points = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  const radius = linspace(0, 1, perClass);
  for (let c = 0; c < classes; c++) {
    const angle = linspace((2 * Math.PI * c) / classes, (2 * Math.PI * (c + 2)) / classes, perClass);
    for (let i = 0; i < perClass; i++) {
      const row = c * perClass + i;
      const r = radius[i] as number;
      const t = (angle[i] as number) + noise * randn(rng);
      points[2 * row] = r * Math.sin(t);
      points[2 * row + 1] = r * Math.cos(t);
      labels[row] = c;
    }
  }
  return build({ points, labels }, classes, classes === 2 ? 'binary' : 'multiclass');
}

/** Label columns of {@link multiLabel}, in order. */
export const MULTI_LABEL_NAMES: readonly string[] = /* @__PURE__ */ Object.freeze(['x > 0', 'y > 0', '|x| + |y| < 1']);

/**
 * A small multi-label set: points uniform in [-1, 1]² with three independent 0/1 labels,
 * `x > 0`, `y > 0` and `|x| + |y| < 1` (inside the diamond), computed from the clean
 * point before `noise` moves it. x [n, 2], y [n, 3], 'multilabel', classNames as above.
 */
export function multiLabel(options?: MultiLabelOptions): Dataset {
  const path = 'datasets.multiLabel';
  const o = optionsObject(options, path);
  const n = integerOption(o.n, 'n', path, 1000);
  const noise = nonNegativeOption(o.noise, 'noise', path, 0);
  const rng = createRng(deriveSeed(seedOption(o.seed, path), 'multiLabel'));
  const x = new Float32Array(2 * n);
  const y = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = 2 * rng() - 1;
    const b = 2 * rng() - 1;
    y[3 * i] = a > 0 ? 1 : 0;
    y[3 * i + 1] = b > 0 ? 1 : 0;
    y[3 * i + 2] = Math.abs(a) + Math.abs(b) < 1 ? 1 : 0;
    x[2 * i] = a + (noise > 0 ? noise * randn(rng) : 0);
    x[2 * i + 1] = b + (noise > 0 ? noise * randn(rng) : 0);
  }
  return createTrustedDataset({
    x: tf.tensor2d(x, [n, 2]),
    y: tf.tensor2d(y, [n, 3]),
    task: 'multilabel',
    classNames: MULTI_LABEL_NAMES,
  });
}

/** Shuffles rows (points with their labels) in one seeded permutation, then adds N(0, noise²). */
function shuffleAndJitter(
  points: Float64Array,
  labels: Int32Array,
  dims: number,
  noise: number,
  rng: Rng,
): { points: Float64Array; labels: Int32Array } {
  const n = labels.length;
  const perm = permutation(n, rng);
  const outPoints = new Float64Array(points.length);
  const outLabels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const src = perm[i] as number;
    outLabels[i] = labels[src] as number;
    for (let d = 0; d < dims; d++) outPoints[i * dims + d] = points[src * dims + d] as number;
  }
  if (noise > 0)
    for (let i = 0; i < outPoints.length; i++) outPoints[i] = (outPoints[i] as number) + noise * randn(rng);
  return { points: outPoints, labels: outLabels };
}

function build(data: { points: Float64Array; labels: Int32Array }, numClasses: number, task: Task): Dataset {
  const n = data.labels.length;
  const dims = data.points.length / n;
  return createTrustedDataset(
    {
      x: tf.tensor2d(Float32Array.from(data.points), [n, dims]),
      y: tf.tensor2d(Float32Array.from(data.labels), [n, 1]),
      task,
      numClasses,
    },
    data.labels,
  );
}

function resolveCenters(o: Partial<GaussiansOptions>, rng: Rng, path: string): readonly (readonly number[])[] {
  const centers = o.centers ?? 3;
  if (typeof centers === 'number') {
    const k = integerOption(centers, 'centers', path, 3, 2);
    const dims = integerOption(o.dims, 'dims', path, 2);
    const box = o.box ?? [-10, 10];
    if (!Array.isArray(box) || box.length !== 2 || !box.every(Number.isFinite) || !(box[0] < box[1])) {
      throw new ReactNNError('option', path, `box must be [low, high] with low < high (got ${describe(box)})`);
    }
    const [lo, hi] = box;
    return Array.from({ length: k }, () => Array.from({ length: dims }, () => lo + (hi - lo) * rng()));
  }
  const valid =
    Array.isArray(centers) &&
    centers.length >= 2 &&
    centers.every(
      (c) =>
        Array.isArray(c) &&
        c.length > 0 &&
        c.length === (centers[0] as readonly number[]).length &&
        c.every(Number.isFinite),
    );
  if (!valid) {
    throw new ReactNNError(
      'option',
      path,
      `centers must be a count ≥ 2 or a list of ≥ 2 points of equal length, e.g. [[0, 0], [3, 3]] (got ${describe(centers)})`,
    );
  }
  return centers;
}

function resolveStds(std: GaussiansOptions['std'], k: number, path: string): number[] {
  if (std === undefined) return new Array<number>(k).fill(1);
  if (typeof std === 'number') return new Array<number>(k).fill(nonNegativeOption(std, 'std', path, 1));
  if (!Array.isArray(std) || std.length !== k || !std.every((s) => Number.isFinite(s) && s >= 0)) {
    throw new ReactNNError(
      'option',
      path,
      `std must be a number ≥ 0 or ${k} of them, one per centre (got ${describe(std)})`,
    );
  }
  return [...std];
}
