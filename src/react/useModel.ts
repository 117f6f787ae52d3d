import { useEffect, useState } from 'react';
import { Net } from '../runtime/net';
import { useStore } from '../viz/useStore';
import { useNetContext } from './context';

/**
 * A model handle: pass it to `<Model handle>`, `useTrainer` and viz components. Inside a
 * `<Model>` it returns that model's handle. The component re-renders when the model is
 * rebuilt or fails; read `status`, `model`, `summary()`, `backend` and `error` from it.
 */
export function useModel(): Net {
  const enclosing = useNetContext();
  const [own] = useState(() => new Net());
  useEffect(() => {
    own.retain();
    return () => own.release();
  }, [own]);
  const net = enclosing ?? own;
  useStore(net);
  return net;
}
