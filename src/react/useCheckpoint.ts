import { useEffect, useRef, useState } from 'react';
import { ReactNNError } from '../errors';
import { Autosave, type AutosaveOptions, type AutosaveSnapshot, type TrainerProgress } from '../io/autosave';
import type { Checkpoint } from '../io/checkpoint';
import { type NetLike, netOf } from '../runtime/handle';
import type { Net } from '../runtime/net';
import type { Trainer } from '../training/trainer';
import { useStore } from '../viz/useStore';
import { type TrainerData, type UseTrainerOptions, useTrainerFor } from './useTrainer';

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

/** The Autosave store for a model and key (null while the model is missing or `options` is null). */
function useAutosave(model: Net | null, options: AutosaveOptions | null): Autosave | null {
  const { key, every, restore } = options ?? {};
  const [store, setStore] = useState<Autosave | null>(null);
  useEffect(() => {
    if (!model || key === undefined) return;
    const s = new Autosave(model, { key, every, restore });
    setStore(s);
    return () => {
      s.dispose();
      setStore((current) => (current === s ? null : current));
    };
  }, [model, key, every, restore]);
  return store;
}

function result(store: Autosave | null, snapshot: AutosaveSnapshot | null): UseCheckpointResult {
  return {
    ...(snapshot ?? RESTORING),
    save: () => store?.save() ?? Promise.resolve(),
    clear: () => store?.clear() ?? Promise.resolve(),
  };
}

/**
 * Autosaves a model and the trainer given to IndexedDB (`'indexeddb://KEY'`) every `every`
 * epochs and whenever training pauses or ends, and restores the model's weights from it when
 * the page opens again. To also continue the saved *training* (epoch, history, optimizer
 * slots), let {@link useResumableTrainer} create the trainer: it waits for the restore and
 * passes the checkpoint as the trainer's `resume`.
 * @example
 * const trainer = useTrainer(model, data, options);
 * const saved = useCheckpoint(model, trainer, { key: 'moons', every: 5 });
 */
export function useCheckpoint(
  model: Net,
  trainer: TrainerProgress | null,
  options: AutosaveOptions,
): UseCheckpointResult {
  const store = useAutosave(model, options);
  useEffect(() => {
    store?.setTrainer(trainer);
  }, [store, trainer]);
  return result(store, useStore(store));
}

export interface UseResumableTrainerResult {
  /** The trainer: null until the data exists and the restore attempt is over. */
  trainer: Trainer | null;
  /** The autosave state (restored, checkpoint, lastSaved, error) and save()/clear(). */
  saved: UseCheckpointResult;
}

/**
 * `useTrainer` that survives a page reload: it first restores the model from IndexedDB
 * (`'indexeddb://KEY'`), then creates the trainer with the stored checkpoint as `resume` — so
 * training goes on at the saved epoch with the saved history, optimizer slots, step counts and
 * epoch order — and autosaves it every `every` epochs and whenever training pauses or ends.
 * With nothing stored the trainer starts fresh; with `autosave` null it is plain `useTrainer`.
 * Save while paused (the save on pause does) for an exact resume: a save during training keeps
 * the weights but not the trainer state, and the trainer then starts afresh on those weights.
 * @example
 * const { trainer, saved } = useResumableTrainer(model, data, { loss: 'bce', epochs: 500 }, { key: 'moons', every: 10 });
 */
export function useResumableTrainer(
  model: NetLike | null | undefined,
  data: TrainerData,
  options: UseTrainerOptions,
  autosave: AutosaveOptions | null,
): UseResumableTrainerResult {
  const store = useAutosave(netOf(model), autosave);
  const snapshot = useStore(store);
  // The checkpoint to resume from, fixed once per store: clearing it later (or a save replacing
  // it) must not look like a changed `resume` option to the trainer that already resumed.
  const resumeOf = useRef<{ store: Autosave; checkpoint: Checkpoint | null } | null>(null);
  if (store && snapshot?.restored && resumeOf.current?.store !== store) {
    resumeOf.current = { store, checkpoint: snapshot.checkpoint };
  }
  // Without autosave options this is plain useTrainer (so a component can make autosave optional).
  const restored = autosave === null || (resumeOf.current !== null && resumeOf.current.store === store);
  // A checkpoint saved while training ran holds the weights only (restored above): nothing to resume.
  const checkpoint = restored && resumeOf.current?.checkpoint?.trainerState ? resumeOf.current.checkpoint : null;
  // A stored state that no longer fits (the data or loss changed since it was saved) is the
  // app's own file, not the caller's mistake: train afresh from the restored weights and say why.
  const [refused, setRefused] = useState<{ checkpoint: Checkpoint; error: ReactNNError } | null>(null);
  const trainer = useTrainerFor(
    model,
    restored ? data : null,
    checkpoint ? { ...options, resume: checkpoint } : options,
    checkpoint ? (e) => setRefused({ checkpoint, error: asResumeError(e) }) : undefined,
  );
  useEffect(() => {
    store?.setTrainer(trainer);
  }, [store, trainer]);
  const saved = result(store, snapshot);
  if (refused && refused.checkpoint === checkpoint && !saved.error) saved.error = refused.error;
  return { trainer, saved };
}

function asResumeError(e: unknown): ReactNNError {
  const why = e instanceof Error ? e.message : String(e);
  return new ReactNNError(
    'option',
    'useResumableTrainer > resume',
    `the saved training state does not fit this trainer (${why}) — training starts afresh from the restored weights; the next save replaces the stored state`,
    { cause: e },
  );
}
