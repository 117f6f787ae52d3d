/**
 * Dataset: inputs and targets as float32 tensors it owns, plus what the trainer needs to
 * know about them (task, number of classes). Splits, subsets, batches and normalised copies
 * are new Datasets or tensors with their own lifetimes; nothing here ever disposes a tensor
 * it did not create or was not handed.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../errors';
import { fitNormalizer, type Normalizer } from './normalize';
import { epochOrder, splitIndices } from './sampling';
import { asMatrix, checkNames, checkTensor, resolveTargets, type TargetFormat, type Task } from './targets';
import { assertFinite, booleanOption, fractionOption, integerOption, optionsObject, seedOption } from './validate';

export type { TargetFormat, Task } from './targets';

/** Everything a Dataset is made from. The tensors are handed over: the Dataset disposes them. */
export interface DatasetInit {
  /** Inputs `[n, ...inputShape]`; a 1-D tensor is read as one feature per row. */
  x: tf.Tensor;
  /**
   * Targets: regression values `[n, outputs]`; class ids `[n]` or `[n, 1]`; one-hot
   * `[n, numClasses]`; multi-label 0/1 columns `[n, labels]`. 1-D becomes `[n, 1]`.
   */
  y: tf.Tensor;
  /** Default: `'regression'`, or `'binary'`/`'multiclass'` when `numClasses` is given. */
  task?: Task;
  /** Number of classes (class ids lie in 0..numClasses-1). Inferred from ids when the task is a classification. */
  numClasses?: number;
  /** One name per input feature (flattened), e.g. CSV column names. */
  featureNames?: readonly string[];
  /** Name of each class id, or of each label column for multi-label data. */
  classNames?: readonly string[];
}

/** One mini-batch. The caller owns `x` and `y` and must dispose them. */
export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
  /** Which rows of the Dataset this batch holds, in batch order. */
  indices: Int32Array;
}

/** Options of {@link Dataset.batches}. */
export interface BatchOptions {
  /** Seed of the shuffle. Default 0. */
  seed?: number;
  /** Epoch number; with the seed it fixes the row order. Default 0. */
  epoch?: number;
  /** Default true; false yields rows in stored order. */
  shuffle?: boolean;
}

/** Options of {@link Dataset.split}. */
export interface SplitOptions {
  /** Seed of the row sampling. Default 0. */
  seed?: number;
  /** Keep each class's share in both parts. Default: true for class-id/one-hot data, else false. */
  stratify?: boolean;
  /** Default true; false takes the last rows as the second part (for ordered data). */
  shuffle?: boolean;
}

/** Rows as plain arrays, each row flattened (for charts and tables). */
export interface DatasetArrays {
  x: number[][];
  y: number[][];
  /** Class id per row, for classification data. */
  labels?: number[];
}

// Marks an init coming from this module's own factories: values already checked, class ids
// already known. A symbol, so it is not part of the public DatasetInit type.
const TRUSTED = Symbol('react-nn.trustedDataset');
interface Trusted {
  labels?: Int32Array | undefined;
}

/**
 * Makes a Dataset from checked values without reading the tensors back (used by fromArrays,
 * the generators, CSV and MNIST loaders, and Dataset's own derived copies).
 * @internal
 */
export function createTrustedDataset(init: DatasetInit, labels?: Int32Array): Dataset {
  try {
    return new Dataset({ ...init, [TRUSTED]: { labels } } as DatasetInit);
  } catch (e) {
    // The tensors were made for this Dataset alone: free them rather than leak them.
    tf.dispose([init.x, init.y]);
    throw e;
  }
}

/**
 * Inputs `x` and targets `y` as float32 tensors owned by this object, with a task hint.
 * Classification targets are stored as integer class ids in a `[n, 1]` column plus
 * `numClasses`; {@link Dataset.oneHot} gives the `[n, numClasses]` form.
 *
 * @example
 * const ds = datasets.moons({ n: 500, seed: 1 });
 * const { train, val } = ds.split(0.2, { seed: 1 });
 * const norm = train.standardize();          // fit on train only
 * const trainN = norm.apply(train), valN = norm.apply(val);
 * for (const b of trainN.batches(32, { seed: 1, epoch: 0 })) { ...; b.x.dispose(); b.y.dispose(); }
 * [ds, train, val, trainN, valN].forEach((d) => d.dispose());
 * @see fromArrays, fromCSV and datasets, which build Datasets from arrays, text and generators.
 */
