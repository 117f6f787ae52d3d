/**
 * Learning-rate schedules with torch.optim.lr_scheduler semantics, stepped once per epoch.
 *
 * A schedule is data plus functions: `initial(baseLr)` makes a state, `next(state, epoch,
 * currentLr, logs)` returns the next learning rate and state without touching anything else,
 * and `onEpochEnd(epoch, logs, currentLr)` does the same holding the state itself, for a
 * trainer that only wants a number back.
 *
 * Each rule works from the *current* learning rate, as torch's `scheduler.step()` does
 * (its "chainable" form), so a learning rate the user changes mid-run is decayed from there
 * rather than snapped back. Without such changes the values equal torch's closed forms.
 */
import { describe, listChoices, ReactNNError } from '../errors';

/** Values logged at the end of an epoch: `loss`, `val_loss`, metrics… */
export type EpochLogs = Readonly<Record<string, number | undefined>>;

/** What a schedule remembers between epochs. */
export interface ScheduleState {
  /** The learning rate at the start (torch's `base_lrs`). */
  readonly baseLr: number;
  /** Epochs stepped so far (torch's `last_epoch`). */
  readonly lastEpoch: number;
  /** reduceLROnPlateau: best monitored value so far. */
  readonly best: number;
  /** reduceLROnPlateau: epochs since the last improvement. */
  readonly numBadEpochs: number;
  /** reduceLROnPlateau: epochs left before bad epochs count again. */
  readonly cooldownCounter: number;
}

/** Options of {@link stepLR}. */
export interface StepLROptions {
  /** Decay every this many epochs (positive integer). */
  stepSize: number;
  /** Multiplier at each decay, default 0.1. */
  gamma?: number;
}

/** Options of {@link exponentialLR}. */
export interface ExponentialLROptions {
  /** Multiplier every epoch. */
  gamma: number;
}

/** Options of {@link cosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Epochs of the half cosine from the base lr down to etaMin (positive integer). */
  tMax: number;
  /** Lowest learning rate, default 0. */
  etaMin?: number;
}

/** Options of {@link reduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** The log key to watch, default `'val_loss'`. */
  monitor?: string;
  /** Multiplier when the monitored value stalls, in (0, 1); default 0.1. */
  factor?: number;
  /** Epochs without improvement to wait before reducing; default 10. */
  patience?: number;
  /** Smallest change that counts as an improvement; default 1e-4. */
  threshold?: number;
  /** `'rel'` (default): better than best·(1 ∓ threshold); `'abs'`: better than best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** `'min'` (default) for losses; `'max'` for accuracy-like metrics. */
  mode?: 'min' | 'max';
  /** Lower bound on the learning rate; default 0. */
  minLR?: number;
  /** @deprecated Use `minLR`: learning-rate names spell LR in capitals, as PyTorch's `ReduceLROnPlateau`. */
  minLr?: number;
  /** Epochs to wait after a reduction before counting bad epochs again; default 0. */
  cooldown?: number;
  /** Reductions smaller than this are skipped; default 1e-8. */
  eps?: number;
}

/** The parts every schedule has; `kind` tells them apart. */
export interface ScheduleBase<K extends string, O> {
  readonly kind: K;
  /** The options in effect, defaults filled in. */
  readonly options: Readonly<O>;
  /** The log key the schedule reads, or null: lets a trainer check it will be logged. */
  readonly monitor: string | null;
  /** A fresh state for a run that starts at `baseLr`. */
  initial(baseLr: number): ScheduleState;
  /**
   * Pure: the learning rate for the epoch after `epoch` (0-based, just finished), and the
   * new state. `logs` are read by reduceLROnPlateau only.
   */
  next(state: ScheduleState, epoch: number, currentLr: number, logs?: EpochLogs): { lr: number; state: ScheduleState };
  /**
   * Stateful form of {@link ScheduleBase.next}: call once at the end of each epoch with the
   * learning rate in use, set the optimizer's lr to the result. The first call takes
   * `currentLr` as the base learning rate unless {@link ScheduleBase.reset} gave one.
   */
  onEpochEnd(epoch: number, logs: EpochLogs, currentLr: number): number;
  /** Forgets the held state (for a new run); with `baseLr`, starts a fresh one from it. */
  reset(baseLr?: number): void;
  /** Holds `state` (a saved run's, from {@link ScheduleBase.state}), or none with null. */
  restore(state: ScheduleState | null): void;
  /** The held state, null before the first {@link ScheduleBase.onEpochEnd}. */
  readonly state: ScheduleState | null;
}

