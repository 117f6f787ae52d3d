import * as tf from '@tensorflow/tfjs';
import { describe } from '../errors';
import type { CommonProps, FusedActivation, FusedActivationFn, LayerDefinition, WeightProps } from './define';
import { defineLayer } from './define';
import { prop } from './props';
import { BentIdentityLayer, EluLayer, SoftmaxLayer } from './tfLayers';

type ActivationName = Parameters<typeof tf.layers.activation>[0]['activation'];

/**
 * A stateless, shape-preserving layer made by one tfjs layer. `fused`: the same function as a tfjs
 * layer activation, which lets the compiler fold it into a Linear/Conv2d right before it.
 */
function elementwise(
  type: string,
  description: string,
  make: (name: string) => tf.layers.Layer,
  engineFn: FusedActivationFn,
  fused?: FusedActivation,
): LayerDefinition<CommonProps> {
  return {
    type,
    description,
    props: {},
    outputShape: (_p, input) => input,
    build: (_p, ctx) => {
      const layer = make(ctx.name());
      return (x) => layer.apply(x) as tf.SymbolicTensor;
    },
    ...(fused ? { fusedActivation: () => fused } : {}),
    fused: () => ({ op: 'activation', fn: engineFn, alpha: 0 }),
  };
}

const activation = (activation: ActivationName) => (name: string) => tf.layers.activation({ activation, name });

// ---------------------------------------------------------------------------------------------

/** Props of `<ReLU>`. */
export interface ReLUProps extends CommonProps {}

/**
 * max(0, x) — PyTorch `nn.ReLU()`.
 *
 * Input shape: any.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.ReLU.html
 */
export const ReLU = defineLayer<ReLUProps>(elementwise('ReLU', 'max(0, x)', activation('relu'), 'relu', 'relu'), {
  builtin: true,
});

/** Props of `<Sigmoid>`. */
export interface SigmoidProps extends CommonProps {}

/**
 * 1 / (1 + e^(−x)) — PyTorch `nn.Sigmoid()`.
 *
 * Input shape: any.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Sigmoid.html
 */
export const Sigmoid = defineLayer<SigmoidProps>(
  elementwise('Sigmoid', '1 / (1 + exp(−x))', activation('sigmoid'), 'sigmoid', 'sigmoid'),
  {
    builtin: true,
  },
);

/** Props of `<Tanh>`. */
export interface TanhProps extends CommonProps {}

/**
 * Hyperbolic tangent — PyTorch `nn.Tanh()`.
 *
 * Input shape: any.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Tanh.html
 */
export const Tanh = defineLayer<TanhProps>(elementwise('Tanh', 'tanh(x)', activation('tanh'), 'tanh', 'tanh'), {
  builtin: true,
});

/** Props of `<BentIdentity>`. */
export interface BentIdentityProps extends CommonProps {}

/**
 * f(x) = (√(x² + 1) − 1)/2 + x: smooth, unbounded, never flat. PyTorch has no module for
 * it; this matches the formula written with torch ops. A custom `ReactNNBentIdentity` tfjs layer.
 *
 * Input shape: any.
 * Output shape: the same.
 */
export const BentIdentity = defineLayer<BentIdentityProps>(
  elementwise('BentIdentity', '(√(x² + 1) − 1)/2 + x', (name) => new BentIdentityLayer({ name }), 'bentIdentity'),
  { builtin: true },
);

// ---------------------------------------------------------------------------------------------

/** Props of `<LeakyReLU>`. */
export interface LeakyReLUProps extends CommonProps {
  /** Slope for x < 0. Default 0.01, as PyTorch (tfjs' own default is 0.3). */
  negativeSlope?: number;
}

/**
 * x for x ≥ 0, negativeSlope·x otherwise — PyTorch `nn.LeakyReLU(negative_slope=0.01)`.
 *
 * Input shape: any.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.LeakyReLU.html
 */