export class Dataset {
  #x: tf.Tensor | null;
  #y: tf.Tensor | null;
  #labels: Int32Array | undefined;
  /** Number of rows (examples). */
  readonly size: number;
  /** Shape of one input row, without the batch dimension: `[2]`, `[28, 28, 1]`. */
  readonly inputShape: readonly number[];
  /** Shape of one target row: `[1]` for class ids or a single output, `[k]` otherwise. */
  readonly targetShape: readonly number[];
  /** What the targets mean; see {@link Task}. */
  readonly task: Task;
  /** Classes (binary/multiclass) or label columns (multilabel); undefined for regression. */
  readonly numClasses: number | undefined;
  /** `'ids'` (class ids `[n, 1]`), `'oneHot'` (`[n, numClasses]`) or `'values'` (regression, multi-label). */
  readonly targetFormat: TargetFormat;
  /** One name per input feature (flattened), e.g. CSV columns; undefined when unknown. */
  readonly featureNames: readonly string[] | undefined;
  /** `classNames[id]` names class `id` (or label column `id` for multi-label data). */
  readonly classNames: readonly string[] | undefined;

  /**
   * Takes ownership of `init.x` and `init.y` (they are disposed with the Dataset) and checks
   * them: same number of rows, at least one row, finite values (one synchronous read), and
   * targets that fit the task. Throws ReactNNError (path `Dataset`) otherwise.
   */
  constructor(init: DatasetInit) {
    const path = 'Dataset';
    if (typeof init !== 'object' || init === null) {
      throw new ReactNNError('option', path, `expected { x, y } with tf.Tensors (got ${describe(init)})`);
    }
    const trusted = (init as DatasetInit & { [TRUSTED]?: Trusted })[TRUSTED];
    checkTensor(init.x, 'x', path);
    checkTensor(init.y, 'y', path);
    const n = init.x.shape[0] as number;
    if (n === 0) throw new ReactNNError('data', path, 'x has no rows; a Dataset needs at least one example');
    if (init.y.shape[0] !== n) {
      throw new ReactNNError(
        'data',
        path,
        `x has ${n} rows but y has ${init.y.shape[0]}; give one target row per input row (x [${init.x.shape}], y [${init.y.shape}])`,
      );
    }
    if (!trusted) {
      assertFinite(init.x.dataSync(), init.x.size / n, 'x', path);
      assertFinite(init.y.dataSync(), init.y.size / n, 'y', path);
    }
    const meta = resolveTargets(init.y, init, trusted?.labels, path);
    const featureNames = checkNames(init.featureNames, init.x.size / n, 'featureNames', path);
    if (init.classNames !== undefined && meta.numClasses === undefined) {
      throw new ReactNNError(
        'option',
        path,
        `classNames were given for task '${meta.task}'; they name classes, so drop them`,
      );
    }
    const classNames = checkNames(init.classNames, meta.numClasses ?? 0, 'classNames', path);
    // Only now, with every check passed, take ownership: reshaping or casting replaces the
    // handed-over tensor, so a failed construction leaves the caller's tensors untouched.
    const x = tf.keep(asMatrix(init.x));
    const y = tf.keep(asMatrix(init.y));
    this.#x = x;
    this.#y = y;
    this.#labels = meta.labels;
    this.size = n;
    this.inputShape = Object.freeze(x.shape.slice(1));
    this.targetShape = Object.freeze(y.shape.slice(1));
    this.task = meta.task;
    this.numClasses = meta.numClasses;
    this.targetFormat = meta.format;
    this.featureNames = featureNames;
    this.classNames = classNames;
  }

  /** Inputs `[size, ...inputShape]`, float32. Owned by the Dataset: do not dispose. */
  get x(): tf.Tensor {
    return this.#live('x').x;
  }

  /** Targets `[size, ...targetShape]`, float32. Owned by the Dataset: do not dispose. */
  get y(): tf.Tensor {
    return this.#live('y').y;
  }

  /** True after {@link Dataset.dispose}. */
  get isDisposed(): boolean {
    return this.#x === null;
  }

  /** Class id of every row (a copy), for binary/multiclass data; undefined otherwise. */
  classIds(): Int32Array | undefined {
    this.#live('classIds');
    return this.#labels?.slice();
  }

