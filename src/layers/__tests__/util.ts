import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { ReactNNError } from '../../errors';
import { analyzeGraph } from '../../graph/analyze';
import type { AnalyzedGraph, GraphNode, Shape } from '../../graph/types';
import { getLayer } from '../define';
// Registers every built-in layer.
import '../index';

/** A hand-made node, as the reconciler would build from `<type {...props}>{children}</type>`. */
export function el(type: string, props: Record<string, unknown> = {}, ...children: GraphNode[]): GraphNode {
  const { key = null, ...rest } = props as { key?: string | null };
  return { type, props: rest, key, children };
}

/** `<Sequential>` around `layers`. */
export const seq = (...layers: GraphNode[]): GraphNode => el('Sequential', {}, ...layers);

/** Shape inference and parameter counts, no tfjs. */
export function analyze(node: GraphNode, inputShape: Shape): AnalyzedGraph {
  return analyzeGraph(node, inputShape, getLayer);
}

/** Output shape of one layer inside a Sequential. */
export function outShape(layer: GraphNode, inputShape: Shape): Shape {
  return analyze(seq(layer), inputShape).outputShape;
}

/** The thrown ReactNNError (fails the test when nothing or something else is thrown). */
export function errorOf(fn: () => unknown): ReactNNError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReactNNError);
    return e as ReactNNError;
  }
  throw new Error('expected a ReactNNError, but nothing was thrown');
}

/** tfjs layers a node built, found by the node id prefix (`Sequential/Linear_0`, `…/Linear_0.pad`). */
export function tfLayersOf(model: tf.LayersModel, id: string): tf.layers.Layer[] {
  return model.layers.filter((l) => l.name === id || l.name.startsWith(`${id}.`));
}

/** The main tfjs layer of a node (named exactly after its id). */
export function tfLayer(model: tf.LayersModel, id: string): tf.layers.Layer {
  const layer = model.layers.find((l) => l.name === id);
  if (!layer) throw new Error(`no tfjs layer named ${id}; have ${model.layers.map((l) => l.name).join(', ')}`);
  return layer;
}

/** Runs one example (no batch dim) through the model and returns the nested output array. */
export function run(model: tf.LayersModel, example: number[] | number[][] | number[][][]): unknown {
  return tf.tidy(() => {
    const x = tf.tensor(example).expandDims(0);
    return (model.predict(x) as tf.Tensor).squeeze([0]).arraySync();
  });
}

/** Asserts two nested number arrays are equal elementwise within `tol`. */
export function expectClose(actual: unknown, expected: unknown, tol: number): void {
  const a = [actual].flat(Number.POSITIVE_INFINITY) as number[];
  const e = [expected].flat(Number.POSITIVE_INFINITY) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    const want = e[i] as number;
    if (Math.abs(v - want) > tol) {
      throw new Error(`element ${i}: got ${v}, expected ${want} (±${tol}); all: ${JSON.stringify(actual)}`);
    }
  });
}