/** A {@link stepLR} schedule. */
export type StepLRSchedule = ScheduleBase<'stepLR', Required<StepLROptions>>;
/** An {@link exponentialLR} schedule. */
export type ExponentialLRSchedule = ScheduleBase<'exponentialLR', Required<ExponentialLROptions>>;
/** A {@link cosineAnnealingLR} schedule. */
export type CosineAnnealingLRSchedule = ScheduleBase<'cosineAnnealingLR', Required<CosineAnnealingLROptions>>;
/** A {@link reduceLROnPlateau} schedule. */
export type ReduceLROnPlateauSchedule = ScheduleBase<'reduceLROnPlateau', Required<ReduceLROnPlateauOptions>>;

/** Any learning-rate schedule. */
export type LRSchedule = StepLRSchedule | ExponentialLRSchedule | CosineAnnealingLRSchedule | ReduceLROnPlateauSchedule;

/** @deprecated Use {@link LRSchedule}: learning-rate names spell LR in capitals, as PyTorch's `StepLR` does. */
export type LrSchedule = LRSchedule;

type Rule = (
  state: ScheduleState,
  e: number,
  currentLr: number,
  logs: EpochLogs | undefined,
) => {
  lr: number;
  state: ScheduleState;
};

function fail(path: string, message: string): never {
  throw new ReactNNError('option', path, message);
}

function checkNumber(value: unknown, name: string, ok: (v: number) => boolean, rule: string, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    fail(path, `${name} must be ${rule} (got ${describe(value)})`);
  }
  return value;
}

const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
const nonNegativeInt = (v: number) => Number.isInteger(v) && v >= 0;

/** Checks the options object and its keys; returns it as a record to read from. */
function checkOptions(
  options: unknown,
  keys: readonly string[],
  required: readonly string[],
  path: string,
  example: string,
): Record<string, unknown> {
  if (options === undefined && required.length === 0) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail(path, `expected an options object like ${example} (got ${describe(options)})`);
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) fail(path, `unknown option ${JSON.stringify(key)} — options are ${listChoices(keys)}`);
  }
  for (const key of required) {
    if (record[key] === undefined) fail(path, `${key} is required, e.g. ${example}`);
  }
  return record;
}

function freshState(baseLr: number): ScheduleState {
  return { baseLr, lastEpoch: 0, best: Number.NaN, numBadEpochs: 0, cooldownCounter: 0 };
}

function makeSchedule<K extends string, O>(
  kind: K,
  options: O,
  monitor: string | null,
  init: (baseLr: number) => ScheduleState,
  rule: Rule,
  path: string,
): ScheduleBase<K, O> {
  let held: ScheduleState | null = null;
  const checkLr = (lr: unknown, name: string) => checkNumber(lr, name, (v) => v >= 0, 'a number ≥ 0', path);
  const schedule: ScheduleBase<K, O> = {
    kind,
    options: Object.freeze({ ...options }),
    monitor,
    initial(baseLr) {
      checkLr(baseLr, 'the base learning rate');
      return init(baseLr);
    },
    next(state, epoch, currentLr, logs) {
      if (state === null || typeof state !== 'object') {
        fail(path, `next() needs the state from initial(baseLr) (got ${describe(state)})`);
      }
      checkNumber(epoch, 'epoch', nonNegativeInt, 'an integer ≥ 0 (the 0-based epoch just finished)', path);
      checkLr(currentLr, 'the current learning rate');
      // torch's last_epoch after this step: the epoch about to start.
      return rule(state, epoch + 1, currentLr, logs);
    },
    onEpochEnd(epoch, logs, currentLr) {
      const state = held ?? schedule.initial(currentLr);
      const out = schedule.next(state, epoch, currentLr, logs);
      held = out.state;
      return out.lr;
    },
    reset(baseLr) {
      held = baseLr === undefined ? null : schedule.initial(baseLr);
    },
    restore(state) {
      held = state === null ? null : { ...state };
    },
    get state() {
      return held;
    },
  };
  return schedule;
}

