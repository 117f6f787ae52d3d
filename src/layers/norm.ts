import type * as tf from '@tensorflow/tfjs';
import { describe } from '../errors';
import type { ShapeContext } from '../graph/rules';
import type { Shape } from '../graph/types';
import { requireImage } from './conv';
import type { LayerDefinition, Resolved, WeightProps } from './define';
import { defineLayer } from './define';
import { prop } from './props';
import { BatchNormLayer } from './tfLayers';

/** Props of `<BatchNorm1d>` and `<BatchNorm2d>`. `weightInit` sets γ (default ones), `biasInit` β (default zeros). */
export interface BatchNormProps extends WeightProps {
  /** Channel count (PyTorch `num_features`). Optional: inferred from the input; if given it must match. */
  numFeatures?: number;
  /** Weight of each batch in the running statistics, PyTorch's convention. Default 0.1. */
  momentum?: number;
  /** Added to the variance for numerical stability. Default 1e-5. */
  eps?: number;
  /** Learn a per-channel scale γ and shift β. Default `true`. */
  affine?: boolean;
}
export type BatchNorm1dProps = BatchNormProps;
export type BatchNorm2dProps = BatchNormProps;

function checkChannels(p: Resolved<BatchNormProps>, input: Shape, ctx: ShapeContext): void {
  const channels = input[input.length - 1] as number;
  if (p.numFeatures !== undefined && p.numFeatures !== channels) {
    ctx.fail(
      `numFeatures is ${p.numFeatures} but the input has ${channels} channels (last axis of ${describe(input)}) — set numFeatures={${channels}} or leave it out`,
      'shape',
    );
  }
}

function batchNormDefinition(
  type: 'BatchNorm1d' | 'BatchNorm2d',
  description: string,
  checkInput: (input: Shape, ctx: ShapeContext) => void,
): LayerDefinition<BatchNormProps> {
  return {
    type,
    description,
    hasWeights: true,
    props: {
      numFeatures: prop.positiveInt().optional_(),
      momentum: prop.unitInterval().optional_(0.1),
      eps: prop.positive().optional_(1e-5),
      affine: prop.boolean().optional_(true),
    },
    normalize: (p, ctx) => {
      if (!p.affine && (p.weightInit !== undefined || p.biasInit !== undefined)) {
        ctx.fail('weightInit/biasInit set γ and β, which affine={false} removes — remove one of them');
      }
      return p;
    },
    outputShape: (p, input, ctx) => {
      checkInput(input, ctx);
      checkChannels(p, input, ctx);
      return input;
    },
    // PyTorch: weight and bias are parameters; running_mean and running_var are buffers.
    params: (p, input) => {
      const c = input[input.length - 1] as number;
      return { trainable: p.affine ? 2 * c : 0, nonTrainable: 2 * c };
    },
    build: (p, ctx) => {
      const c = ctx.inputShape[ctx.inputShape.length - 1] as number;
      const fans = { fanIn: c, fanOut: c };
      const bn = new BatchNormLayer({
        momentum: p.momentum,
        epsilon: p.eps,
        affine: p.affine,
        gammaInitializer: ctx.initializer('weight', fans, p.weightInit ?? 'ones'),
        betaInitializer: ctx.initializer('bias', fans, p.biasInit ?? 'zeros'),
        trainable: ctx.trainable,
        name: ctx.name(),
      });
      return (x) => bn.apply(x) as tf.SymbolicTensor;
    },
    fused: (p) => ({ op: 'batchNorm', momentum: p.momentum, eps: p.eps }),
  };
}

/**
 * Batch normalisation over features — PyTorch `nn.BatchNorm1d(num_features, eps=1e-5,
 * momentum=0.1, affine=True)`, channels last. Training normalises with the batch's mean and
 * (biased) variance and updates the running statistics with momentum 0.1 and the *unbiased*
 * variance, exactly as PyTorch; eval mode uses the running statistics:
 * y = γ(x − μ)/√(σ² + eps) + β. (tfjs' own layer would use momentum 1 − 0.1 = 0.9 and the
 * biased variance; this one is a custom `ReactNNBatchNorm` tfjs layer.) A frozen BatchNorm
 * (`trainable={false}`, or inside a frozen container) always uses and keeps its running
 * statistics — PyTorch's `requires_grad_(False)` plus `.eval()`.
 *
 * Input shape: `[features]`, or `[length, channels]` (PyTorch's (N, C, L) with channels last).
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm1d.html
 */
export const BatchNorm1d = defineLayer<BatchNormProps>(
  batchNormDefinition('BatchNorm1d', 'Batch normalisation over features', (input, ctx) => {
    if (input.length > 2) {
      ctx.fail(
        `BatchNorm1d expects [features] or [length, channels] but gets ${describe(input)} — use <BatchNorm2d> for images [height, width, channels]`,
        'shape',
      );
    }
  }),
  { builtin: true },
);

/**
 * Batch normalisation over the channels of images — PyTorch `nn.BatchNorm2d(num_features,
 * eps=1e-5, momentum=0.1, affine=True)` on NHWC tensors: statistics per channel over batch,
 * height and width. Same training/eval behaviour as {@link BatchNorm1d}.
 * Parameters: 2C trainable (γ, β) + 2C non-trainable (running mean and variance).
 *
 * Input shape: `[height, width, channels]`.
 * Output shape: the same.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
 */
export const BatchNorm2d = defineLayer<BatchNormProps>(
  batchNormDefinition('BatchNorm2d', 'Batch normalisation over image channels', (input, ctx) => {
    requireImage('BatchNorm2d', input, ctx);
  }),
  { builtin: true },
);
