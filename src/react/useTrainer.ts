import { useEffect, useRef, useState } from 'react';
import { isDataset } from '../data/dataset';
import { describe, ReactNNError } from '../errors';
import { type NetLike, netOf } from '../runtime/handle';
import type { Net } from '../runtime/net';
import { Trainer, type TrainerOptions } from '../training/trainer';

/** Trainer options without `data` (given as useTrainer's second argument), plus `autoStart`. */
export interface UseTrainerOptions extends Omit<TrainerOptions, 'data'> {
  /** Start training as soon as the model and data exist. Default false. */
  autoStart?: boolean;
}

/** Data as useTrainer takes it: what `createTrainer`'s `data` takes, or null/undefined while it loads. */
export type TrainerData = TrainerOptions['data'] | null | undefined;

/** `createTrainer`'s options with `data` inside, plus `autoStart`; `data` may be null while it loads. */
export type UseTrainerAllOptions = UseTrainerOptions & { data: TrainerData };

/**
 * A Trainer for a model handle and data, created once both exist and disposed on unmount
 * (StrictMode-safe). Options may change on any render: changed values are applied live with
 * `setOptions` (learning rate, optimizer, batch size…). Create callbacks with useMemo, since a
 * new earlyStopping() each render starts it afresh. Returns null until the trainer exists.
 * @example const trainer = useTrainer(model, data, { loss: 'bce', optimizer: { type: 'adam', lr }, epochs: 200 });
 */
export function useTrainer(
  model: NetLike | null | undefined,
  data: TrainerData,
  options: UseTrainerOptions,
): Trainer | null;
/** The `createTrainer(net, options)` form: `data` inside the options. */
export function useTrainer(model: NetLike | null | undefined, options: UseTrainerAllOptions): Trainer | null;
export function useTrainer(
  model: NetLike | null | undefined,
  dataOrOptions: TrainerData | UseTrainerAllOptions,
  maybeOptions?: UseTrainerOptions,
): Trainer | null {
  const { data, options } = readArguments(dataOrOptions, maybeOptions);
  return useTrainerFor(model, data, options);
}

/**
 * useTrainer's body. With `onResumeRefused`, a `resume` state the trainer refuses (saved for
 * other data or another loss) does not fail the component: the trainer starts afresh and the
 * error goes to the callback — for a state the app stored itself, not one the user passed.
 */
export function useTrainerFor(
  model: NetLike | null | undefined,
  data: TrainerData,
  options: UseTrainerOptions,
  onResumeRefused?: (error: unknown) => void,
): Trainer | null {
  const [trainer, setTrainer] = useState<Trainer | null>(null);
  const net = netOf(model);
  const { autoStart = false, ...trainerOptions } = options;
  const latest = useRef(trainerOptions);
  latest.current = trainerOptions;
  const applied = useRef<Partial<TrainerOptions>>({});
  const refused = useRef(onResumeRefused);
  refused.current = onResumeRefused;

  useEffect(() => {
    if (!data || !net) return;
    const t = createTrainer(net, { ...latest.current, data }, refused.current);
    applied.current = { ...latest.current };
    setTrainer(t);
    // Failures land in the snapshot (status 'error'); the promise only mirrors them.
    if (autoStart) t.fit().catch(() => {});
    return () => {
      t.dispose();
      setTrainer((current) => (current === t ? null : current));
    };
    // Options are applied below without re-creating the trainer.
  }, [net, data, autoStart]);

  // Apply only what changed, so a re-render does not reset optimizer settings or callbacks.
  useEffect(() => {
    // The trainer state can still hold one that the effect above just disposed (its data or model
    // changed in this render): its replacement is created with the latest options already.
    if (!trainer || trainer.isDisposed) return;
    const patch: Partial<TrainerOptions> = {};
    for (const [key, value] of Object.entries(trainerOptions) as [keyof TrainerOptions, unknown][]) {
      if (!same(applied.current[key], value)) (patch as Record<string, unknown>)[key] = value;
    }
    if (Object.keys(patch).length === 0) return;
    try {
      trainer.setOptions(patch);
      applied.current = { ...applied.current, ...patch };
    } catch (e) {
      // Invalid options leave the trainer as it was; the error is the caller's to show.
      console.error(e);
    }
  });

  return trainer;
}

function createTrainer(net: Net, options: TrainerOptions, onResumeRefused?: (error: unknown) => void): Trainer {
  if (!onResumeRefused || options.resume === undefined) return new Trainer(net, options);
  try {
    return new Trainer(net, options);
  } catch (e) {
    const { resume: _refused, ...fresh } = options;
    const t = new Trainer(net, fresh);
    onResumeRefused(e);
    return t;
  }
}

/** Sorts out the two call forms; a missing options object is a clear error, not a crash later. */
function readArguments(
  dataOrOptions: TrainerData | UseTrainerAllOptions,
  maybeOptions: UseTrainerOptions | undefined,
): { data: TrainerData; options: UseTrainerOptions } {
  if (maybeOptions !== undefined) return { data: dataOrOptions as TrainerData, options: maybeOptions };
  const all = dataOrOptions as UseTrainerAllOptions | null | undefined;
  if (!all || typeof all !== 'object' || isDataset(all) || !('data' in all)) {
    throw new ReactNNError(
      'option',
      'useTrainer',
      `expected options — useTrainer(model, data, { loss, optimizer, … }) or useTrainer(model, { data, loss, optimizer, … }) (got ${describe(all)} and no options)`,
    );
  }
  const { data, ...options } = all;
  return { data, options };
}

/** Structural equality for plain option values; functions and class instances by identity. */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isPlain(a) && isPlain(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => same(a[k], b[k]));
  }
  return false;
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
}
