import { useEffect, useState, useSyncExternalStore } from 'react';
import { Autosave, type AutosaveOptions, type AutosaveSnapshot, type TrainerProgress } from '../io/autosave';
import type { Net } from '../runtime/net';

export interface UseCheckpointResult extends AutosaveSnapshot {
  /** Saves now. */
  save(): Promise<void>;
  /** Deletes the stored checkpoint. */
  clear(): Promise<void>;
}

const RESTORING: AutosaveSnapshot = Object.freeze({
  status: 'restoring',
  restored: false,
  checkpoint: null,
  lastSaved: null,
  error: null,
}) as AutosaveSnapshot;
const noop = () => () => {};

/**
 * Autosaves a model and its trainer to IndexedDB (`'indexeddb://KEY'`) every `every` epochs and
 * whenever training pauses or ends, and restores the model from it when the page opens again.
 * Create the trainer once `restored` is true to resume from `checkpoint`.
 * @example
 * const saved = useCheckpoint(model, trainer, { key: 'moons', every: 5 });
 * const trainer = useTrainer(model, saved.restored ? data : null, { ...options, resume: saved.checkpoint });
 */
export function useCheckpoint(
  model: Net,
  trainer: TrainerProgress | null,
  options: AutosaveOptions,
): UseCheckpointResult {
  const { key, every, restore } = options;
  const [store, setStore] = useState<Autosave | null>(null);
  useEffect(() => {
    const s = new Autosave(model, { key, every, restore });
    setStore(s);
    return () => {
      s.dispose();
      setStore((current) => (current === s ? null : current));
    };
  }, [model, key, every, restore]);
  useEffect(() => {
    store?.setTrainer(trainer);
  }, [store, trainer]);
  const snap = useSyncExternalStore(store?.subscribe ?? noop, store?.getSnapshot ?? (() => RESTORING));
  return {
    ...snap,
    save: () => store?.save() ?? Promise.resolve(),
    clear: () => store?.clear() ?? Promise.resolve(),
  };
}
