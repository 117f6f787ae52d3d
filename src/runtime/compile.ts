import * as tf from '@tensorflow/tfjs';
import { ReactNNError } from '../errors';
import { analyzeGraph } from '../graph/analyze';
import type { AnalyzedGraph, AnalyzedNode, GraphNode, Shape } from '../graph/types';
import { type BuildContext, type DefinedLayer, type FusedActivation, getLayer } from '../layers/define';
import { resolveInit } from '../layers/init';
import type { InitSpec } from '../layers/props';
import { deriveSeed, randomSeed } from '../random';

/** Validates a node tree against the registered layers and infers every shape. */
export function analyze(root: GraphNode, inputShape: Shape | undefined): AnalyzedGraph {
  return analyzeGraph(root, inputShape, getLayer);
}

export interface CompileOptions {
  /** Seeds every initialiser and dropout layer; the same seed gives the same weights. */
  seed?: number;
  /**
   * Fold an activation (ReLU, Sigmoid, Tanh, ELU with alpha 1) into the Linear or Conv2d right before it
   * in a chain, as hand-written tfjs does with `activation: 'relu'`. Default true; see {@link compileGraph}.
   */
  fuseActivations?: boolean;
}

/**
 * Builds a functional `tf.LayersModel` from an analysed graph. Each node's tfjs layers are
 * named after its identity, which is what lets `carryOverWeights` match them after an edit.
 *
 * Activation folding (`fuseActivations`, on by default): when a Linear or Conv2d is directly followed,
 * in the same chain, by an activation that a tfjs Dense/Conv2D computes itself, the activation becomes
 * that layer's `activation` — tfjs then runs relu/elu fused with the matMul/conv kernel, and in training
 * skips the input gradient that its fused 'linear' kernel always computes. What stays the same:
 * - every node still has a tfjs layer named by its id, in the same order: the folded activation's is a
 *   pass-through (`Activation('linear')`), so `model.getLayer(activationId).output`, `model.layers`
 *   indices, saved configs' layer names and the fused training engines' lookups all work as before;
 * - weight names and shapes (`<id>/kernel`, `<id>/bias`) and initial values: carry-over keeps the
 *   Linear's weights when an activation after it is inserted or removed.
 * What changes: `model.getLayer(linearOrConvId).output` is the *activated* output (the same tensor values
 * as the activation's), as in a hand-written `dense({ activation: 'relu' })` — so FilterGrid's feature maps
 * of a Conv2d followed by a ReLU are the maps after the ReLU, and a saved model cut (`<Pretrained upTo>`) at
 * such a Linear ends after its activation. Pass `fuseActivations: false` where the pre-activation output is
 * needed.
 */
export function compileGraph(graph: AnalyzedGraph, options: CompileOptions = {}): tf.LayersModel {
  const seed = options.seed ?? randomSeed();
  const fuse = options.fuseActivations ?? true;
  const input = tf.input({ shape: [...graph.inputShape], name: 'input' });
  const output = buildNode(graph.root, input, seed, fuse, 'linear');
  return tf.model({ inputs: input, outputs: output, name: 'react_nn' });
}

function layerOf(node: AnalyzedNode): DefinedLayer {
  const layer = getLayer(node.node.type);
  if (!layer) throw new ReactNNError('structure', node.path, `<${node.node.type}> is not a registered layer`);
  return layer;
}

/** The activation `next` computes, when it can be folded into `prev` (both direct children of one chain). */
function foldable(prev: AnalyzedNode, next: AnalyzedNode | undefined): FusedActivation | null {
  if (!next || next.children.length > 0 || prev.children.length > 0) return null;
  const p = getLayer(prev.node.type)?.definition;
  if (!p?.fusesActivation) return null;
  const n = getLayer(next.node.type)?.definition;
  return n?.fusedActivation?.(next.props as never) ?? null;
}

/** Applies `children` in order; with `fuse`, folds each foldable activation into the layer before it. */
function buildChain(
  children: readonly AnalyzedNode[],
  x: tf.SymbolicTensor,
  seed: number,
  fuse: boolean,
): tf.SymbolicTensor {
  let acc = x;
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as AnalyzedNode;
    const next = children[i + 1];
    const folded = fuse ? foldable(child, next) : null;
    acc = buildNode(child, acc, seed, fuse, folded ?? 'linear');
    if (folded && next) {
      // The activation already ran inside `child`'s layer; its own layer passes that output on, under its name.
      const alias = tf.layers.activation({ activation: 'linear', name: next.id });
      acc = applyLayer(next, () => alias.apply(acc) as tf.SymbolicTensor);
      i++;
    }
  }
  return acc;
}

function buildNode(
  node: AnalyzedNode,
  x: tf.SymbolicTensor,
  seed: number,
  fuse: boolean,
  activation: FusedActivation,
): tf.SymbolicTensor {
  const layer = layerOf(node);
  const props = node.props as Record<string, unknown>;
  const ctx: BuildContext = {
    path: node.path,
    id: node.id,
    inputShape: node.inputShape,
    outputShape: node.outputShape,
    trainable: node.trainable,
    seed: deriveSeed(seed, node.id),
    activation,
    name: (suffix) => (suffix ? `${node.id}.${suffix}` : node.id),
    initializer: (role, fans, spec) => {
      const chosen = spec ?? ((role === 'weight' ? props.weightInit : props.biasInit) as InitSpec | undefined);
      return resolveInit(chosen, fans, deriveSeed(seed, `${node.id}:${role}`));
    },
    chain: (input) => buildChain(node.children, input, seed, fuse),
    branches: (input) => node.children.map((child) => buildNode(child, input, seed, fuse, 'linear')),
  };
  const apply = layer.definition.build(props as never, ctx);
  return applyLayer(node, () => apply(x));
}

function applyLayer(node: AnalyzedNode, apply: () => tf.SymbolicTensor): tf.SymbolicTensor {
  try {
    return apply();
  } catch (e) {
    if (e instanceof ReactNNError) throw e;
    // A shape rule that disagrees with tfjs is our bug, but the user still needs the layer path.
    throw new ReactNNError('shape', node.path, `tfjs could not build this layer: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
