import { FiberProvider, useContextBridge } from 'its-fine';
import { type ReactNode, useLayoutEffect, useRef, useState } from 'react';
import type { Shape } from '../graph/types';
import { type Checkpoint, restoreCheckpoint } from '../io/checkpoint';
import { whenBuilt } from '../io/restore';
import { createNNRoot, type NNRoot } from '../reconciler/renderer';
import type { BackendName } from '../runtime/backend';
import { Net } from '../runtime/net';
import { NetContext } from './context';

export interface ModelProps {
  /** A handle from `useModel()`; without one, the model is private to this element. */
  handle?: Net;
  /** Shape of one example without the batch dimension (NHWC for images): `[2]`, `[28, 28, 1]`. */
  inputShape: Shape;
  /** Force a backend; default webgpu → webgl → cpu (a software WebGPU adapter ranks below webgl). */
  backend?: BackendName;
  /** Seeds weight initialisation and dropout. */
  seed?: number;
  /** Start from this checkpoint's weights once the model is first built (a mismatch shows up as `handle.error`). */
  checkpoint?: Checkpoint;
  /** Layers: usually one `<Sequential>`. */
  children?: ReactNode;
}

/**
 * Hosts a react-nn model inside a react-dom tree, as react-three-fiber's Canvas hosts a
 * scene: a nested reconciler root created in a layout effect, with the parent's context
 * bridged in. Renders nothing to the DOM. A bad edit shows up as `handle.error` while the
 * last good model keeps running.
 */
export function Model(props: ModelProps) {
  return (
    <FiberProvider>
      <ModelRoot {...props} />
    </FiberProvider>
  );
}

function ModelRoot({ handle, inputShape, backend, seed, checkpoint, children }: ModelProps) {
  const [own] = useState(() => (handle ? null : new Net()));
  const net = handle ?? (own as Net);
  const Bridge = useContextBridge();
  const rootRef = useRef<NNRoot | null>(null);
  const shapeKey = JSON.stringify(inputShape);

  // biome-ignore lint/correctness/useExhaustiveDependencies: shapeKey stands for inputShape's contents.
  useLayoutEffect(() => {
    net.setOptions({ inputShape, backend, seed });
  }, [net, shapeKey, backend, seed]);

  useLayoutEffect(() => {
    own?.retain();
    const root = createNNRoot({ onGraph: (g) => net.commit(g), onError: (e) => net.reportError(e) });
    rootRef.current = root;
    return () => {
      rootRef.current = null;
      root.unmount();
      // Deferred, so a StrictMode remount re-commits and keeps the model and its weights.
      net.detach();
      own?.release();
    };
  }, [net, own]);

  // The checkpoint's weights go in once, into the first model built after it is given.
  useLayoutEffect(() => {
    if (checkpoint) return whenBuilt(net, () => restoreCheckpoint(net, checkpoint));
  }, [net, checkpoint]);

  // Every render of <Model> re-renders the nested tree; unchanged props compile nothing.
  useLayoutEffect(() => {
    try {
      rootRef.current?.render(
        <Bridge>
          <NetContext.Provider value={net}>{children}</NetContext.Provider>
        </Bridge>,
      );
    } catch {
      // Reported to the handle through onError; the last good model stays.
    }
  });

  return null;
}
