/**
 * Per-feature normalisation fitted on one Dataset and applied to others. The statistics are
 * plain numbers (no tensors), so a Normalizer needs no disposal and can be stored with a
 * model; `transform` also serves inputs at prediction time (a decision-boundary grid).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../errors';
import type { Dataset } from './dataset';

/** Which statistics a Normalizer holds. */
export type NormalizerKind = 'standardize' | 'minMax';

/**
 * A fitted affine map `x → (x − shift) / scale` per input feature: standardisation
 * (shift = mean, scale = std) or min–max scaling to [0, 1] (shift = min, scale = max − min).
 * Features with zero spread get scale 1, so they become constant 0 instead of NaN.
 *
 * Fit it on the training rows only (`train.standardize()`) and apply that same Normalizer
 * to validation and test rows: their statistics must not influence training.
 */
export class Normalizer {
  readonly kind: NormalizerKind;
  /** Feature shape the statistics were fitted on (a Dataset's inputShape). */
  readonly shape: readonly number[];
  readonly #shift: Float32Array;
  readonly #scale: Float32Array;
  readonly #max: Float32Array | undefined;

  /**
   * Use {@link Dataset.standardize} or {@link Dataset.minMax} to fit one. `shift` and
   * `scale` define the map; `max` (min–max only) is the fitted maximum, reported as is.
   */
  constructor(
    kind: NormalizerKind,
    shape: readonly number[],
    shift: Float32Array,
    scale: Float32Array,
    max?: Float32Array,
  ) {
    this.kind = kind;
    this.shape = Object.freeze([...shape]);
    this.#shift = shift;
    this.#scale = scale;
    this.#max = max;
  }

  /** Per-feature means (flattened), for a standardising Normalizer. */
  get mean(): number[] | undefined {
    return this.kind === 'standardize' ? Array.from(this.#shift) : undefined;
  }

  /** Per-feature population standard deviations (1 where a feature is constant). */
  get std(): number[] | undefined {
    return this.kind === 'standardize' ? Array.from(this.#scale) : undefined;
  }

  /** Per-feature minima (flattened), for a min–max Normalizer. */
  get min(): number[] | undefined {
    return this.kind === 'minMax' ? Array.from(this.#shift) : undefined;
  }

  /** Per-feature maxima (flattened), for a min–max Normalizer. */
  get max(): number[] | undefined {
    return this.kind === 'minMax' && this.#max ? Array.from(this.#max) : undefined;
  }

  /** A new Dataset with normalised x and a copy of y; `ds` is left as it was. */
  apply(ds: Dataset): Dataset {
    this.#checkShape(ds?.inputShape, 'Normalizer.apply');
    return ds.mapX((x) => this.transform(x));
  }

  /** Normalises a batch `[m, ...shape]`; returns a new tensor the caller disposes. */
  transform(x: tf.Tensor): tf.Tensor {
    this.#checkShape(x?.shape?.slice(1), 'Normalizer.transform');
    return tf.tidy(() => x.toFloat().sub(this.#tensor(this.#shift)).div(this.#tensor(this.#scale)));
  }

  /** Undoes {@link Normalizer.transform}: `x · scale + shift`. */
  inverse(x: tf.Tensor): tf.Tensor {
    this.#checkShape(x?.shape?.slice(1), 'Normalizer.inverse');
    return tf.tidy(() => x.toFloat().mul(this.#tensor(this.#scale)).add(this.#tensor(this.#shift)));
  }

  #tensor(values: Float32Array): tf.Tensor {
    return tf.tensor(values, [1, ...this.shape], 'float32');
  }

  #checkShape(shape: readonly number[] | undefined, path: string): void {
    if (!Array.isArray(shape) || shape.join() !== this.shape.join()) {
      throw new ReactNNError(
        'shape',
        path,
        `this Normalizer was fitted on features of shape [${this.shape}] but got ${shape ? `[${shape}]` : describe(shape)}; fit and apply it on data with the same inputShape`,
      );
    }
  }
}

/**
 * Fits a Normalizer on `x` `[n, ...shape]`. The sums run in float64 on the host (one read
 * of x) rather than in float32 on the device, so a standardised column has mean 0 and
 * std 1 to float32 precision even for large offsets such as house sizes in m².
 */
export function fitNormalizer(kind: NormalizerKind, x: tf.Tensor, shape: readonly number[]): Normalizer {
  const values = x.dataSync();
  const n = x.shape[0] as number;
  const d = values.length / n;
  const shift = new Float32Array(d);
  const scale = new Float32Array(d);
  const max = kind === 'minMax' ? new Float32Array(d) : undefined;
  for (let j = 0; j < d; j++) {
    let a: number;
    let b: number;
    if (kind === 'standardize') {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += values[i * d + j] as number;
      const mean = sum / n;
      let sq = 0;
      for (let i = 0; i < n; i++) sq += ((values[i * d + j] as number) - mean) ** 2;
      a = mean;
      b = Math.sqrt(sq / n);
    } else {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const v = values[i * d + j] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      a = lo;
      b = hi - lo;
      (max as Float32Array)[j] = hi;
    }
    shift[j] = a;
    // Zero spread would divide by zero; scikit-learn uses scale 1 there, and so do we.
    scale[j] = b > 0 ? b : 1;
  }
  return new Normalizer(kind, shape, shift, scale, max);
}
