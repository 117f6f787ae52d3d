/**
 * Planning for the fused engines: whether a graph, loss and optimizer can run fused (and if
 * not, why), and the flat description of the network both fused engines execute — a list of
 * ops over per-sample feature vectors plus one flat parameter buffer laid out exactly as the
 * tfjs weights are (Dense kernels `[in, out]` row-major), so syncing is a copy per weight.
 */
import type * as tf from '@tensorflow/tfjs';
import type { AnalyzedGraph, AnalyzedNode } from '../../../graph/types';
import { type FusedForm, getLayer } from '../../../layers/define';
import { DropoutLayer } from '../../../layers/tfLayers';
import type { ResolvedLoss } from '../../losses';
import { familyOf, type Optimizer, slotsOf } from '../../optimizers';
import type { StepConfig } from '../types';
import type { ActFn, LossKind } from './rules';

export type { ActFn, LossKind } from './rules';

/** Image geometry of a windowed op (conv, pool): input H×W×C → output OH×OW, NHWC. */
export interface Window {
  H: number;
  W: number;
  C: number;
  OH: number;
  OW: number;
  KH: number;
  KW: number;
  SH: number;
  SW: number;
  DH: number;
  DW: number;
  /** Zero (or −∞) rows above and columns left of the input; the far sides get what the window needs. */
  PT: number;
  PL: number;
}

/** One fused op. Sizes are per sample (features, flattened; images NHWC, channels innermost). */
export type OpSpec =
  | { op: 'linear'; inSize: number; outSize: number; w: number; b: number; path: string }
  /** `alpha`: LeakyReLU slope or ELU alpha; `p`: PReLU's parameter index (−1 otherwise); `channels`: PReLU slopes (1 = shared). */
  | { op: 'act'; fn: ActFn; size: number; alpha: number; p: number; channels: number; path: string }
  | { op: 'dropout'; size: number; rate: number; seed: number; path: string }
  /** Kernel `w` [KH, KW, C, F] (tfjs' layout), bias `b` [F] or −1. */
  | ({ op: 'conv2d'; size: number; outSize: number; F: number; w: number; b: number; path: string } & Window)
  | ({ op: 'pool'; kind: 'max' | 'avg'; size: number; outSize: number; path: string } & Window)
  /**
   * Batch normalisation over the last axis (`C` channels; `size` / C positions per sample).
   * `gamma`/`beta` −1 when not affine; `mean`/`variance` are the running statistics (parameters
   * that never train), updated PyTorch's way in training.
   */
  | {
      op: 'batchNorm';
      size: number;
      C: number;
      momentum: number;
      eps: number;
      gamma: number;
      beta: number;
      mean: number;
      variance: number;
      /** Runs on the running statistics, as in inference (a frozen layer, like the tfjs layer's `trainable: false`). */
      frozen: boolean;
      path: string;
    };

/** Per-sample output size of an op. */
export function outSizeOf(o: OpSpec): number {
  return o.op === 'linear' || o.op === 'conv2d' || o.op === 'pool' ? o.outSize : o.size;
}

/** One weight tensor inside the flat parameter buffer. */
export interface ParamSpec {
  /** `LayerVariable.originalName`, e.g. `Sequential/Linear_0/kernel`. */
  name: string;
  offset: number;
  size: number;
  shape: number[];
  /** L1/L2 applies (kernels, as the tfjs engine's `paramsOf`). */
  decay: boolean;
  trainable: boolean;
}

/** Everything a fused kernel needs to know about the network; plain data (it is posted to Workers). */
export interface KernelSpec {
  inputSize: number;
  outputSize: number;
  ops: OpSpec[];
  params: ParamSpec[];
  totalParams: number;
  loss: { kind: LossKind; delta: number; labelSmoothing: number };
}

/** Optimizer settings as the kernels read them; rebuilt from the live config every chunk. */
export interface OptSpec {
  /** 0 sgd, 1 adam, 2 adamw. */
  kind: 0 | 1 | 2;
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  l1: number;
  l2: number;
  /** 0 = off. */
  clipNorm: number;
  /** 0 = off. */
  clipValue: number;
  /** Changes whenever state must start over (a new Optimizer object, or another optimizer family). */
  generation: number;
  /** The slots these settings read (`slotsOf` in optimizers.ts); the kernels drop the others. */
  slots: { buf: boolean; m: boolean; v: boolean };
}

const LOSSES: Record<string, LossKind> = {
  mse: 'mse',
  mae: 'mae',
  huber: 'huber',
  bce: 'bce',
  multiLabelBce: 'bce',
  bceWithLogits: 'bceWithLogits',
  crossEntropy: 'crossEntropy',
};

/** Optimizer and loss options a fused engine needs, read from the trainer's step config. */
export type FusedConfig = Pick<StepConfig, 'loss' | 'optimizer' | 'regularization' | 'clipGradNorm' | 'clipGradValue'>;

