import { describe, ReactNNError, type ReactNNErrorCode } from '../errors';
import { joinId, joinPath, nthOfTypeIndices, segmentId, segmentLabel } from './path';
import type { RuleLookup, ShapeContext, ShapeRule } from './rules';
import type { AnalyzedGraph, AnalyzedNode, GraphNode, ParamCount, Shape } from './types';

/**
 * Validates a node tree and infers every shape and parameter count, without tfjs.
 * Throws the first problem as a ReactNNError whose path names the layer.
 */
export function analyzeGraph(root: GraphNode, inputShape: Shape | undefined, lookup: RuleLookup): AnalyzedGraph {
  checkInputShape(inputShape, root.type);
  const ids = new Set<string>();
  const analyzed = analyzeNode(root, inputShape, { path: '', id: '', trainable: true, lookup, ids }, -1, null);
  let total = 0;
  let trainable = 0;
  walk(analyzed, (n) => {
    total += n.params.trainable + n.params.nonTrainable;
    trainable += n.params.trainable;
  });
  return {
    root: analyzed,
    inputShape,
    outputShape: analyzed.outputShape,
    totalParams: total,
    trainableParams: trainable,
  };
}

/**
 * The leaf layer that produces a node's output: a container's last child, recursively (the node
 * itself for a leaf). `outputLeaf(graph.root)` is the model's last layer — the one whose type says
 * whether the model ends in probabilities (Sigmoid, Softmax) or logits.
 */
export function outputLeaf(node: AnalyzedNode): AnalyzedNode {
  const last = node.children.at(-1);
  return last ? outputLeaf(last) : node;
}

/** Visits nodes parent-first. */
export function walk(node: AnalyzedNode, visit: (n: AnalyzedNode) => void): void {
  visit(node);
  for (const c of node.children) walk(c, visit);
}

function checkInputShape(inputShape: Shape | undefined, rootType: string): asserts inputShape is Shape {
  if (inputShape === undefined || inputShape === null) {
    throw new ReactNNError(
      'option',
      rootType,
      'the model needs an inputShape, the shape of one example without the batch dimension — e.g. inputShape={[2]} for 2 features or inputShape={[28, 28, 1]} for MNIST (NHWC)',
    );
  }
  const ok =
    Array.isArray(inputShape) && inputShape.length > 0 && inputShape.every((d) => Number.isInteger(d) && d > 0);
  if (!ok) {
    throw new ReactNNError(
      'option',
      rootType,
      `inputShape must be a non-empty array of positive integers, without the batch dimension (got ${describe(inputShape)})`,
    );
  }
}

interface Scope {
  path: string;
  id: string;
  trainable: boolean;
  lookup: RuleLookup;
  ids: Set<string>;
}

type Source = { readonly path: string; readonly type: string } | null;

function analyzeNode(node: GraphNode, input: Shape, parent: Scope, nthOfType: number, source: Source): AnalyzedNode {
  // The root is named by its type alone: `Sequential > Linear[0]`, not `Sequential[0] > …`.
  const isRoot = nthOfType < 0;
  const label = isRoot && node.key == null && !node.props.name ? node.type : segmentLabel(node, nthOfType);
  const path = joinPath(parent.path, label);
  const id = isRoot && node.key == null && !node.props.name ? node.type : joinId(parent.id, segmentId(node, nthOfType));
  const fail = (message: string, code: ReactNNErrorCode = 'prop'): never => {
    throw new ReactNNError(code, path, message);
  };

  if (node.text !== undefined) {
    fail(
      `text ${JSON.stringify(node.text.trim())} cannot be part of a model — only react-nn layers can; move it outside <Model>`,
      'structure',
    );
  }
  const rule = parent.lookup(node.type);
  if (!rule) {
    fail(
      `<${node.type}> is not a react-nn layer. Inside a model use layers such as <Linear>, <Conv2d> or <ReLU> (or your own from defineLayer); render other elements outside <Model>`,
      'structure',
    );
  }
  const r = rule as ShapeRule;
  if (parent.ids.has(id)) {
    fail(`two layers share the identity "${id}" — give them different key or name props`, 'structure');
  }
  parent.ids.add(id);

  const props = r.normalizeProps(node.props, { path, fail });
  const trainable = parent.trainable && props.trainable !== false;
  const scope: Scope = { ...parent, path, id, trainable };
  const children: AnalyzedNode[] = [];

  if (!r.container && node.children.length > 0) {
    fail(
      `<${node.type}> takes no children (got ${node.children.length}); put layers side by side inside a <Sequential>`,
      'structure',
    );
  }

  const nth = nthOfTypeIndices(node.children);
  const analyzeChild = (i: number, x: Shape, from: Source) => {
    const child = analyzeNode(node.children[i] as GraphNode, x, scope, nth[i] as number, from);
    children.push(child);
    return child;
  };
  const ctx: ShapeContext = {
    path,
    fail,
    source,
    childCount: node.children.length,
    // Composition layers (Add, Concat) name the branches that disagree; same labels as the children get.
    // Only error messages read these, so they are made on first use.
    get childPaths() {
      return node.children.map((c, i) => joinPath(path, segmentLabel(c, nth[i] as number)));
    },
    chain: (x) => {
      let shape = x;
      let from = source;
      node.children.forEach((_c, i) => {
        const child = analyzeChild(i, shape, from);
        shape = child.outputShape;
        const leaf = outputLeaf(child);
        from = { path: leaf.path, type: leaf.node.type };
      });
      return shape;
    },
    branches: (x) => node.children.map((_c, i) => analyzeChild(i, x, source).outputShape),
  };
  const outputShape = r.outputShape(props, input, ctx);
  const own = r.params(props, input);
  // A frozen layer's parameters still exist; they just stop training (Keras' non-trainable).
  const params: ParamCount = trainable ? own : { trainable: 0, nonTrainable: own.trainable + own.nonTrainable };
  return { node, props, path, id, inputShape: input, outputShape, params, trainable, children };
}
