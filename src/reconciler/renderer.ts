import type { ReactNode } from 'react';
import Reconciler from 'react-reconciler';
import { ConcurrentRoot } from 'react-reconciler/constants.js';
import type { GraphNode } from '../graph/types';
import { hostConfig } from './hostConfig';
import { createContainerInfo } from './nodes';

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
