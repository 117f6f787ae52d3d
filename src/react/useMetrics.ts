import { useMemo } from 'react';
import type { History, Trainer, TrainerSnapshot } from '../training/trainer';
import { useStore } from '../viz/useStore';

/**
 * What `useMetrics` gives before there is a trainer (useTrainer returns null until the model and
 * data exist): the snapshot of a trainer that has not started, so `const { history, status } =
 * useMetrics(trainer)` needs no null check.
 */
export const IDLE_SNAPSHOT: TrainerSnapshot = /* @__PURE__ */ Object.freeze<TrainerSnapshot>({
  status: 'idle',
  epoch: 0,
  epochs: 0,
  step: 0,
  history: Object.freeze({ loss: [] }) as History,
  warnings: [],
  error: null,
  lr: 0,
  engine: { name: 'tfjs', reason: 'no trainer yet' },
  stopReason: null,
});

/**
 * The trainer's live snapshot — status, epoch, step, history — re-rendering at most once
 * per animation frame while training. With `keys`, `history` holds only those series.
 * Without a trainer (null or undefined) it is {@link IDLE_SNAPSHOT}.
 * @example const { history, epoch, status } = useMetrics(trainer, ['loss', 'val_loss']);
 */
export function useMetrics(trainer: Trainer | null | undefined, keys?: readonly string[]): TrainerSnapshot {
  const snap = useStore(trainer) ?? IDLE_SNAPSHOT;
  const keyList = keys?.join('\u0000');
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyList stands for keys' contents.
  return useMemo(() => (keys ? pickHistory(snap, keys) : snap), [snap, keyList]);
}

/**
 * `snap` with only `keys` in its history. The snapshot's own fields are copied as descriptors and
 * the history picked when first read: a trainer's history is copied only when read (it can be
 * long), so a component that reads only the epoch or status copies none of it.
 */
function pickHistory(snap: TrainerSnapshot, keys: readonly string[]): TrainerSnapshot {
  const { history: _lazy, ...fields } = Object.getOwnPropertyDescriptors(snap);
  const out = Object.defineProperties({}, fields) as TrainerSnapshot;
  let picked: History | null = null;
  Object.defineProperty(out, 'history', {
    enumerable: true,
    get: () => {
      if (!picked) {
        const all = snap.history;
        const history = { loss: all.loss } as History;
        for (const k of keys) if (all[k]) history[k] = all[k] as number[];
        if (!keys.includes('loss')) delete (history as Partial<History>).loss;
        picked = history;
      }
      return picked;
    },
  });
  return out;
}
