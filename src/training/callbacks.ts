import type * as tf from '@tensorflow/tfjs';
import { describe, listChoices, ReactNNError } from '../errors';
import type { EpochLogs, LRSchedule, ScheduleState } from './schedules';
import {
  disposeSnapshot,
  loadSnapshot,
  restoreWeights,
  type SavedTensor,
  saveSnapshot,
  snapshotWeights,
  type WeightSnapshot,
} from './weights';

/** A callback's state as plain data: JSON-safe `json` and tensors copied out, for a saved trainer. */
export interface CallbackState {
  json: Record<string, unknown>;
  tensors: Record<string, SavedTensor>;
}

/** What a callback may read and do during training. */
export interface CallbackContext {
  /** The model being trained right now (a new object after each live edit). */
  readonly model: tf.LayersModel;
  /** Asks the trainer to stop after this epoch; the reason lands in `snapshot.stopReason`. */
  stop(reason: string): void;
  /** The learning rate in use. */
  getLR(): number;
  /** Sets the learning rate from the next step. */
  setLR(lr: number): void;
  /** @deprecated Use getLR (learning-rate names spell LR in capitals, as PyTorch's StepLR). */
  getLr(): number;
  /** @deprecated Use setLR. */
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
  /** What a resumed run needs to continue exactly (async: copying tensors out is). */
  exportState?(): Promise<CallbackState>;
  /**
   * Checks a saved state and returns the function that installs it — which must not fail — or
   * throws a ReactNNError naming what is wrong. Split so a trainer checks every part of a saved
   * state before it installs any.
   */
  prepareState?(state: CallbackState): () => void;
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
    async exportState() {
      return {
        json: { monitor, best: finiteOrNull(best), bestEpoch, wait, warned },
        tensors: weights ? await saveSnapshot(weights) : {},
      };
    },
    prepareState(state) {
      const j = state?.json ?? {};
      const ok =
        j.monitor === monitor &&
        (j.best === null || (typeof j.best === 'number' && Number.isFinite(j.best))) &&
        (j.bestEpoch === null || (Number.isInteger(j.bestEpoch) && (j.bestEpoch as number) >= 0)) &&
        Number.isInteger(j.wait) &&
        (j.wait as number) >= 0 &&
        typeof j.warned === 'boolean' &&
        state.tensors !== null &&
        typeof state.tensors === 'object';
      if (!ok) {
        throw new ReactNNError(
          'state',
          `${path} > resume`,
          `the saved early-stopping state does not fit this callback (monitor ${JSON.stringify(monitor)}; saved ${describe(j)}) — give the callbacks the run was saved with, in the same order`,
        );
      }
      return () => {
        clear();
        best = j.best as number | null;
        bestEpoch = j.bestEpoch as number | null;
        wait = j.wait as number;
        warned = j.warned as boolean;
        if (Object.keys(state.tensors).length > 0) weights = loadSnapshot(state.tensors);
      };
    },
  };
}

const finiteOrNull = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);

const SCHEDULE_KEYS = ['baseLr', 'lastEpoch', 'best', 'numBadEpochs', 'cooldownCounter'] as const;

/** The callback {@link lrSchedule} makes; `schedule` says which (read by exporters). */
export interface LrScheduleCallback extends Callback {
  readonly schedule: LRSchedule;
}

/** Applies a learning-rate schedule at the end of every epoch. */
export function lrSchedule(schedule: LRSchedule): LrScheduleCallback {
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
      ctx.setLR(schedule.onEpochEnd(epoch, logs, ctx.getLR()));
    },
    async exportState() {
      const s = schedule.state;
      // best is NaN until reduceLROnPlateau sees a value: JSON has no NaN, so null stands for it.
      const held = s ? Object.fromEntries(SCHEDULE_KEYS.map((k) => [k, Number.isFinite(s[k]) ? s[k] : null])) : null;
      return { json: { kind: schedule.kind, state: held, warned }, tensors: {} };
    },
    prepareState(state) {
      const j = state?.json ?? {};
      const held = j.state as Record<string, unknown> | null | undefined;
      const ok =
        j.kind === schedule.kind &&
        typeof j.warned === 'boolean' &&
        (held === null ||
          (typeof held === 'object' &&
            held !== undefined &&
            SCHEDULE_KEYS.every((k) => held[k] === null || (typeof held[k] === 'number' && Number.isFinite(held[k])))));
      if (!ok) {
        throw new ReactNNError(
          'state',
          'lrSchedule > resume',
          `the saved schedule state does not fit this ${schedule.kind} (saved ${describe(j)}) — give the callbacks the run was saved with, in the same order`,
        );
      }
      return () => {
        warned = j.warned as boolean;
        const restored = held
          ? (Object.fromEntries(SCHEDULE_KEYS.map((k) => [k, held[k] ?? Number.NaN])) as unknown as ScheduleState)
          : null;
        schedule.restore(restored);
      };
    },
  };
}
