import * as tf from '@tensorflow/tfjs';
import { createRng } from '../random';
import type { Initializer } from './init';

/**
 * Custom tfjs layers behind built-ins that tfjs-layers lacks or computes differently
 * from PyTorch. Each has a static `className` (prefixed `ReactNN` so it cannot clash with
 * tfjs' own), `computeOutputShape`, `call` inside `tf.tidy`, `getConfig`, and is
 * registered with `tf.serialization.registerClass` so saved models load again.
 */

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type TfShape = tf.Shape;
type Kwargs = Record<string, unknown>;

function one(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
}

function oneShape(shape: TfShape | TfShape[]): TfShape {
  return Array.isArray(shape[0]) ? (shape[0] as TfShape) : (shape as TfShape);
}

/** JSON has no ±Infinity (JSON.stringify(-Infinity) is "null"): keep them as strings in configs. */
function toJsonNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

// ---------------------------------------------------------------------------------------------

/** f(x) = (√(x² + 1) − 1) / 2 + x, elementwise. */
export class BentIdentityLayer extends tf.layers.Layer {
  static className = 'ReactNNBentIdentity';

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      return tf.add(tf.div(tf.sub(tf.sqrt(tf.add(tf.square(x), 1)), 1), 2), x);
    });
  }
}
tf.serialization.registerClass(BentIdentityLayer);

// ---------------------------------------------------------------------------------------------

export interface EluLayerArgs extends LayerArgs {
  alpha?: number;
}

/**
 * ELU with any alpha: tfjs' `tf.layers.elu` throws NotImplementedError for alpha ≠ 1.
 * Computed as relu(x) + α·elu(min(x, 0)) rather than a `where`, whose gradient turns
 * exp(large x) in the unused branch into NaN.
 */
export class EluLayer extends tf.layers.Layer {
  static className = 'ReactNNELU';
  readonly alpha: number;

