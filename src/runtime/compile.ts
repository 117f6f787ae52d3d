import * as tf from '@tensorflow/tfjs';
import { ReactNNError } from '../errors';
import { analyzeGraph } from '../graph/analyze';
import type { AnalyzedGraph, AnalyzedNode, GraphNode, Shape } from '../graph/types';
import { type BuildContext, getLayer } from '../layers/define';
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
}

/**
 * Builds a functional `tf.LayersModel` from an analysed graph. Each node's tfjs layers are
 * named after its identity, which is what lets `carryOverWeights` match them after an edit.
 */
export function compileGraph(graph: AnalyzedGraph, options: CompileOptions = {}): tf.LayersModel {
  const seed = options.seed ?? randomSeed();
  const input = tf.input({ shape: [...graph.inputShape], name: 'input' });
  const output = buildNode(graph.root, input, seed);
  return tf.model({ inputs: input, outputs: output, name: 'react_nn' });
}

function buildNode(node: AnalyzedNode, x: tf.SymbolicTensor, seed: number): tf.SymbolicTensor {
  const layer = getLayer(node.node.type);
  if (!layer) throw new ReactNNError('structure', node.path, `<${node.node.type}> is not a registered layer`);
  const props = node.props as Record<string, unknown>;
  const ctx: BuildContext = {
    path: node.path,
    id: node.id,
    inputShape: node.inputShape,
    outputShape: node.outputShape,
    trainable: node.trainable,
    seed: deriveSeed(seed, node.id),
    name: (suffix) => (suffix ? `${node.id}.${suffix}` : node.id),
    initializer: (role, fans, spec) => {
      const chosen = spec ?? ((role === 'weight' ? props.weightInit : props.biasInit) as InitSpec | undefined);
      return resolveInit(chosen, fans, deriveSeed(seed, `${node.id}:${role}`));
    },
    chain: (input) => node.children.reduce((acc, child) => buildNode(child, acc, seed), input),
    branches: (input) => node.children.map((child) => buildNode(child, input, seed)),
  };
  const apply = layer.definition.build(props as never, ctx);
  try {
    return apply(x);
  } catch (e) {
    if (e instanceof ReactNNError) throw e;
    // A shape rule that disagrees with tfjs is our bug, but the user still needs the layer path.
    throw new ReactNNError('shape', node.path, `tfjs could not build this layer: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
