/**
 * The Playground's trainer, and how a share link's or an opened file's weights — and a file's
 * training run — get into it. A file saved while paused holds the trainer's state (step, epoch,
 * history, optimizer slots, epoch order): Open continues that run, so the next step is the one the
 * saved page would have taken. A file saved while training ran, and a share link, hold weights only:
 * a fresh run starts from them.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Dataset } from '../data/dataset';
import { ReactNNError } from '../errors';
import type { SavedWeights } from '../io/restore';
import type { TrainerStateLike } from '../io/trainerState';
import { type UseTrainerOptions, useTrainerFor } from '../react/useTrainer';
import type { Net } from '../runtime/net';
import type { Trainer } from '../training/trainer';
import type { Restored } from './persist';
import { usePendingWeights } from './usePendingWeights';

export interface OpenedRun {
  /** The trainer of the page's model and data (null while either is missing). */
  trainer: Trainer | null;
  /** Puts an opened file's weights in place, and continues its training run when it holds one. */
  open(restored: Pick<Restored, 'weights' | 'trainerState'>): void;
  /** Counts the times weights were written: each is a new run (the views start a new timeline). */
  loaded: number;
}

/** A file's run, waiting for its weights to be in the network before a trainer continues it. */
interface Opened {
  weights: SavedWeights;
  state: TrainerStateLike;
}

/**
 * `useTrainer(model, data, options)` for the Playground, with the weights of a share link
 * (`shared`) or of an opened file written into the network they belong to (usePendingWeights).
 * When the file holds a trainer's state, a new trainer is created with it as `resume` once those
 * weights are in — after usePendingWeights' fresh start, so nothing resets the resumed run. A
 * state that does not fit (a hand-edited file) leaves a fresh run on the file's weights, and
 * `notify` gets the reason for the page's notice.
 */
export function useOpenedRun(
  model: Net,
  data: Dataset | null | undefined,
  options: UseTrainerOptions,
  shared: SavedWeights | null,
  notify: (why: string) => void,
): OpenedRun {
  // The trainer is created below, after the weights' hook: it reads the latest one from this ref.
  const trainerRef = useRef<Trainer | null>(null);
  const weights = usePendingWeights(model, trainerRef, shared);
  const [opened, setOpened] = useState<Opened | null>(null);
  // Which trainer this is: a run continued from a file is a new trainer, even on the same data.
  const [run, setRun] = useState(0);
  // The file's weights are in its network (the architecture is the file's), and its data is here.
  const ready = opened !== null && weights.lastLoaded === opened.weights && !!data;
  const identity = ready ? run + 1 : run;
  // A new object for a new identity: useTrainer makes a trainer per data object. `{ train }` trains
  // exactly as the Dataset itself does.
  // biome-ignore lint/correctness/useExhaustiveDependencies: identity is what makes a new trainer.
  const trainerData = useMemo(() => (data ? { train: data } : null), [data, identity]);
  const notifyRef = useRef(notify);
  notifyRef.current = notify;
  const trainer = useTrainerFor(
    model,
    trainerData,
    ready ? { ...options, resume: { trainerState: opened.state } } : options,
    ready ? (e) => notifyRef.current(refusal(e).message) : undefined,
  );
  trainerRef.current = trainer;
  // The resumed trainer was made in the commit where `ready` turned true: the file's run is spent,
  // and the trainers after it (new data, a new input size) start afresh — with no new identity.
  useEffect(() => {
    if (!ready) return;
    setRun((r) => r + 1);
    setOpened(null);
  }, [ready]);

  const { load } = weights;
  const open = useCallback(
    (restored: Pick<Restored, 'weights' | 'trainerState'>) => {
      const { weights: w, trainerState } = restored;
      // A file without a run (saved while training ran) replaces a run still waiting: a fresh start.
      setOpened(w && trainerState ? { weights: w, state: trainerState } : null);
      if (w) load(w);
    },
    [load],
  );
  return { trainer, open, loaded: weights.loaded };
}

function refusal(e: unknown): ReactNNError {
  const why = e instanceof Error ? e.message : String(e);
  return new ReactNNError(
    'state',
    'Playground > Open',
    `the training run in the file cannot be continued (${why}) — training starts afresh from the file's weights; to continue a run, save it while paused and open that file unchanged`,
    { cause: e },
  );
}
