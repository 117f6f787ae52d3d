import * as tf from '@tensorflow/tfjs';
import type { CommonProps } from '../define';
import { defineLayer } from '../define';
import { prop } from '../props';

/**
 * Custom layers with their own trainable parameters, written as a user would: a tfjs layer
 * class (weights in `build` through `addWeight`, the forward pass in `call`), registered with
 * `tf.serialization`, and a `defineLayer` that validates props, states the shape rule and
 * counts parameters. These are the course's SoftExponential activations.
 *
 * Soft exponential (Godfrey & Gashler, 2016), one trainable α:
 *
 *   f(α, x) = −ln(1 − α(x + α)) / α    for α < 0   (logarithmic)
 *           = x                        for α = 0   (linear)
 *           = (e^{αx} − 1) / α + α     for α > 0   (exponential)
 *
 * @see https://arxiv.org/abs/1602.01321
 */

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/**
 * f(α, x) for a scalar α tensor, differentiable in both. Two details make it trainable:
 * - The three branches are selected with `where`, and each unused branch is fed safe values
 *   (α = ±1, x = 0, log argument 1), so it cannot produce Inf/NaN whose gradient × 0 is NaN.
 * - At α = 0 the branch is x + α(1 + x²/2): exactly x there, with the true ∂f/∂α = 1 + x²/2
 *   (the limit from both sides). A literal `if α == 0: return x` (as in the course's PyTorch
 *   code) gives α no gradient, so α initialised to 0 would never move.
 */
export function softExponential(x: tf.Tensor, alpha: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // The branch masks, via step (its gradient is 0): comparisons such as tf.greater have no
    // gradient function in tfjs, and backprop through `where` reaches its condition.
    const pos = tf.cast(tf.step(alpha), 'bool');
    const neg = tf.cast(tf.step(tf.neg(alpha)), 'bool');
    const one = tf.onesLike(alpha);
    const aPos = tf.where(pos, alpha, one);
    const aNeg = tf.where(neg, alpha, tf.neg(one));
    const posX = tf.broadcastTo(pos, x.shape);
    const negX = tf.broadcastTo(neg, x.shape);
    // α > 0: (e^{αx} − 1)/α + α
    const xPos = tf.where(posX, x, tf.zerosLike(x));
    const fPos = tf.add(tf.div(tf.sub(tf.exp(tf.mul(aPos, xPos)), 1), aPos), aPos);
    // α < 0: −ln(1 − α(x + α))/α (NaN outside its domain, as the formula)
    const arg = tf.where(negX, tf.sub(1, tf.mul(aNeg, tf.add(x, aNeg))), tf.onesLike(x));
    const fNeg = tf.neg(tf.div(tf.log(arg), aNeg));
    // α = 0: x, with the gradient of the limit
    const fZero = tf.add(x, tf.mul(alpha, tf.add(1, tf.div(tf.square(x), 2))));
    return tf.where(posX, fPos, tf.where(negX, fNeg, fZero));
  });
}

export interface SoftExponentialLayerArgs extends LayerArgs {
  /** Initial α. */
  alpha?: number;
  /** Also learn an input scale β (f(α, βx)); its initial value. */
  beta?: number;
}

/** The tfjs layer: a scalar weight `alpha` (and `beta` when given), elementwise forward. */
export class SoftExponentialLayer extends tf.layers.Layer {
  static className = 'ReactNNSoftExponential';
  readonly alphaInit: number;
  readonly betaInit: number | undefined;
  #alpha: tf.LayerVariable | null = null;
  #beta: tf.LayerVariable | null = null;

  constructor(args: SoftExponentialLayerArgs = {}) {
    super(args);
    this.alphaInit = args.alpha ?? 0;
    this.betaInit = args.beta;
  }

  override build(): void {
    const constant = (value: number) => tf.initializers.constant({ value });
    // Scalars, like PyTorch's nn.Parameter(torch.tensor(alpha)).
    this.#alpha = this.addWeight('alpha', [], 'float32', constant(this.alphaInit), undefined, true);
    if (this.betaInit !== undefined) {
      this.#beta = this.addWeight('beta', [], 'float32', constant(this.betaInit), undefined, true);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const scaled = this.#beta ? tf.mul(this.#beta.read(), x) : x;
      return softExponential(scaled, (this.#alpha as tf.LayerVariable).read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { ...super.getConfig(), alpha: this.alphaInit };
    if (this.betaInit !== undefined) config.beta = this.betaInit;
    return config;
  }
}
tf.serialization.registerClass(SoftExponentialLayer);

// ---------------------------------------------------------------------------------------------

/** Props of `<SoftExponential>`. */
export interface SoftExponentialProps extends CommonProps {
  /** Initial α (trainable). Default 0, the identity — as the course. */
  alpha?: number;
}

/**
 * Soft exponential activation with one trainable α shared by all elements: logarithmic for
 * α < 0, the identity at α = 0, exponential for α > 0 (formula at the top of this file). The
 * log branch is defined only where 1 − α(x + α) > 0 and gives NaN elsewhere, as the formula does.
 *
 * Parameters: 1 (α).
 * Input shape: any.
 * Output shape: the same.
 * @example <Sequential><Linear outFeatures={8} /><SoftExponential alpha={0.1} /><Linear outFeatures={1} /></Sequential>
 */
export const SoftExponential = defineLayer<SoftExponentialProps>({
  type: 'SoftExponential',
  description: 'Soft exponential activation with trainable α',
  props: { alpha: prop.number().optional_(0) },
  outputShape: (_p, input) => input,
  params: () => 1,
  build: (p, ctx) => {
    const layer = new SoftExponentialLayer({ alpha: p.alpha, trainable: ctx.trainable, name: ctx.name() });
    return (x) => layer.apply(x) as tf.SymbolicTensor;
  },
});

/** Props of `<SoftExponential2>`. */
export interface SoftExponential2Props extends CommonProps {
  /** Initial α (trainable). Default 0. */
  alpha?: number;
  /** Initial input scale β (trainable), non-zero. Default 1. */
  beta?: number;
}

/**
 * The two-parameter variant: f(x) = softexp(α, β·x) with trainable α and a trainable input
 * scale β (a temperature: β stretches or squeezes the curve, and flips it when negative).
 * At α = 0 it is the learnt linear map βx.
 *
 * Parameters: 2 (α, β).
 * Input shape: any.
 * Output shape: the same.
 * @example <SoftExponential2 alpha={0.1} beta={1} />
 */
export const SoftExponential2 = defineLayer<SoftExponential2Props>({
  type: 'SoftExponential2',
  description: 'Soft exponential activation with trainable α and input scale β',
  props: { alpha: prop.number().optional_(0), beta: prop.number().optional_(1) },
  normalize: (p, ctx) => {
    if (p.beta === 0) {
      ctx.fail('beta={0} makes the output a constant, so no gradient reaches α or the layers before — start β at 1');
    }
    return p;
  },
  outputShape: (_p, input) => input,
  params: () => 2,
  build: (p, ctx) => {
    const layer = new SoftExponentialLayer({
      alpha: p.alpha,
      beta: p.beta,
      trainable: ctx.trainable,
      name: ctx.name(),
    });
    return (x) => layer.apply(x) as tf.SymbolicTensor;
  },
});