/**
 * Why this graph/loss/optimizer cannot run fused (on either engine: both run every FusedForm),
 * naming the layer path, loss or optimizer — or null when it can.
 */
export function unsupportedReason(
  graph: AnalyzedGraph,
  config: Pick<FusedConfig, 'loss' | 'optimizer'>,
): string | null {
  const lossReason = lossUnsupported(config.loss);
  if (lossReason) return lossReason;
  const type = config.optimizer.config.type;
  if (type !== 'sgd' && type !== 'adam' && type !== 'adamw') {
    return `optimizer "${type}" is not supported by the fused engines (sgd, adam and adamw are)`;
  }
  let reason: string | null = null;
  visitLeaves(graph.root, (node) => {
    if (reason) return;
    const form = fusedFormOf(node);
    if (typeof form === 'string') reason = form;
  });
  if (reason) return reason;
  if (config.loss.name === 'crossEntropy' && graph.outputShape.length !== 1) {
    return `crossEntropy over outputs of shape [${graph.outputShape.join(', ')}] is not supported by the fused engines (one row of logits per sample is)`;
  }
  return null;
}

function lossUnsupported(loss: ResolvedLoss): string | null {
  if (loss.custom) return `the loss is a custom function ("${loss.name}"), which the fused engines cannot run`;
  if (!(loss.name in LOSSES)) return `loss "${loss.name}" is not supported by the fused engines`;
  return null;
}

/** The layer's own declaration of how the fused engines run it (`LayerDefinition.fused`), or why not. */
function fusedFormOf(node: AnalyzedNode): FusedForm | string {
  const type = node.node.type;
  const fused = getLayer(type)?.definition.fused;
  if (!fused) return `${node.path} is a ${type}, which the fused engines do not run (its layer declares no fused form)`;
  const form = fused(node.props as never, node.inputShape);
  return typeof form === 'string' ? `${node.path}: ${form}` : form;
}

