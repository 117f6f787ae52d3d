import { useEffect, useRef, useState } from 'react';
import type { Dataset } from '../data/dataset';
import type { Net } from '../runtime/net';
import { Trainer, type TrainerOptions } from '../training/trainer';

export interface UseTrainerOptions extends Omit<TrainerOptions, 'data'> {
  /** Start training as soon as the model and data exist. Default false. */
  autoStart?: boolean;
}

/**
 * A Trainer for a model handle and data, created once both exist and disposed on unmount
 * (StrictMode-safe). Options may change on any render: changed values are applied live with
 * `setOptions` (learning rate, optimizer, batch size…). Create callbacks with useMemo, since a
 * new earlyStopping() each render starts it afresh. Returns null until the trainer exists.
 * @example const trainer = useTrainer(model, data, { loss: 'bce', optimizer: { type: 'adam', lr }, epochs: 200 });
 */
export function useTrainer(
  model: Net,
  data: Dataset | { train: Dataset; val?: Dataset } | null | undefined,
  options: UseTrainerOptions,
): Trainer | null {
  const [trainer, setTrainer] = useState<Trainer | null>(null);
  const { autoStart = false, ...trainerOptions } = options;
  const latest = useRef(trainerOptions);
  latest.current = trainerOptions;
  const applied = useRef<Partial<TrainerOptions>>({});

  useEffect(() => {
    if (!data) return;
    const t = new Trainer(model, { ...latest.current, data });
    applied.current = { ...latest.current };
    setTrainer(t);
    // Failures land in the snapshot (status 'error'); the promise only mirrors them.
    if (autoStart) t.fit().catch(() => {});
    return () => {
      t.dispose();
      setTrainer((current) => (current === t ? null : current));
    };
    // Options are applied below without re-creating the trainer.
  }, [model, data, autoStart]);

  // Apply only what changed, so a re-render does not reset optimizer settings or callbacks.
  useEffect(() => {
    if (!trainer) return;
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