export const LeakyReLU = defineLayer<LeakyReLUProps>(
  {
    type: 'LeakyReLU',
    description: 'x, or negativeSlope·x below 0',
    props: { negativeSlope: prop.number().optional_(0.01) },
    outputShape: (_p, input) => input,
    build: (p, ctx) => {
      const layer = tf.layers.leakyReLU({ alpha: p.negativeSlope, name: ctx.name() });
      return (x) => layer.apply(x) as tf.SymbolicTensor;
    },
    fused: (p) => ({ op: 'activation', fn: 'leakyRelu', alpha: p.negativeSlope }),
  },
  { builtin: true },
);

// ---------------------------------------------------------------------------------------------

/** Props of `<PReLU>`. `weightInit`, if given, overrides `init`. */
export interface PReLUProps extends WeightProps {
  /** 1 (one slope shared by all elements, PyTorch's default) or the channel count (one per channel, last axis). */
  numParameters?: number;
  /** Initial slope for x < 0. Default 0.25. */
  init?: number;
}

/**
 * x for x ≥ 0, a·x otherwise with learnt slopes a — PyTorch `nn.PReLU(num_parameters=1,
 * init=0.25)`. Channels are the last axis (NHWC).
 *
 * Input shape: any; `[…, channels]` when numParameters = channels.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.PReLU.html
 */
export const PReLU = defineLayer<PReLUProps>(
  {
    type: 'PReLU',
    description: 'Leaky ReLU with learnt slopes',
    hasWeights: true,
    props: {
      numParameters: prop.positiveInt().optional_(1),
      init: prop.number().optional_(0.25),
    },
    normalize: (p, ctx) => {
      if (p.biasInit !== undefined)
        ctx.fail('PReLU has no bias, so no biasInit — set its slopes with init or weightInit');
      return p;
    },
    outputShape: (p, input, ctx) => {
      const channels = input[input.length - 1] as number;
      if (p.numParameters !== 1 && p.numParameters !== channels) {
        ctx.fail(
          `numParameters must be 1 (one shared slope) or the channel count ${channels} (last axis of ${describe(input)}) (got ${p.numParameters})`,
          'shape',
        );
      }
      return input;
    },
    params: (p) => p.numParameters,
    build: (p, ctx) => {
      const rank = ctx.inputShape.length;
      // tfjs axes count the batch as 0: share over all of them, or all but the channel axis.
      const axes = Array.from({ length: rank }, (_v, i) => i + 1);
      const sharedAxes = p.numParameters === 1 ? axes : axes.slice(0, -1);
      const fans = { fanIn: p.numParameters, fanOut: p.numParameters };
      const layer = tf.layers.prelu({
        alphaInitializer: ctx.initializer('weight', fans, p.weightInit ?? p.init),
        ...(sharedAxes.length > 0 ? { sharedAxes } : {}),
        trainable: ctx.trainable,
        name: ctx.name(),
      });
      return (x) => layer.apply(x) as tf.SymbolicTensor;
    },
    fused: () => ({ op: 'activation', fn: 'prelu', alpha: 0, weight: 'alpha' }),
  },
  { builtin: true },
);

// ---------------------------------------------------------------------------------------------

/** Props of `<ELU>`. */
export interface ELUProps extends CommonProps {
  /** Scale of the negative part. Default 1. */
  alpha?: number;
}

/**
 * x for x > 0, alpha·(eᵡ − 1) otherwise — PyTorch `nn.ELU(alpha=1.0)`. A custom `ReactNNELU`
 * tfjs layer, since `tf.layers.elu` rejects alpha ≠ 1.
 *
 * Input shape: any.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.ELU.html
 */
