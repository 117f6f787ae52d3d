import type * as tf from '@tensorflow/tfjs';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Net } from '../runtime/net';
import type { Trainer } from '../training/trainer';

const noop = () => () => {};
const zero = () => 0;

/**
 * The model's predictions for `x` as plain arrays (one row per example), recomputed when
 * the model is rebuilt, `x` changes, or — with a trainer — after every epoch. Tensors it
 * makes are disposed; reads are async so training is not stalled.
 * @example const rows = usePredict(model, grid, { trainer });
 */
export function usePredict(
  model: Net,
  x: tf.Tensor | number[][] | null | undefined,
  options: { trainer?: Trainer | null } = {},
): number[][] | null {
  const [out, setOut] = useState<number[][] | null>(null);
  const snap = useSyncExternalStore(model.subscribe, model.getSnapshot, model.getSnapshot);
  const trainer = options.trainer;
  const epoch = useSyncExternalStore(
    trainer?.subscribe ?? noop,
    trainer ? () => trainer.getSnapshot().epoch : zero,
    zero,
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: epoch and version are the triggers.
  useEffect(() => {
    if (!x || !snap.model) return;
    let cancelled = false;
    let y: tf.Tensor;
    try {
      y = model.predict(x as tf.Tensor);
    } catch {
      return;
    }
    const result = y;
    result
      .data()
      .then((values) => {
        if (cancelled) return;
        const cols = result.shape.slice(1).reduce((a, b) => a * b, 1);
        const rows: number[][] = [];
        for (let i = 0; i < (result.shape[0] ?? 0); i++)
          rows.push(Array.from(values.subarray(i * cols, (i + 1) * cols)));
        setOut(rows);
      })
      .catch(() => {})
      .finally(() => result.dispose());
    return () => {
      cancelled = true;
    };
  }, [model, x, snap.version, snap.model, epoch]);

  return out;
}