/**
 * torch's StepLR: multiply the learning rate by `gamma` every `stepSize` epochs —
 * lr = base·gamma^⌊epoch/stepSize⌋.
 *
 * @example stepLR({ stepSize: 30, gamma: 0.1 })
 * @see https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.StepLR.html
 */
export function stepLR(options: StepLROptions, path = 'stepLR'): StepLRSchedule {
  const o = checkOptions(options, ['stepSize', 'gamma'], ['stepSize'], path, '{ stepSize: 10, gamma: 0.1 }');
  const stepSize = checkNumber(o.stepSize, 'stepSize', positiveInt, 'a positive integer (epochs)', path);
  const gamma = o.gamma === undefined ? 0.1 : checkNumber(o.gamma, 'gamma', (v) => v > 0, 'a positive number', path);
  return makeSchedule(
    'stepLR',
    { stepSize, gamma },
    null,
    freshState,
    (state, e, lr) => ({ lr: e % stepSize === 0 ? lr * gamma : lr, state: { ...state, lastEpoch: e } }),
    path,
  );
}

/**
 * torch's ExponentialLR: multiply the learning rate by `gamma` every epoch — lr = base·gamma^epoch.
 *
 * @example exponentialLR({ gamma: 0.95 })
 * @see https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ExponentialLR.html
 */
export function exponentialLR(options: ExponentialLROptions, path = 'exponentialLR'): ExponentialLRSchedule {
  const o = checkOptions(options, ['gamma'], ['gamma'], path, '{ gamma: 0.95 }');
  const gamma = checkNumber(o.gamma, 'gamma', (v) => v > 0, 'a positive number (0.95 is usual)', path);
  return makeSchedule(
    'exponentialLR',
    { gamma },
    null,
    freshState,
    (state, e, lr) => ({ lr: lr * gamma, state: { ...state, lastEpoch: e } }),
    path,
  );
}

/**
 * torch's CosineAnnealingLR: lr = etaMin + (base − etaMin)·(1 + cos(π·epoch/tMax))/2, reaching
 * etaMin after `tMax` epochs. Past tMax it rises again (period 2·tMax) as torch's does — train
 * for tMax epochs to end at etaMin.
 *
 * @example cosineAnnealingLR({ tMax: 100, etaMin: 1e-5 })
 * @see https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html
 */
