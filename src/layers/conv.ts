import * as tf from '@tensorflow/tfjs';
import { describe } from '../errors';
import type { RuleContext } from '../graph/rules';
import type { Shape } from '../graph/types';
import type { Resolved, WeightProps } from './define';
import { defineLayer } from './define';
import { pair, prop } from './props';

/**
 * Checks that `input` is one NHWC image `[height, width, channels]` and returns it.
 * Shared by the 2-D layers (Conv2d, pooling, BatchNorm2d).
 */
export function requireImage(type: string, input: Shape, ctx: RuleContext): [number, number, number] {
  if (input.length !== 3) {
    const hint =
      input.length === 1
        ? ` — give the model an image inputShape such as [28, 28, 1] (not [784]), and keep 2-D layers before any <Flatten />`
        : input.length === 2
          ? ` — add a channel axis: [${input[0]}, ${input[1]}, 1]`
          : ' — shapes here leave out the batch dimension';
    ctx.fail(
      `${type} expects an image [height, width, channels] (NHWC, without the batch dimension) but gets ${describe(input)}${hint}`,
      'shape',
    );
  }
  return [input[0] as number, input[1] as number, input[2] as number];
}

/** `3×3`, for messages. */
export const hw = (h: number, w: number) => `${h}×${w}`;

/**
 * Output size of a strided, padded, dilated window along one axis, as PyTorch
 * computes it: ⌊(size + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1.
 */