/** Visits the leaves of a tree of Sequential containers; any other container is itself a leaf (and unsupported). */
function visitLeaves(node: AnalyzedNode, visit: (n: AnalyzedNode) => void): void {
  if (node.node.type === 'Sequential') {
    for (const c of node.children) visitLeaves(c, visit);
    return;
  }
  visit(node);
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const DECAYED = /(kernel|embeddings)$/;

/** tfjs' 'same' padding before the input on one axis (the rest goes after it). */
function samePadBefore(size: number, kernel: number, stride: number, dilation: number): number {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  return Math.floor(total / 2);
}

/**
 * Builds the kernel spec of a supported graph against its compiled model (for weight names,
 * shapes and trainability, and the dropout layers' seeds). Call only after
 * {@link unsupportedReason} returned null for this graph.
 */
export function buildSpec(graph: AnalyzedGraph, model: tf.LayersModel, loss: ResolvedLoss): KernelSpec {
  const ops: OpSpec[] = [];
  const params: ParamSpec[] = [];
  let total = 0;
  // A frozen layer's variables may still say trainable: the model's list is what the tfjs engine trains.
  const trainable = new Set(model.trainableWeights.map((w) => w.originalName));
  const addParam = (w: tf.LayerVariable, trains = true): number => {
    const shape = w.shape.map((d) => d ?? 1);
    const size = product(shape);
    params.push({
      name: w.originalName,
      offset: total,
      size,
      shape,
      decay: DECAYED.test(w.originalName),
      trainable: trains && trainable.has(w.originalName),
    });
    total += size;
    return params.length - 1;
  };
  const weightOf = (layer: tf.layers.Layer, suffix: string): tf.LayerVariable | undefined =>
    layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`));
  const required = (node: AnalyzedNode, layer: tf.layers.Layer, suffix: string): tf.LayerVariable => {
    const w = weightOf(layer, suffix);
    if (!w) throw new Error(`${node.path}: no ${suffix} weight in the compiled model`);
    return w;
  };

  visitLeaves(graph.root, (node) => {
    const form = fusedFormOf(node);
    if (typeof form === 'string') throw new Error(form);
    if (form.op === 'identity') return;
    const size = product(node.inputShape);
    const outSize = product(node.outputShape);
    const path = node.path;
    const layer = model.getLayer(node.id);
    switch (form.op) {
      case 'linear': {
        const w = addParam(required(node, layer, 'kernel'));
        const biasVar = weightOf(layer, 'bias');
        const b = biasVar ? addParam(biasVar) : -1;
        ops.push({ op: 'linear', inSize: size, outSize, w, b, path });
        return;
      }
      case 'dropout': {
        const rate = layer instanceof DropoutLayer ? layer.rate : form.rate;
        // The stream starts where the layer's is (its draws so far), so a resumed run or a hand-over
        // from the tfjs engine draws the masks the layer would have drawn next.
        const seed =
          layer instanceof DropoutLayer && layer.seed !== undefined
            ? DropoutLayer.streamAt(layer.seed, layer.draws)
            : 0;
        if (rate > 0) ops.push({ op: 'dropout', size, rate, seed, path });
        return;
      }
      case 'activation': {
        let p = -1;
        let channels = 1;
        if (form.weight) {
          p = addParam(required(node, layer, form.weight));
          channels = (params[p] as ParamSpec).size;
        }
        ops.push({ op: 'act', fn: form.fn, size, alpha: form.alpha, p, channels, path });
        return;
      }
      case 'conv2d':
      case 'pool': {
        const [H, W, C] = node.inputShape as [number, number, number];
        const [OH, OW] = node.outputShape as [number, number, number];
        const [KH, KW] = form.kernel;
        const [SH, SW] = form.stride;
        const [DH, DW] = form.op === 'conv2d' ? form.dilation : [1, 1];
        const pad = form.padding;
        const PT = pad === 'same' ? samePadBefore(H, KH, SH, DH) : pad[0];
        const PL = pad === 'same' ? samePadBefore(W, KW, SW, DW) : pad[1];
        const win = { H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL };
        if (form.op === 'pool') {
          ops.push({ op: 'pool', kind: form.kind, size, outSize, path, ...win });
          return;
        }
        const w = addParam(required(node, layer, 'kernel'));
        const biasVar = weightOf(layer, 'bias');
        const b = biasVar ? addParam(biasVar) : -1;
        const F = node.outputShape[2] as number;
        ops.push({ op: 'conv2d', size, outSize, F, w, b, path, ...win });
        return;
      }
      case 'batchNorm': {
        const C = node.inputShape[node.inputShape.length - 1] as number;
        const g = weightOf(layer, 'gamma');
        const bt = weightOf(layer, 'beta');
        const gamma = g ? addParam(g) : -1;
        const beta = bt ? addParam(bt) : -1;
        const mean = addParam(required(node, layer, 'moving_mean'), false);
        const variance = addParam(required(node, layer, 'moving_variance'), false);
        // A frozen BatchNorm runs as in inference (its statistics stay put), as the tfjs layer does.
        const frozen = g ? !trainable.has(g.originalName) : !layer.trainable;
        ops.push({
          op: 'batchNorm',
          size,
          C,
          momentum: form.momentum,
          eps: form.eps,
          gamma,
          beta,
          mean,
          variance,
          frozen,
          path,
        });
        return;
      }
    }
  });
  const outputSize = product(graph.outputShape);
  const kind = LOSSES[loss.name] as LossKind;
  return {
    inputSize: product(graph.inputShape),
    outputSize,
    ops,
    params,
    totalParams: total,
    loss: { kind, delta: loss.options.delta ?? 1, labelSmoothing: loss.options.labelSmoothing ?? 0 },
  };
}

/**
 * Tracks when optimizer state must start over: a new Optimizer object (trainer.reset) or a
 * switch between families (sgd ↔ adam/adamw), exactly when `Optimizer.setConfig` drops it.
 */
export function createGenerationCounter(): (optimizer: Optimizer) => number {
  let last: Optimizer | null = null;
  let family: string | null = null;
  let generation = 0;
  return (optimizer) => {
    const f = familyOf(optimizer.config.type);
    if (optimizer !== last || f !== family) {
      if (last !== null) generation++;
      last = optimizer;
      family = f;
    }
    return generation;
  };
}

/** The kernels' optimizer settings from the live step config. */
export function optSpec(config: FusedConfig, generation: number): OptSpec {
  const c = config.optimizer.config;
  const reg = config.regularization;
  const base = {
    lr: c.lr,
    l1: reg?.l1 ?? 0,
    l2: reg?.l2 ?? 0,
    clipNorm: config.clipGradNorm ?? 0,
    clipValue: config.clipGradValue ?? 0,
    generation,
    slots: slotFlags(config.optimizer),
  };
  if (c.type === 'sgd') {
    return {
      ...base,
      kind: 0,
      momentum: c.momentum,
      dampening: c.dampening,
      nesterov: c.nesterov,
      weightDecay: c.weightDecay,
      beta1: 0,
      beta2: 0,
      eps: 0,
    };
  }
  if (c.type === 'adam' || c.type === 'adamw') {
    return {
      ...base,
      kind: c.type === 'adam' ? 1 : 2,
      momentum: 0,
      dampening: 0,
      nesterov: false,
      weightDecay: c.weightDecay,
      beta1: c.betas[0],
      beta2: c.betas[1],
      eps: c.eps,
    };
  }
  throw new Error(`optimizer ${c.type} is not fused`);
}

function slotFlags(optimizer: Optimizer): OptSpec['slots'] {
  const slots = slotsOf(optimizer.config);
  return { buf: slots.includes('momentumBuffer'), m: slots.includes('expAvg'), v: slots.includes('expAvgSq') };
}
