import * as tf from '@tensorflow/tfjs';
import { describe } from '../errors';
import type { Shape } from '../graph/types';
import type { CommonProps, WeightProps } from './define';
import { defineLayer } from './define';
import { prop } from './props';
import { DropoutLayer } from './tfLayers';

const product = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

// ---------------------------------------------------------------------------------------------

/** Props of `<Linear>`. */
export interface LinearProps extends WeightProps {
  /** Size of each output sample (PyTorch `out_features`); the input size is inferred. */
  outFeatures: number;
  /** Learn an additive bias. Default `true`. */
  bias?: boolean;
}

/**
 * Fully connected layer, y = x·Wᵀ + b — PyTorch `nn.Linear(in_features, out_features, bias)`
 * with `in_features` taken from the input. Weights and bias start U(−1/√in, 1/√in) as in PyTorch.
 * The tfjs kernel is `[in, out]`, PyTorch's `weight` transposed. A ReLU, Sigmoid, Tanh or ELU (alpha 1)
 * right after it in a chain is folded into its tfjs Dense (`activation`), as hand-written tfjs does: the
 * activation keeps a pass-through tfjs layer of its own name, and this node's tfjs layer outputs activated values.
 *
 * Input shape: `[inFeatures]`, or `[steps, inFeatures]` (applied to the last axis, as PyTorch).
 * Output shape: `[outFeatures]`, or `[steps, outFeatures]`.
 * @example <Linear outFeatures={8} />
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Linear.html
 */
export const Linear = defineLayer<LinearProps>(
  {
    type: 'Linear',
    description: 'Fully connected layer',
    hasWeights: true,
    fusesActivation: true,
    props: {
      outFeatures: prop.positiveInt(),
      bias: prop.boolean().optional_(true),
    },
    normalize: (p, ctx) => {
      if (!p.bias && p.biasInit !== undefined) {
        ctx.fail('biasInit is set but bias={false} — remove one of them');
      }
      return p;
    },
    outputShape: (p, input, ctx) => {
      if (input.length > 2) {
        ctx.fail(
          `Linear expects [features] (or [steps, features]) but gets ${describe(input)}${ctx.source ? ` from ${ctx.source.type} (${ctx.source.path})` : ''} — insert <Flatten /> before this Linear to make it [${product(input)}]`,
          'shape',
        );
      }
      return [...input.slice(0, -1), p.outFeatures];
    },
    params: (p, input) => {
      const inF = input[input.length - 1] as number;
      return inF * p.outFeatures + (p.bias ? p.outFeatures : 0);
    },
    build: (p, ctx) => {
      const fans = { fanIn: ctx.inputShape[ctx.inputShape.length - 1] as number, fanOut: p.outFeatures };
      const dense = tf.layers.dense({
        units: p.outFeatures,
        useBias: p.bias,
        activation: ctx.activation,
        kernelInitializer: ctx.initializer('weight', fans),
        biasInitializer: ctx.initializer('bias', fans),
        trainable: ctx.trainable,
        name: ctx.name(),
      });
      return (x) => dense.apply(x) as tf.SymbolicTensor;
    },
    fused: (_p, input) =>
      input.length === 1
        ? { op: 'linear' }
        : `Linear over inputs of shape [${input.join(', ')}] is not fused — the fused engines run Linear on [features] inputs`,
  },
  { builtin: true },
);

// ---------------------------------------------------------------------------------------------

/** Props of `<Flatten>`. */
export interface FlattenProps extends CommonProps {}

/**
 * Flattens every non-batch axis into one — PyTorch `nn.Flatten()` (start_dim=1). Note the
 * order: tensors are NHWC here, so an image flattens as (h, w, c), not PyTorch's (c, h, w);
 * weights ported from PyTorch into a Linear after Flatten need their inputs permuted.
 *
 * Input shape: `[d1, d2, …]`.
 * Output shape: `[d1·d2·…]`.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Flatten.html
 */
export const Flatten = defineLayer<FlattenProps>(
  {
    type: 'Flatten',
    description: 'Flattens all non-batch axes into one',
    props: {},
    outputShape: (_p, input) => [product(input)],
    build: (_p, ctx) => {
      const flatten = tf.layers.flatten({ name: ctx.name() });
      return (x) => flatten.apply(x) as tf.SymbolicTensor;
    },
    // NHWC flattens in the order the fused engines already keep a sample in.
    fused: () => ({ op: 'identity' }),
  },
  { builtin: true },
);

// ---------------------------------------------------------------------------------------------

/** Props of `<Dropout>`. */
export interface DropoutProps extends CommonProps {
  /** Probability of zeroing each element while training, in [0, 1). Default 0.5. */
  p?: number;
}

/**
 * While training, zeroes each element with probability `p` and scales the rest by 1/(1 − p);
 * the identity at inference — PyTorch `nn.Dropout(p)`. Masks are drawn from the model's
 * seed, so seeded runs repeat, and differ from batch to batch (unlike a seeded
 * `tf.layers.dropout`, which repeats one mask).
 *
 * Input shape: any.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Dropout.html
 */
export const Dropout = defineLayer<DropoutProps>(
  {
    type: 'Dropout',
    description: 'Randomly zeroes elements while training',
    props: { p: prop.probability().optional_(0.5) },
    outputShape: (_p, input) => input,
    build: (p, ctx) => {
      const dropout = new DropoutLayer({ rate: p.p, seed: ctx.seed, name: ctx.name() });
      return (x) => dropout.apply(x) as tf.SymbolicTensor;
    },
    fused: (p) => ({ op: 'dropout', rate: p.p }),
  },
  { builtin: true },
);

// ---------------------------------------------------------------------------------------------

/** Props of `<Identity>`. */
export interface IdentityProps extends CommonProps {}

/**
 * Passes its input through unchanged — PyTorch `nn.Identity()`; handy as a placeholder
 * while editing a model.
 *
 * Input shape: any.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Identity.html
 */
export const Identity = defineLayer<IdentityProps>(
  {
    type: 'Identity',
    description: 'Passes its input through unchanged',
    props: {},
    outputShape: (_p, input) => input,
    build: (_p, ctx) => {
      const identity = tf.layers.activation({ activation: 'linear', name: ctx.name() });
      return (x) => identity.apply(x) as tf.SymbolicTensor;
    },
    fused: () => ({ op: 'identity' }),
  },
  { builtin: true },
);
