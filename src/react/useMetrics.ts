import { useSyncExternalStore } from 'react';
import type { History, Trainer, TrainerSnapshot } from '../training/trainer';

const IDLE: TrainerSnapshot = Object.freeze({
  status: 'idle',
  epoch: 0,
  epochs: 0,
  step: 0,
  history: { loss: [] } as History,
  warnings: [],
  error: null,
  lr: 0,
  engine: { name: 'tfjs', reason: 'no trainer yet' },
  stopReason: null,
}) as TrainerSnapshot;

const noop = () => () => {};
const idle = () => IDLE;

/**
 * The trainer's live snapshot — status, epoch, step, history — re-rendering at most once
 * per animation frame while training. With `keys`, `history` holds only those series.
 * Accepts null (before useTrainer has a trainer) and returns an idle snapshot.
 * @example const { history, epoch, status } = useMetrics(trainer, ['loss', 'val_loss']);
 */
export function useMetrics(trainer: Trainer | null | undefined, keys?: readonly string[]): TrainerSnapshot {
  const snap = useSyncExternalStore(
    trainer?.subscribe ?? noop,
    trainer?.getSnapshot ?? idle,
    trainer?.getSnapshot ?? idle,
  );
  if (!keys) return snap;
  const history = { loss: snap.history.loss } as History;
  for (const k of keys) if (snap.history[k]) history[k] = snap.history[k] as number[];
  if (!keys.includes('loss')) delete (history as Partial<History>).loss;
  return { ...snap, history };
}