export const ELU = defineLayer<ELUProps>(
  {
    type: 'ELU',
    description: 'Exponential linear unit',
    props: { alpha: prop.number().optional_(1) },
    outputShape: (_p, input) => input,
    build: (p, ctx) => {
      const layer = new EluLayer({ alpha: p.alpha, name: ctx.name() });
      return (x) => layer.apply(x) as tf.SymbolicTensor;
    },
    // tfjs' 'elu' is alpha = 1 (its gradient reads the output, so it has no NaN from the unused branch).
    fusedActivation: (p) => (p.alpha === 1 ? 'elu' : null),
    fused: (p) => ({ op: 'activation', fn: 'elu', alpha: p.alpha }),
  },
  { builtin: true },
);

// ---------------------------------------------------------------------------------------------

/** Props of `<GELU>`. */
export interface GELUProps extends CommonProps {
  /** `'none'`: exact x·Φ(x) with erf (default, as PyTorch); `'tanh'`: the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/**
 * x·Φ(x), Φ the standard normal CDF — PyTorch `nn.GELU(approximate='none')`. tfjs' 'gelu'
 * activation is this exact erf form (tf.erf is accurate to ~1.5e-7); `approximate='tanh'` uses
 * 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), tfjs' 'gelu_new'.
 *
 * Input shape: any.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.GELU.html
 */
export const GELU = defineLayer<GELUProps>(
  {
    type: 'GELU',
    description: 'Gaussian error linear unit',
    props: { approximate: prop.oneOf('none', 'tanh').optional_('none') },
    outputShape: (_p, input) => input,
    build: (p, ctx) => {
      const layer = activation(p.approximate === 'tanh' ? 'gelu_new' : 'gelu')(ctx.name());
      return (x) => layer.apply(x) as tf.SymbolicTensor;
    },
    fused: (p) => ({ op: 'activation', fn: p.approximate === 'tanh' ? 'geluTanh' : 'gelu', alpha: 0 }),
  },
  { builtin: true },
);

// ---------------------------------------------------------------------------------------------

/** `-1 or 1`, or `-2 … -1 (from the end) or 1 … 2`. */
function validDims(rank: number): string {
  const n = rank - 1;
  return n === 1 ? '-1 or 1' : `-${n} … -1 (from the end) or 1 … ${n}`;
}

/** Props of `<Softmax>`. */
export interface SoftmaxProps extends CommonProps {
  /**
   * Axis to normalise, counted as in PyTorch over the batched tensor: −1 (default) is the
   * last axis, 1 the first non-batch axis; 0 (the batch) is refused.
   */
  dim?: number;
}

/**
 * eᵡ / Σ eᵡ along `dim` — PyTorch `nn.Softmax(dim=-1)`. For a loss on logits prefer
 * `loss: 'crossEntropy'` without a Softmax, as in PyTorch.
 *
 * Input shape: any.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Softmax.html
 */
export const Softmax = defineLayer<SoftmaxProps>(
  {
    type: 'Softmax',
    description: 'Normalises to probabilities along an axis',
    props: { dim: prop.integer().optional_(-1) },
    outputShape: (p, input, ctx) => {
      // Dims count over the batched tensor, rank = input.length + 1, as PyTorch's do.
      const rank = input.length + 1;
      if (p.dim < -rank || p.dim >= rank) {
        ctx.fail(
          `dim ${p.dim} is out of range for input ${describe(input)} (rank ${rank} with the batch dimension) — valid dims are ${validDims(rank)}, counted as in PyTorch`,
        );
      }
      if (p.dim === 0 || p.dim === -rank) {
        ctx.fail(
          `dim ${p.dim} is the batch dimension, and softmax over the batch dimension is almost never wanted — use dim={-1} (the last axis)`,
        );
      }
      return input;
    },
    build: (p, ctx) => {
      const rank = ctx.inputShape.length + 1;
      const axis = p.dim < 0 ? rank + p.dim : p.dim;
      // tfjs' softmax handles only the last axis; other axes need the custom layer.
      const layer =
        axis === rank - 1
          ? tf.layers.softmax({ axis: -1, name: ctx.name() })
          : new SoftmaxLayer({ axis, name: ctx.name() });
      return (x) => layer.apply(x) as tf.SymbolicTensor;
    },
  },
  { builtin: true },
);