  constructor(args: EluLayerArgs = {}) {
    super(args);
    this.alpha = args.alpha ?? 1;
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      return tf.add(tf.relu(x), tf.mul(this.alpha, tf.elu(tf.minimum(x, 0))));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
tf.serialization.registerClass(EluLayer);

// ---------------------------------------------------------------------------------------------

export interface ConstantPad2dArgs extends LayerArgs {
  /** [[top, bottom], [left, right]] of an NHWC input. */
  padding: [[number, number], [number, number]];
  /** Fill value; −Infinity for max pooling. Stored as a string in configs when not finite. */
  value: number | string;
}

/**
 * Pads height and width of an NHWC tensor with a constant, like PyTorch's
 * `nn.ConstantPad2d`. MaxPool2d uses it with −Infinity: PyTorch pads max pooling with −∞,
 * so padding never wins a window — zero padding would turn all-negative borders into 0.
 */
export class ConstantPad2dLayer extends tf.layers.Layer {
  static className = 'ReactNNConstantPad2d';
  readonly padding: [[number, number], [number, number]];
  readonly value: number;

  constructor(args: ConstantPad2dArgs) {
    super(args);
    this.padding = args.padding;
    this.value = Number(args.value);
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    const [n, h, w, c] = oneShape(inputShape);
    const [[t, b], [l, r]] = this.padding;
    return [n ?? null, h == null ? null : h + t + b, w == null ? null : w + l + r, c ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [[t, b], [l, r]] = this.padding;
      return tf.pad(
        one(inputs),
        [
          [0, 0],
          [t, b],
          [l, r],
          [0, 0],
        ],
        this.value,
      );
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding, value: toJsonNumber(this.value) };
  }
}
tf.serialization.registerClass(ConstantPad2dLayer);

// ---------------------------------------------------------------------------------------------

export interface DropoutLayerArgs extends LayerArgs {
  rate: number;
  seed?: number;
}

/**
 * Inverted dropout as PyTorch's `nn.Dropout` (kept values scaled by 1/(1 − p), identity
 * in inference). tfjs' `tf.layers.dropout({ seed })` re-seeds on every call and so drops
 * the *same* units on every batch; this layer gives each call its own seed, so runs are
 * reproducible and masks still differ between batches.
 *
 * Call k's seed is a pure function of (seed, k) — the k-th number of the mulberry32 stream
 * `createRng(seed)`, which the fused engines draw too — so the layer's whole random state is the
 * pair (seed, draws): a trainer saves it and sets it back to resume a run exactly.
 */
export class DropoutLayer extends tf.layers.Layer {
  static className = 'ReactNNDropout';
  readonly rate: number;
  /** The seed stream's seed (from `<Model seed>`); a resumed run sets the saved run's back. */
  seed: number | undefined;
  /** Seeds drawn so far (training calls with rate > 0); unseeded layers draw from Math.random. */
  draws = 0;

  constructor(args: DropoutLayerArgs) {
    super(args);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  /** The seed of call `k` of a layer seeded with `seed`: mulberry32's k-th draw, as createRng(seed). */
  static seedAt(seed: number, k: number): number {
    const rng = createRng(DropoutLayer.streamAt(seed, k));
    return Math.floor(rng() * 2 ** 31);
  }

  /**
   * mulberry32's state after `draws` draws from `createRng(seed)`: seed + draws·0x6d2b79f5
   * (mod 2³²). The fused engines start their mask streams here, so they go on where this layer is.
   */
  static streamAt(seed: number, draws: number): number {
    return ((seed >>> 0) + Math.imul(draws, 0x6d2b79f5)) >>> 0;
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = one(inputs);
    if (kwargs.training !== true || this.rate === 0) return x;
    const seed =
      this.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : DropoutLayer.seedAt(this.seed, this.draws);
    this.draws++;
    return tf.tidy(() => tf.dropout(x, this.rate, undefined, seed));
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { ...super.getConfig(), rate: this.rate };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}
tf.serialization.registerClass(DropoutLayer);

// ---------------------------------------------------------------------------------------------

export interface BatchNormLayerArgs extends LayerArgs {
  /** PyTorch convention: running = (1 − momentum)·running + momentum·batch. */
  momentum?: number;
  epsilon?: number;
  /** Learnable γ and β (PyTorch's `affine`). */
  affine?: boolean;
  gammaInitializer?: Initializer;
  betaInitializer?: Initializer;
}

/**
 * Batch normalisation over the last (channel) axis, exactly as PyTorch's BatchNorm1d/2d in
 * training and eval mode. Two differences from `tf.layers.batchNormalization` made it worth
 * a layer: PyTorch updates `running_var` with the *unbiased* batch variance (tfjs: biased),
 * and tfjs' layer crashes in training when `center`/`scale` are off (it reads γ/β
 * unconditionally), which `affine=false` needs.
 *
 * Weights, in order: gamma, beta (when affine), moving_mean, moving_variance — the same
 * names and order as tfjs' BatchNormalization. With `trainable: false` the layer always runs
 * in inference mode (Keras' rule; in PyTorch, freezing is `requires_grad_(False)` plus `.eval()`).
 */
export class BatchNormLayer extends tf.layers.Layer {
  static className = 'ReactNNBatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  readonly affine: boolean;
  readonly #gammaInit: Initializer;
  readonly #betaInit: Initializer;
  #gamma: tf.LayerVariable | null = null;
  #beta: tf.LayerVariable | null = null;
  #movingMean: tf.LayerVariable | null = null;
  #movingVariance: tf.LayerVariable | null = null;

  constructor(args: BatchNormLayerArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-5;
    this.affine = args.affine ?? true;
    this.#gammaInit = args.gammaInitializer ?? tf.initializers.ones();
    this.#betaInit = args.betaInitializer ?? tf.initializers.zeros();
  }

  override build(inputShape: TfShape | TfShape[]): void {
    const shape = oneShape(inputShape);
    const channels = shape[shape.length - 1];
    if (channels == null)
      throw new Error(`BatchNorm needs a known channel count (got input shape ${JSON.stringify(shape)})`);
    if (this.affine) {
      this.#gamma = this.addWeight('gamma', [channels], 'float32', this.#gammaInit, undefined, true);
      this.#beta = this.addWeight('beta', [channels], 'float32', this.#betaInit, undefined, true);
    }
    this.#movingMean = this.addWeight('moving_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
    this.#movingVariance = this.addWeight(
      'moving_variance',
      [channels],
      'float32',
      tf.initializers.ones(),
      undefined,
      false,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const movingMean = this.#movingMean as tf.LayerVariable;
      const movingVariance = this.#movingVariance as tf.LayerVariable;
      const gamma = this.#gamma?.read();
      const beta = this.#beta?.read();
      // A frozen layer (trainable: false) runs as in inference, like Keras: its statistics stay put too.
      if (kwargs.training !== true || !this.trainable) {
        return tf.batchNorm(x, movingMean.read(), movingVariance.read(), beta, gamma, this.epsilon);
      }
      const axes = x.shape.map((_d, i) => i).slice(0, -1);
      const { mean, variance } = tf.moments(x, axes);
      const y = tf.batchNorm(x, mean, variance, beta, gamma, this.epsilon);
      // Running statistics, PyTorch style: the variance is the unbiased n/(n−1) estimate.
      const n = axes.reduce((acc, a) => acc * (x.shape[a] as number), 1);
      const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
      const m = this.momentum;
      movingMean.write(tf.add(tf.mul(movingMean.read(), 1 - m), tf.mul(mean, m)));
      movingVariance.write(tf.add(tf.mul(movingVariance.read(), 1 - m), tf.mul(unbiased, m)));
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon, affine: this.affine };
  }
}
tf.serialization.registerClass(BatchNormLayer);

// ---------------------------------------------------------------------------------------------

export interface SoftmaxLayerArgs extends LayerArgs {
  /** Axis of the batched tensor (1 = first non-batch axis). */
  axis: number;
}

/**
 * Softmax along any axis: `tf.softmax` (and so `tf.layers.softmax`) only supports the last
 * one. Computed as exp(x − logSumExp(x)), which is stable for large inputs.
 */
export class SoftmaxLayer extends tf.layers.Layer {
  static className = 'ReactNNSoftmax';
  readonly axis: number;

  constructor(args: SoftmaxLayerArgs) {
    super(args);
    this.axis = args.axis;
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const axis = this.axis < 0 ? x.rank + this.axis : this.axis;
      if (axis === x.rank - 1) return tf.softmax(x);
      return tf.exp(tf.sub(x, tf.logSumExp(x, axis, true)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }
}
tf.serialization.registerClass(SoftmaxLayer);
