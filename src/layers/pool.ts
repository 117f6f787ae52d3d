import * as tf from '@tensorflow/tfjs';
import { describe } from '../errors';
import type { RuleContext, ShapeContext } from '../graph/rules';
import type { Shape } from '../graph/types';
import { hw, requireImage, windowOutput } from './conv';
import type { Apply, BuildContext, CommonProps, LayerDefinition, Resolved } from './define';
import { defineLayer } from './define';
import { pair, prop } from './props';
import { ConstantPad2dLayer } from './tfLayers';

/** Props of `<MaxPool2d>` and `<AvgPool2d>`. */
export interface Pool2dProps extends CommonProps {
  /** Window size: `2` or `[height, width]`. */
  kernelSize: number | [number, number];
  /** Step between windows. Default: `kernelSize` (non-overlapping windows), as PyTorch. */
  stride?: number | [number, number];
  /** Implicit padding on each side, at most half the kernel size (PyTorch's rule). Default 0. */
  padding?: number | [number, number];
}
export type MaxPool2dProps = Pool2dProps;
export type AvgPool2dProps = Pool2dProps;

function normalizePool(p: Resolved<Pool2dProps>, ctx: RuleContext): Resolved<Pool2dProps> {
  const stride = p.stride ?? p.kernelSize;
  const [kh, kw] = pair(p.kernelSize);
  const [ph, pw] = pair(p.padding);
  if (ph > kh / 2 || pw > kw / 2) {
    ctx.fail(
      `padding must be at most half of kernelSize, as in PyTorch (got padding ${describe(p.padding)} with kernelSize ${describe(p.kernelSize)}) — lower the padding or widen the window`,
    );
  }
  return { ...p, stride };
}

function poolOutput(type: string, p: Resolved<Pool2dProps>, input: Shape, ctx: ShapeContext): Shape {
  const [h, w, c] = requireImage(type, input, ctx);
  const [kh, kw] = pair(p.kernelSize);
  const [sh, sw] = pair(p.stride);
  const [ph, pw] = pair(p.padding);
  if (kh > h + 2 * ph || kw > w + 2 * pw) {
    const padded = ph || pw ? ` (${hw(h + 2 * ph, w + 2 * pw)} after padding)` : '';
    ctx.fail(
      `pooling window ${hw(kh, kw)} is larger than its input ${hw(h, w)}${padded} of shape ${describe(input)} — use a smaller kernelSize or remove a downsampling layer before it`,
      'shape',
    );
  }
  // PyTorch's ceil_mode=False: windows that would run past the (padded) edge are dropped.
  return [windowOutput(h, kh, sh, ph), windowOutput(w, kw, sw, pw), c];
}

function poolDefinition(
  type: 'MaxPool2d' | 'AvgPool2d',
  description: string,
  build: LayerDefinition<Pool2dProps>['build'],
): LayerDefinition<Pool2dProps> {
  return {
    type,
    description,
    props: {
      kernelSize: prop.size(),
      stride: prop.size().optional_(),
      padding: prop.nonNegativeSize().optional_(0),
    },
    normalize: normalizePool,
    outputShape: (p, input, ctx) => poolOutput(type, p, input, ctx),
    build,
    fused: (p) => ({
      op: 'pool',
      kind: type === 'MaxPool2d' ? 'max' : 'avg',
      kernel: pair(p.kernelSize),
      stride: pair(p.stride),
      padding: pair(p.padding),
    }),
  };
}

/**
 * Pads by `p.padding` with `value` (a tfjs layer named `…/pad`, only when there is padding),
 * then pools with 'valid' windows — how PyTorch's numeric pool padding maps onto tfjs.
 */
function padThenPool(
  p: Resolved<Pool2dProps>,
  ctx: BuildContext,
  value: number,
  makePool: (args: Parameters<typeof tf.layers.maxPooling2d>[0]) => tf.layers.Layer,
): Apply {
  const [ph, pw] = pair(p.padding);
  const padding: [[number, number], [number, number]] = [
    [ph, ph],
    [pw, pw],
  ];
  const pad = ph || pw ? new ConstantPad2dLayer({ padding, value, name: ctx.name('pad') }) : null;
  const pool = makePool({ poolSize: pair(p.kernelSize), strides: pair(p.stride), padding: 'valid', name: ctx.name() });
  return (x) => pool.apply(pad ? pad.apply(x) : x) as tf.SymbolicTensor;
}

/**
 * Max over each window — PyTorch `nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0)`.
 * Padding is −∞ as in PyTorch (a `ReactNNConstantPad2d` tfjs layer named `…/pad`, then a
 * 'valid' pool), so a padded border never beats negative values; zero padding would.
 *
 * Input shape: `[height, width, channels]`.
 * Output shape: `[⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1, channels]`.
 * @example <MaxPool2d kernelSize={2} />
 * @see https://pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html
 */
export const MaxPool2d = defineLayer<Pool2dProps>(
  poolDefinition('MaxPool2d', 'Max pooling over 2-D windows', (p, ctx) =>
    padThenPool(p, ctx, Number.NEGATIVE_INFINITY, tf.layers.maxPooling2d),
  ),
  { builtin: true },
);

/**
 * Mean over each window — PyTorch `nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0)`
 * with its default `count_include_pad=True`: padded zeros count in the average (a
 * `ZeroPadding2D` tfjs layer named `…/pad`, then a 'valid' pool).
 *
 * Input shape: `[height, width, channels]`.
 * Output shape: `[⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1, channels]`.
 * @example <AvgPool2d kernelSize={2} />
 * @see https://pytorch.org/docs/stable/generated/torch.nn.AvgPool2d.html
 */
export const AvgPool2d = defineLayer<Pool2dProps>(
  poolDefinition('AvgPool2d', 'Average pooling over 2-D windows', (p, ctx) =>
    padThenPool(p, ctx, 0, tf.layers.averagePooling2d),
  ),
  { builtin: true },
);
