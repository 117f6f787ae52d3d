import { Fragment, isValidElement, type ReactElement, type ReactNode } from 'react';
import Reconciler from 'react-reconciler';
import { ConcurrentRoot } from 'react-reconciler/constants.js';
import type { GraphNode } from '../graph/types';
import { hostConfig } from './hostConfig';
import { createContainerInfo, sameTree, stripProps } from './nodes';

// biome-ignore lint/suspicious/noExplicitAny: the config is checked key by key in tests; its 20+ type parameters add nothing.
const reconciler = Reconciler(hostConfig as any);

/** What a root hands its owner after each commit that changed the tree, or when rendering failed. */
export interface RootListener {
  onGraph(root: GraphNode | null): void;
  onError(error: unknown): void;
}

export interface NNRoot {
  /**
   * Renders synchronously: when it returns, the tree is committed and the listener has been
   * told. Throws the first error a component threw while rendering.
   */
  render(element: ReactNode): void;
  unmount(): void;
}

/**
 * A react-nn root: the reconciler side of `renderModel` and `<Model>`. Deliveries are
 * deferred to the end of a synchronous render (or a microtask for updates scheduled by
 * components inside the model) so an error in the same flush can veto an emptied tree —
 * a component that throws must not make the last good model disappear.
 */
export function createNNRoot(listener: RootListener, options: { strict?: boolean } = {}): NNRoot {
  // Until an element needs React (a component, context, Suspense…), trees of plain layer elements are
  // turned into nodes directly — what React would commit, without a fiber root (renderModel's usual case).
  let react: NNRoot | null = null;
  // As React's container: empty at first, and an unchanged tree is not delivered again.
  let last: GraphNode | null = null;
  return {
    render(element) {
      if (!react) {
        const tree = staticTree(element);
        if (tree !== undefined) {
          if (!sameTree(last, tree)) {
            last = tree;
            listener.onGraph(tree);
          }
          return;
        }
        react = createReactRoot(listener, options);
      }
      react.render(element);
    },
    unmount() {
      last = null;
      react?.unmount();
    },
  };
}

/** A react-nn root that always renders through React. */
function createReactRoot(listener: RootListener, options: { strict?: boolean }): NNRoot {
  let pending: { root: GraphNode | null } | null = null;
  let errors: unknown[] = [];
  let scheduled = false;
  let rendering = false;

  const deliver = () => {
    scheduled = false;
    const failed = errors;
    const next = pending;
    errors = [];
    pending = null;
    if (failed.length > 0) {
      listener.onError(failed[0]);
      // React removed the failed subtree; keep the last good model instead of an empty one.
      return failed[0];
    }
    if (next) listener.onGraph(next.root);
    return null;
  };
  const schedule = () => {
    if (rendering || scheduled) return;
    scheduled = true;
    queueMicrotask(deliver);
  };

  const container = createContainerInfo((root) => {
    pending = { root };
    schedule();
  });
  const fiberRoot = reconciler.createContainer(
    container,
    ConcurrentRoot,
    null,
    options.strict ?? false,
    null,
    'react-nn',
    (error) => {
      errors.push(error);
      schedule();
    },
    () => {}, // caught by the user's own error boundary: theirs to report
    () => {}, // recovered by React's retry
    () => {},
    null,
  );

  return {
    render(element) {
      rendering = true;
      try {
        reconciler.updateContainerSync(element, fiberRoot, null, null);
        reconciler.flushSyncWork();
      } finally {
        rendering = false;
      }
      const error = deliver();
      if (error) throw error;
    },
    unmount() {
      rendering = true;
      try {
        reconciler.updateContainerSync(null, fiberRoot, null, null);
        reconciler.flushSyncWork();
      } finally {
        rendering = false;
        pending = null;
        errors = [];
      }
    },
  };
}

/**
 * The node tree React would commit for `element` when it is made only of layer elements (string types),
 * fragments, arrays, text and empty values (null, booleans) — exactly what `snapshot` gives after React
 * renders it. Undefined when anything in it needs React to run (components, providers, portals, lazy…).
 */
function staticTree(element: ReactNode): GraphNode | null | undefined {
  const top = staticChildren(element, []);
  if (!top) return undefined;
  if (top.length === 0) return null;
  if (top.length === 1) return top[0] as GraphNode;
  return { type: 'Sequential', props: {}, key: null, children: top };
}

/** Appends the nodes of `node` (blank text dropped) to `out`; undefined when React is needed. */
function staticChildren(node: unknown, out: GraphNode[]): GraphNode[] | undefined {
  if (node === null || node === undefined || typeof node === 'boolean') return out;
  if (typeof node === 'string' || typeof node === 'number') {
    const text = String(node);
    if (text.trim() !== '') out.push({ type: '#text', props: {}, key: null, children: [], text });
    return out;
  }
  if (Array.isArray(node)) {
    for (const child of node) if (!staticChildren(child, out)) return undefined;
    return out;
  }
  if (!isValidElement(node)) return undefined;
  const el = node as ReactElement<Record<string, unknown>>;
  if (el.type === Fragment) return staticChildren(el.props.children, out);
  if (typeof el.type !== 'string') return undefined;
  const children = staticChildren(el.props.children, []);
  if (!children) return undefined;
  out.push({ type: el.type, props: stripProps(el.props), key: el.key ?? null, children });
  return out;
}