  /**
   * Splits the rows into `{ train, val }`, new Datasets with their own tensors; `fraction`
   * is the share that goes to `val` (rounded to whole rows, each part keeps at least one).
   * Class data is stratified by default, so both parts keep the class proportions.
   */
  split(fraction: number, options?: SplitOptions): { train: Dataset; val: Dataset } {
    const path = 'Dataset.split';
    this.#live('split');
    fractionOption(fraction, 'fraction', path);
    const o = optionsObject(options, path);
    const seed = seedOption(o.seed, path);
    const shuffle = booleanOption(o.shuffle, 'shuffle', path, true);
    const stratify = booleanOption(o.stratify, 'stratify', path, this.#labels !== undefined);
    if (stratify && this.#labels === undefined) {
      throw new ReactNNError(
        'option',
        path,
        `stratify needs class labels, but this Dataset's task is '${this.task}'; drop stratify or pass stratify: false`,
      );
    }
    const valSize = Math.round(this.size * fraction);
    if (valSize < 1 || valSize > this.size - 1) {
      throw new ReactNNError(
        'option',
        path,
        `split(${fraction}) of ${this.size} rows leaves ${valSize} rows for val and ${this.size - valSize} for train; each part needs at least one row — use a fraction nearer 0.5 or more data`,
      );
    }
    const idx = splitIndices(this.size, valSize, {
      seed,
      shuffle,
      labels: stratify ? this.#labels : undefined,
      numClasses: this.numClasses,
    });
    return { train: this.#gather(idx.first), val: this.#gather(idx.second) };
  }

  /** A new Dataset of the given rows (in that order; repeats allowed). */
  subset(indices: ArrayLike<number>): Dataset {
    const path = 'Dataset.subset';
    this.#live('subset');
    if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number' || indices.length === 0) {
      throw new ReactNNError(
        'option',
        path,
        `indices must be a non-empty array of row numbers (got ${describe(indices)})`,
      );
    }
    const idx = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i];
      if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= this.size) {
        throw new ReactNNError('option', path, `indices[${i}] is ${describe(r)}, but rows are 0..${this.size - 1}`);
      }
      idx[i] = r;
    }
    return this.#gather(idx);
  }

  /** Number of batches {@link Dataset.batches} yields per epoch (the last may be smaller). */
  numBatches(batchSize = 32): number {
    return Math.ceil(this.size / integerOption(batchSize, 'batchSize', 'Dataset.numBatches', 32));
  }

  /**
   * Yields the rows in mini-batches, every row exactly once per epoch; the last batch holds
   * the remainder. The order depends only on (seed, epoch), so a run can be replayed or
   * resumed. Each batch is one gather on x and one on y; the caller disposes `x` and `y`.
   * `batchSize` defaults to 32; options are checked at the call, not at the first `next()`.
   */
  batches(batchSize = 32, options?: BatchOptions): Generator<Batch, void, undefined> {
    // Validate now rather than on the first next(), where a generator body would run.
    const path = 'Dataset.batches';
    this.#live('batches');
    const size = integerOption(batchSize, 'batchSize', path, 32);
    const o = optionsObject(options, path);
    const seed = seedOption(o.seed, path);
    const epoch = integerOption(o.epoch, 'epoch', path, 0, 0);
    const shuffle = booleanOption(o.shuffle, 'shuffle', path, true);
    return this.#iterate(epochOrder(this.size, seed, epoch, shuffle), size);
  }

  *#iterate(order: Int32Array, batchSize: number): Generator<Batch, void, undefined> {
    for (let start = 0; start < order.length; start += batchSize) {
      const indices = order.slice(start, start + batchSize);
      const { x, y } = this.#live('batches');
      const [bx, by] = tf.tidy(() => {
        const t = tf.tensor1d(indices, 'int32');
        return [tf.gather(x, t), tf.gather(y, t)];
      });
      yield { x: bx as tf.Tensor, y: by as tf.Tensor, indices };
    }
  }

  /** A new Dataset whose y is one-hot `[size, numClasses]` (a copy if it already is). */
  oneHot(): Dataset {
    const path = 'Dataset.oneHot';
    const { x, y } = this.#live('oneHot');
    if (this.#labels === undefined || this.numClasses === undefined) {
      throw new ReactNNError(
        'state',
        path,
        `one-hot encoding needs class labels, but this Dataset's task is '${this.task}'; build it with numClasses or task 'binary'/'multiclass'`,
      );
    }
    const k = this.numClasses;
    const labels = this.#labels;
    const [nx, ny] = tf.tidy(() => [
      x.clone(),
      this.targetFormat === 'oneHot' ? y.clone() : tf.oneHot(tf.tensor1d(labels, 'int32'), k).toFloat(),
    ]);
    return createTrustedDataset(this.#meta(nx as tf.Tensor, ny as tf.Tensor), labels.slice());
  }

  /**
   * A new Dataset with `fn(x)` as inputs (run inside tf.tidy) and a copy of y; e.g.
   * `ds.mapX((x) => x.reshape([-1, 28, 28, 1]))`. The result must keep one row per example.
   */
  mapX(fn: (x: tf.Tensor) => tf.Tensor): Dataset {
    const path = 'Dataset.mapX';
    const { x, y } = this.#live('mapX');
    if (typeof fn !== 'function') throw new ReactNNError('option', path, `expected a function (got ${describe(fn)})`);
    const [nx, ny] = tf.tidy(() => [fn(x).toFloat(), y.clone()]);
    const outX = nx as tf.Tensor;
    if (outX.rank < 2 || outX.shape[0] !== this.size) {
      tf.dispose([nx, ny]);
      throw new ReactNNError(
        'shape',
        path,
        `fn turned x [${x.shape}] into [${outX.shape}]; it must return [${this.size}, ...features] (one row per example)`,
      );
    }
    const meta = this.#meta(outX, ny as tf.Tensor);
    const sameShape = outX.shape.slice(1).join() === this.inputShape.join();
    return createTrustedDataset(
      { ...meta, featureNames: sameShape ? this.featureNames : undefined },
      this.#labels?.slice(),
    );
  }

  /**
   * Fits per-feature mean and standard deviation (population, as scikit-learn's
   * StandardScaler; constant features get std 1) on THIS Dataset's x. Fit it on the
   * training part only and apply the same Normalizer to val/test, so that no statistic
   * of the held-out rows leaks into training.
   */
  standardize(): Normalizer {
    return fitNormalizer('standardize', this.#live('standardize').x, this.inputShape);
  }

  /** Fits per-feature min and max on this Dataset's x, mapping it to [0, 1]. Fit on train only, as standardize. */
  minMax(): Normalizer {
    return fitNormalizer('minMax', this.#live('minMax').x, this.inputShape);
  }

  /** Reads the rows back as plain arrays (each row flattened), for charts and tables. */
  async toArrays(): Promise<DatasetArrays> {
    const { x, y } = this.#live('toArrays');
    const [xv, yv] = await Promise.all([x.data(), y.data()]);
    const rows = (values: ArrayLike<number>, width: number): number[][] =>
      Array.from({ length: this.size }, (_, i) =>
        Array.from(Array.prototype.slice.call(values, i * width, (i + 1) * width)),
      );
    const out: DatasetArrays = {
      x: rows(xv as Float32Array, x.size / this.size),
      y: rows(yv as Float32Array, y.size / this.size),
    };
    if (this.#labels) out.labels = Array.from(this.#labels);
    return out;
  }

  /** Frees x and y. Safe to call more than once; any later use of the Dataset throws. */
  dispose(): void {
    if (this.#x === null) return;
    tf.dispose([this.#x, this.#y as tf.Tensor]);
    this.#x = null;
    this.#y = null;
  }

  #live(method: string): { x: tf.Tensor; y: tf.Tensor } {
    if (this.#x === null || this.#y === null) {
      throw new ReactNNError(
        'state',
        `Dataset.${method}`,
        'this Dataset was disposed; keep it alive while it is used, or make a new one',
      );
    }
    return { x: this.#x, y: this.#y };
  }

  #meta(x: tf.Tensor, y: tf.Tensor): DatasetInit {
    const init: DatasetInit = { x, y, task: this.task };
    if (this.numClasses !== undefined) init.numClasses = this.numClasses;
    if (this.featureNames) init.featureNames = this.featureNames;
    if (this.classNames) init.classNames = this.classNames;
    return init;
  }

  #gather(indices: Int32Array): Dataset {
    const { x, y } = this.#live('gather');
    const [gx, gy] = tf.tidy(() => {
      const t = tf.tensor1d(indices, 'int32');
      return [tf.gather(x, t), tf.gather(y, t)];
    });
    const labels = this.#labels;
    const sub = labels ? Int32Array.from(indices, (i) => labels[i] as number) : undefined;
    return createTrustedDataset(this.#meta(gx as tf.Tensor, gy as tf.Tensor), sub);
  }
}

/**
 * Whether `value` is a Dataset. Structural rather than `instanceof`, so a Dataset made by another
 * copy of react-nn (a bundled one beside an installed one, `react-nn` beside `react-nn/core`) counts.
 */
export function isDataset(value: unknown): value is Dataset {
  return (
    !!value &&
    typeof value === 'object' &&
    'x' in value &&
    'y' in value &&
    'size' in value &&
    typeof (value as Dataset).split === 'function'
  );
}
