import type * as tf from '@tensorflow/tfjs';
import { describe, listChoices, ReactNNError } from '../errors';
import type { EpochLogs, LrSchedule } from './schedules';
import { disposeSnapshot, restoreWeights, snapshotWeights, type WeightSnapshot } from './weights';

/** What a callback may read and do during training. */
export interface CallbackContext {
  /** The model being trained right now (a new object after each live edit). */
  readonly model: tf.LayersModel;
  /** Asks the trainer to stop after this epoch; the reason lands in `snapshot.stopReason`. */
  stop(reason: string): void;
  getLr(): number;
  setLr(lr: number): void;
  /** Adds a one-time warning to the snapshot (and console). */
  warn(message: string): void;
}

/**
 * A training callback. Hooks are optional; `onEpochEnd` gets the epoch's logs (`loss`,
 * `val_loss`, metrics) after they have been read from the device.
 */
export interface Callback {
  readonly name?: string;
  /** A fresh run starts (first fit, or after reset): forget earlier state. */
  onTrainBegin?(ctx: CallbackContext): void;
  onStep?(step: number, ctx: CallbackContext): void;
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: CallbackContext): void;
  /** Training ended: done, stopped, or after a NaN loss. */
  onTrainEnd?(ctx: CallbackContext, reason: 'done' | 'stopped' | 'error'): void;
  dispose?(): void;
}

export interface EarlyStoppingOptions {
  /** Log key to watch; default `'val_loss'`. */
  monitor?: string;
  /** Epochs without improvement before stopping; default 10. */
  patience?: number;
  /** Smallest change that counts as an improvement; default 0. */
  minDelta?: number;
  /** `'min'` for losses, `'max'` for accuracy-like metrics; `'auto'` (default) guesses from the name. */
  mode?: 'min' | 'max' | 'auto';
  /** Put back the weights of the best epoch when training ends (also after a NaN loss); default false. */
  restoreBestWeights?: boolean;
}

export interface EarlyStoppingCallback extends Callback {
  /** The options in effect, defaults filled in (read by exporters such as exportPyTorch's train.py). */
  readonly options: Readonly<Required<EarlyStoppingOptions>>;
  /** Epoch (0-based) with the best monitored value so far, or null. */
  readonly bestEpoch: number | null;
  readonly best: number | null;
}

const MODES = ['min', 'max', 'auto'] as const;

/**
 * Stops training when a monitored value stops improving, as Keras' EarlyStopping — and,
 * unlike tfjs 4.22's (which throws NotImplemented), restores the best weights.
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStoppingCallback {
  const path = 'earlyStopping';
  const { monitor = 'val_loss', patience = 10, minDelta = 0, mode = 'auto', restoreBestWeights = false } = options;
  if (typeof monitor !== 'string' || monitor === '') {
    throw new ReactNNError('option', path, `monitor must be a log key such as "val_loss" (got ${describe(monitor)})`);
  }
  if (!Number.isInteger(patience) || patience < 0) {
    throw new ReactNNError('option', path, `patience must be an integer ≥ 0 (got ${describe(patience)})`);
  }
  if (typeof minDelta !== 'number' || !Number.isFinite(minDelta) || minDelta < 0) {
    throw new ReactNNError('option', path, `minDelta must be a number ≥ 0 (got ${describe(minDelta)})`);
  }
  if (!MODES.includes(mode))
    throw new ReactNNError('option', path, `mode must be ${listChoices(MODES)} (got ${describe(mode)})`);
  const maximize = mode === 'max' || (mode === 'auto' && /acc|auc|f1|precision|recall|r2/.test(monitor));

  let best: number | null = null;
  let bestEpoch: number | null = null;
  let wait = 0;
  let weights: WeightSnapshot | null = null;
  let warned = false;

  const restore = (ctx: CallbackContext) => {
    if (restoreBestWeights && weights) restoreWeights(ctx.model, weights);
  };
  const clear = () => {
    disposeSnapshot(weights);
    weights = null;
    best = null;
    bestEpoch = null;
    wait = 0;
  };

  return {
    name: 'earlyStopping',
    options: { monitor, patience, minDelta, mode, restoreBestWeights },
    get bestEpoch() {
      return bestEpoch;
    },
    get best() {
      return best;
    },
    onTrainBegin: clear,
    onEpochEnd(epoch, logs, ctx) {
      const value = logs[monitor];
      if (value === undefined || !Number.isFinite(value)) {
        if (value === undefined && !warned) {
          warned = true;
          ctx.warn(
            `earlyStopping: "${monitor}" is not in the epoch logs (${Object.keys(logs).join(', ')}) — give validation data or monitor "loss"`,
          );
        }
        return;
      }
      const improved = best === null || (maximize ? value > best + minDelta : value < best - minDelta);
      if (improved) {
        best = value;
        bestEpoch = epoch;
        wait = 0;
        if (restoreBestWeights) {
          disposeSnapshot(weights);
          weights = snapshotWeights(ctx.model);
        }
        return;
      }
      wait++;
      if (wait >= patience) {
        ctx.stop(
          `early stopping: ${monitor} did not improve for ${patience} epochs (best ${(best as number).toPrecision(4)} at epoch ${(bestEpoch ?? 0) + 1})`,
        );
      }
    },
    onTrainEnd(ctx) {
      restore(ctx);
    },
    dispose: clear,
  };
}

/** The callback {@link lrSchedule} makes; `schedule` says which (read by exporters). */
export interface LrScheduleCallback extends Callback {
  readonly schedule: LrSchedule;
}

/** Applies a learning-rate schedule at the end of every epoch. */
export function lrSchedule(schedule: LrSchedule): LrScheduleCallback {
  if (!schedule || typeof schedule.onEpochEnd !== 'function') {
    throw new ReactNNError(
      'option',
      'lrSchedule',
      `expected a schedule such as stepLR({ stepSize: 10 }) or cosineAnnealingLR({ tMax: 100 }) (got ${describe(schedule)})`,
    );
  }
  let warned = false;
  return {
    name: `lrSchedule(${schedule.kind})`,
    schedule,
    onTrainBegin: () => schedule.reset(),
    onEpochEnd(epoch, logs, ctx) {
      if (schedule.monitor && logs[schedule.monitor] === undefined) {
        if (!warned)
          ctx.warn(`lrSchedule: "${schedule.monitor}" is not in the epoch logs; the learning rate is left alone`);
        warned = true;
        return;
      }
      ctx.setLr(schedule.onEpochEnd(epoch, logs, ctx.getLr()));
    },
  };
}