export function cosineAnnealingLR(
  options: CosineAnnealingLROptions,
  path = 'cosineAnnealingLR',
): CosineAnnealingLRSchedule {
  const o = checkOptions(options, ['tMax', 'etaMin'], ['tMax'], path, '{ tMax: 50 }');
  const tMax = checkNumber(o.tMax, 'tMax', positiveInt, 'a positive integer (epochs)', path);
  const etaMin = o.etaMin === undefined ? 0 : checkNumber(o.etaMin, 'etaMin', (v) => v >= 0, 'a number ≥ 0', path);
  return makeSchedule(
    'cosineAnnealingLR',
    { tMax, etaMin },
    null,
    freshState,
    (state, e, lr) => {
      // torch's recursive form. At the trough ((e − 1 − tMax) mod 2tMax = 0) the ratio below
      // would divide by zero, so the step up is added directly.
      const next =
        (e - 1 - tMax) % (2 * tMax) === 0
          ? lr + ((state.baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2
          : ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (lr - etaMin) +
            etaMin;
      return { lr: next, state: { ...state, lastEpoch: e } };
    },
    path,
  );
}

/**
 * torch's ReduceLROnPlateau: multiply the learning rate by `factor` once the monitored log
 * value has not improved for more than `patience` epochs, then wait `cooldown` epochs.
 * Improvement is relative by default: below best·(1 − threshold) in 'min' mode. Use
 * `mode: 'max'` for metrics that grow (accuracy, f1, auc, r2).
 *
 * @example reduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 5 })
 * @see https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ReduceLROnPlateau.html
 */
export function reduceLROnPlateau(
  options: ReduceLROnPlateauOptions = {},
  path = 'reduceLROnPlateau',
): ReduceLROnPlateauSchedule {
  const keys = [
    'monitor',
    'factor',
    'patience',
    'threshold',
    'thresholdMode',
    'mode',
    'minLR',
    'minLr',
    'cooldown',
    'eps',
  ];
  const o = checkOptions(options, keys, [], path, "{ monitor: 'val_loss', patience: 10 }");
  const monitor = o.monitor === undefined ? 'val_loss' : o.monitor;
  if (typeof monitor !== 'string' || monitor === '') {
    fail(path, `monitor must be the name of a logged value such as "val_loss" (got ${describe(monitor)})`);
  }
  const mode = o.mode ?? 'min';
  if (mode !== 'min' && mode !== 'max') fail(path, `mode must be "min" or "max" (got ${describe(mode)})`);
  const thresholdMode = o.thresholdMode ?? 'rel';
  if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
    fail(path, `thresholdMode must be "rel" or "abs" (got ${describe(thresholdMode)})`);
  }
  const num = (key: string, fallback: number, ok: (v: number) => boolean, rule: string) =>
    o[key] === undefined ? fallback : checkNumber(o[key], key, ok, rule, path);
  const factor = num('factor', 0.1, (v) => v > 0 && v < 1, 'between 0 and 1 (exclusive); 0.1 or 0.5 are usual');
  const patience = num('patience', 10, nonNegativeInt, 'an integer ≥ 0 (epochs)');
  const threshold = num('threshold', 1e-4, (v) => v >= 0, 'a number ≥ 0');
  if (o.minLR !== undefined && o.minLr !== undefined && o.minLR !== o.minLr) {
    fail(
      path,
      `minLR and its old spelling minLr were both given, differently (${describe(o.minLR)}, ${describe(o.minLr)}) — give minLR only`,
    );
  }
  const minLR =
    o.minLR !== undefined
      ? num('minLR', 0, (v) => v >= 0, 'a number ≥ 0')
      : num('minLr', 0, (v) => v >= 0, 'a number ≥ 0');
  const cooldown = num('cooldown', 0, nonNegativeInt, 'an integer ≥ 0 (epochs)');
  const eps = num('eps', 1e-8, (v) => v >= 0, 'a number ≥ 0');

  const isBetter = (a: number, best: number): boolean => {
    if (mode === 'min') return thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return thresholdMode === 'rel' ? a > best * (1 + threshold) : a > best + threshold;
  };

  return makeSchedule(
    'reduceLROnPlateau',
    { monitor, factor, patience, threshold, thresholdMode, mode, minLR, minLr: minLR, cooldown, eps },
    monitor,
    (baseLr) => ({ ...freshState(baseLr), best: mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY }),
    (state, e, lr, logs) => {
      const current = logs?.[monitor];
      if (typeof current !== 'number') {
        const have = Object.keys(logs ?? {});
        fail(
          path,
          `reduceLROnPlateau watches ${JSON.stringify(monitor)} but this epoch logged ${have.length ? listChoices(have) : 'nothing'} — ${
            monitor.startsWith('val_') ? 'give the trainer validation data, or ' : ''
          }set monitor to one of the logged values`,
        );
      }
      let { best, numBadEpochs, cooldownCounter } = state;
      // A NaN never counts as better, so a diverging run also lowers the lr (as torch).
      if (isBetter(current, best)) {
        best = current;
        numBadEpochs = 0;
      } else {
        numBadEpochs += 1;
      }
      if (cooldownCounter > 0) {
        cooldownCounter -= 1;
        numBadEpochs = 0;
      }
      let next = lr;
      if (numBadEpochs > patience) {
        const reduced = Math.max(lr * factor, minLR);
        if (lr - reduced > eps) next = reduced;
        cooldownCounter = cooldown;
        numBadEpochs = 0;
      }
      return { lr: next, state: { ...state, lastEpoch: e, best, numBadEpochs, cooldownCounter } };
    },
    path,
  );
}
