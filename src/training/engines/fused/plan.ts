/**
 * Planning for the fused engines: whether a graph, loss and optimizer can run fused (and if
 * not, why), and the flat description of the network both fused engines execute — a list of
 * ops over per-sample feature vectors plus one flat parameter buffer laid out exactly as the
 * tfjs weights are (Dense kernels `[in, out]` row-major), so syncing is a copy per weight.
 */
import type * as tf from '@tensorflow/tfjs';
import type { AnalyzedGraph, AnalyzedNode } from '../../../graph/types';
import { DropoutLayer } from '../../../layers/tfLayers';
import type { ResolvedLoss } from '../../losses';
import type { Optimizer } from '../../optimizers';
import type { StepConfig } from '../types';

/** Element-wise activations the fused engines run. */
export type ActFn = 'relu' | 'leakyRelu' | 'prelu' | 'elu' | 'gelu' | 'geluTanh' | 'tanh' | 'sigmoid' | 'bentIdentity';

/** One fused op. Sizes are per sample (features, flattened). */
export type OpSpec =
  | { op: 'linear'; inSize: number; outSize: number; w: number; b: number; path: string }
  /** `alpha`: LeakyReLU slope or ELU alpha; `p`: PReLU's parameter index (−1 otherwise); `channels`: PReLU slopes (1 = shared). */
  | { op: 'act'; fn: ActFn; size: number; alpha: number; p: number; channels: number; path: string }
  | { op: 'dropout'; size: number; rate: number; seed: number; path: string };

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

export type LossKind = 'mse' | 'mae' | 'huber' | 'bce' | 'bceWithLogits' | 'crossEntropy';

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

const ACTIVATIONS: Record<string, ActFn | 'identity'> = {
  ReLU: 'relu',
  LeakyReLU: 'leakyRelu',
  PReLU: 'prelu',
  ELU: 'elu',
  GELU: 'gelu',
  Tanh: 'tanh',
  Sigmoid: 'sigmoid',
  BentIdentity: 'bentIdentity',
  Identity: 'identity',
};

const SUPPORTED_LAYERS =
  'Linear, ReLU, LeakyReLU, PReLU, ELU, GELU, Tanh, Sigmoid, Identity, BentIdentity, Dropout, Flatten';

/** Optimizer and loss options a fused engine needs, read from the trainer's step config. */
export type FusedConfig = Pick<StepConfig, 'loss' | 'optimizer' | 'regularization' | 'clipGradNorm' | 'clipGradValue'>;

/**
 * Why this graph/loss/optimizer cannot run fused, naming the layer path, loss or optimizer —
 * or null when it can.
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
    reason = nodeUnsupported(node);
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

function nodeUnsupported(node: AnalyzedNode): string | null {
  const type = node.node.type;
  if (type === 'Linear') {
    if (node.inputShape.length !== 1) {
      return `${node.path} (Linear over inputs of shape [${node.inputShape.join(', ')}]) is not supported by the fused engines — they run Linear on [features] inputs`;
    }
    return null;
  }
  if (type === 'Dropout' || type === 'Flatten') return null;
  if (type in ACTIVATIONS) return null;
  return `${node.path} is a ${type}, which the fused engines do not run (they run ${SUPPORTED_LAYERS})`;
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
  const addParam = (w: tf.LayerVariable): number => {
    const shape = w.shape.map((d) => d ?? 1);
    const size = product(shape);
    params.push({
      name: w.originalName,
      offset: total,
      size,
      shape,
      decay: DECAYED.test(w.originalName),
      trainable: trainable.has(w.originalName),
    });
    total += size;
    return params.length - 1;
  };
  const weightOf = (layer: tf.layers.Layer, suffix: string): tf.LayerVariable | undefined =>
    layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`));

  visitLeaves(graph.root, (node) => {
    const type = node.node.type;
    const size = product(node.inputShape);
    const props = node.props as Record<string, unknown>;
    if (type === 'Flatten' || type === 'Identity') return;
    const layer = model.getLayer(node.id);
    if (type === 'Linear') {
      const kernel = weightOf(layer, 'kernel');
      if (!kernel) throw new Error(`${node.path}: no kernel weight in the compiled model`);
      const w = addParam(kernel);
      const biasVar = weightOf(layer, 'bias');
      const b = biasVar ? addParam(biasVar) : -1;
      ops.push({
        op: 'linear',
        inSize: node.inputShape[0] as number,
        outSize: node.outputShape[0] as number,
        w,
        b,
        path: node.path,
      });
      return;
    }
    if (type === 'Dropout') {
      const rate = layer instanceof DropoutLayer ? layer.rate : Number(props.p ?? 0.5);
      const seed = layer instanceof DropoutLayer && layer.seed !== undefined ? layer.seed : 0;
      if (rate > 0) ops.push({ op: 'dropout', size, rate, seed, path: node.path });
      return;
    }
    const fn = ACTIVATIONS[type] as ActFn;
    let alpha = 0;
    let p = -1;
    let channels = 1;
    if (type === 'LeakyReLU') alpha = Number(props.negativeSlope ?? 0.01);
    if (type === 'ELU') alpha = Number(props.alpha ?? 1);
    if (type === 'PReLU') {
      const a = weightOf(layer, 'alpha');
      if (!a) throw new Error(`${node.path}: no alpha weight in the compiled model`);
      p = addParam(a);
      channels = (params[p] as ParamSpec).size;
    }
    const act: ActFn = type === 'GELU' && props.approximate === 'tanh' ? 'geluTanh' : fn;
    ops.push({ op: 'act', fn: act, size, alpha, p, channels, path: node.path });
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

/** The family an optimizer's state belongs to (Adam and AdamW share moments, as in Optimizer). */
export function familyOf(type: string): 'sgd' | 'adam' {
  return type === 'sgd' ? 'sgd' : 'adam';
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
