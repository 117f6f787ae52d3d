import type * as tf from '@tensorflow/tfjs';
import type { ReactNode } from 'react';
import type { ModelSummaryData } from '../graph/types';
import { type Checkpoint, restoreCheckpoint } from '../io/checkpoint';
import { createNNRoot } from '../reconciler/renderer';
import { Net, type NetOptions } from '../runtime/net';

export interface RenderModelOptions extends NetOptions {
  /** Render the model tree in StrictMode (double-invoked renders and effects). */
  strict?: boolean;
  /** Start from a checkpoint's weights (strictly: every name and shape must match); inputShape defaults to its own. */
  checkpoint?: Checkpoint;
}

/** A model rendered without a DOM: in Node, tests and workers. */
export interface RenderedModel {
  /** The live store behind this model; what `createTrainer` and viz components take. */
  readonly net: Net;
  /** The current `tf.LayersModel` (a new object after each rebuild). */
  readonly model: tf.LayersModel;
  summary(): ModelSummaryData;
  /** Re-renders with new JSX; weights are kept where node identity and shapes are unchanged. Rejects (keeping the old model) on bad input. */
  update(element: ReactNode): Promise<void>;
  /** Inference-mode forward pass; the caller disposes the result. */
  predict(x: tf.Tensor | number[][] | number[][][][]): tf.Tensor;
  dispose(): void;
}

/**
 * Renders JSX layers into a live TensorFlow.js model, headless.
 * @example
 * const net = await renderModel(<Sequential><Linear outFeatures={8} /><ReLU /><Linear outFeatures={1} /></Sequential>, { inputShape: [2] });
 * net.predict([[0, 1]]).print();
 */
export async function renderModel(element: ReactNode, options: RenderModelOptions = {}): Promise<RenderedModel> {
  const { checkpoint, ...rest } = options;
  const net = new Net({ ...rest, inputShape: rest.inputShape ?? checkpoint?.inputShape });
  let lastError: unknown = null;
  // Commits reach the Net only when the tree changed: the same bad tree again commits nothing.
  let commits = 0;
  const root = createNNRoot(
    {
      onGraph: (graph) => {
        commits++;
        lastError = net.commit(graph);
      },
      onError: (e) => {
        commits++;
        lastError = net.reportError(e);
      },
    },
    { strict: options.strict ?? false },
  );
  const render = (el: ReactNode) => {
    lastError = null;
    const before = commits;
    try {
      root.render(el);
    } catch {
      // Already reported through onError into lastError.
    }
    if (lastError) throw lastError;
    // Nothing committed: the tree equals the one the Net holds, which may be the refused one.
    if (commits === before && net.status === 'error' && net.error) throw net.error;
  };
  try {
    render(element);
    await net.ready();
    if (checkpoint) restoreCheckpoint(net, checkpoint);
  } catch (e) {
    root.unmount();
    net.dispose();
    throw e;
  }
  return {
    net,
    get model() {
      return net.getSnapshot().model as tf.LayersModel;
    },
    summary: () => net.summary(),
    update: async (el) => {
      // A disposed Net's ready() rejects with its "disposed" error at once.
      if (!net.isDisposed) render(el);
      await net.ready();
    },
    predict: (x) => net.predict(x),
    dispose: () => {
      root.unmount();
      net.dispose();
    },
  };
}