export function windowOutput(size: number, kernel: number, stride: number, pad: number, dilation = 1): number {
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

// ---------------------------------------------------------------------------------------------

/** Props of `<Conv2d>`. */
export interface Conv2dProps extends WeightProps {
  /** Number of filters (PyTorch `out_channels`); input channels are inferred. */
  outChannels: number;
  /** Filter size: `3` or `[height, width]`. */
  kernelSize: number | [number, number];
  /** Step between windows. Default 1. */
  stride?: number | [number, number];
  /**
   * Zeros added on each side: a number, `[h, w]`, `'valid'` (= 0) or `'same'` (output
   * size ⌈input / stride⌉, TF's rule; PyTorch allows 'same' only with stride 1). Default 0.
   */
  padding?: number | [number, number] | 'same' | 'valid';
  /** Spacing between kernel taps. Default 1. TensorFlow.js cannot combine dilation > 1 with stride > 1. */
  dilation?: number | [number, number];
  /** Learn a bias per filter. Default `true`. */
  bias?: boolean;
}

interface ConvGeometry {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  /** Numeric padding per side, [h, w]; 0 for 'same'/'valid'. */
  pad: [number, number];
  mode: 'same' | 'valid';
}

function convGeometry(p: Resolved<Conv2dProps>): ConvGeometry {
  const pad: [number, number] = typeof p.padding === 'string' ? [0, 0] : pair(p.padding);
  return {
    kernel: pair(p.kernelSize),
    stride: pair(p.stride),
    dilation: pair(p.dilation),
    pad,
    mode: p.padding === 'same' ? 'same' : 'valid',
  };
}

/**
 * 2-D convolution over NHWC images — PyTorch `nn.Conv2d(in_channels, out_channels,
 * kernel_size, stride, padding, dilation, bias)` with `in_channels` inferred. Numeric padding
 * adds zeros on every side (a `ZeroPadding2D` tfjs layer named `…/pad`) and then convolves
 * 'valid', so sizes follow PyTorch's ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1. Weights and bias start
 * U(−1/√fanIn, 1/√fanIn), fanIn = inC·kh·kw, as PyTorch. The tfjs kernel is
 * `[kh, kw, inC, outC]` (PyTorch's is `[outC, inC, kh, kw]`). A ReLU, Sigmoid, Tanh or ELU (alpha 1) right
 * after it in a chain is folded into its tfjs Conv2D (`activation`), as hand-written tfjs does: the activation
 * keeps a pass-through tfjs layer of its own name, and this node's tfjs layer outputs the activated maps.
 *
 * Input shape: `[height, width, inChannels]`.
 * Output shape: `[outHeight, outWidth, outChannels]`.
 * @example <Conv2d outChannels={8} kernelSize={3} padding={1} />
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html
 */
export const Conv2d = defineLayer<Conv2dProps>(
  {
    type: 'Conv2d',
    description: '2-D convolution',
    hasWeights: true,
    fusesActivation: true,
    props: {
      outChannels: prop.positiveInt(),
      kernelSize: prop.size(),
      stride: prop.size().optional_(1),
      padding: prop.padding().optional_(0),
      dilation: prop.size().optional_(1),
      bias: prop.boolean().optional_(true),
    },
    normalize: (p, ctx) => {
      const { stride, dilation } = convGeometry(p);
      if (dilation.some((d) => d > 1) && stride.some((s) => s > 1)) {
        ctx.fail(
          `dilation > 1 together with stride > 1 is not supported by TensorFlow.js (got stride ${describe(p.stride)}, dilation ${describe(p.dilation)}) — use stride={1} and downsample with a <MaxPool2d> after it, or drop the dilation`,
        );
      }
      if (!p.bias && p.biasInit !== undefined) {
        ctx.fail('biasInit is set but bias={false} — remove one of them');
      }
      return p;
    },
    outputShape: (p, input, ctx) => {
      const [h, w] = requireImage('Conv2d', input, ctx);
      const g = convGeometry(p);
      if (g.mode === 'same') {
        return [Math.ceil(h / g.stride[0]), Math.ceil(w / g.stride[1]), p.outChannels];
      }
      const [kh, kw] = g.kernel;
      const effH = g.dilation[0] * (kh - 1) + 1;
      const effW = g.dilation[1] * (kw - 1) + 1;
      const padH = h + 2 * g.pad[0];
      const padW = w + 2 * g.pad[1];
      if (effH > padH || effW > padW) {
        const dilated = effH !== kh || effW !== kw ? ` (dilated to ${hw(effH, effW)})` : '';
        const padded = g.pad[0] || g.pad[1] ? ` (${hw(padH, padW)} after padding)` : '';
        ctx.fail(
          `kernel ${hw(kh, kw)}${dilated} is larger than its input ${hw(h, w)}${padded} of shape ${describe(input)} — use a smaller kernelSize, add padding, or remove a pooling layer before it`,
          'shape',
        );
      }
      return [
        windowOutput(h, kh, g.stride[0], g.pad[0], g.dilation[0]),
        windowOutput(w, kw, g.stride[1], g.pad[1], g.dilation[1]),
        p.outChannels,
      ];
    },
    params: (p, input) => {
      const [kh, kw] = pair(p.kernelSize);
      const inC = input[2] as number;
      return p.outChannels * inC * kh * kw + (p.bias ? p.outChannels : 0);
    },
    build: (p, ctx) => {
      const g = convGeometry(p);
      const [kh, kw] = g.kernel;
      const inC = ctx.inputShape[2] as number;
      const fans = { fanIn: inC * kh * kw, fanOut: p.outChannels * kh * kw };
      const padding =
        g.pad[0] || g.pad[1]
          ? tf.layers.zeroPadding2d({
              padding: [
                [g.pad[0], g.pad[0]],
                [g.pad[1], g.pad[1]],
              ],
              name: ctx.name('pad'),
            })
          : null;
      const conv = tf.layers.conv2d({
        filters: p.outChannels,
        kernelSize: g.kernel,
        strides: g.stride,
        padding: g.mode,
        dilationRate: g.dilation,
        useBias: p.bias,
        activation: ctx.activation,
        kernelInitializer: ctx.initializer('weight', fans),
        biasInitializer: ctx.initializer('bias', fans),
        trainable: ctx.trainable,
        name: ctx.name(),
      });
      return (x) => conv.apply(padding ? padding.apply(x) : x) as tf.SymbolicTensor;
    },
    fused: (p) => {
      const g = convGeometry(p);
      return {
        op: 'conv2d',
        kernel: g.kernel,
        stride: g.stride,
        dilation: g.dilation,
        padding: g.mode === 'same' ? 'same' : g.pad,
      };
    },
  },
  { builtin: true },
);
