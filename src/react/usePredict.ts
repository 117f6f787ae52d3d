import type * as tf from '@tensorflow/tfjs';
import { useEffect, useState } from 'react';
import { type NetLike, netOf } from '../runtime/handle';
import type { Trainer, TrainerSnapshot } from '../training/trainer';
import { useStore } from '../viz/useStore';

const epochOf = (s: TrainerSnapshot) => s.epoch;

/**
 * The model's predictions for `x` as plain arrays (one row per example), recomputed when
 * the model is rebuilt, `x` changes, or — with a trainer — after every epoch. Tensors it
 * makes are disposed; reads are async so training is not stalled.
 * @example const rows = usePredict(model, grid, { trainer });
 */
export function usePredict(
  model: NetLike | null | undefined,
  x: tf.Tensor | number[][] | null | undefined,
  options: { trainer?: Trainer | null } = {},
): number[][] | null {
  const [out, setOut] = useState<number[][] | null>(null);
  const net = netOf(model);
  const snap = useStore(net);
  const epoch = useStore(options.trainer, epochOf);

  // biome-ignore lint/correctness/useExhaustiveDependencies: epoch and version are the triggers.
  useEffect(() => {
    if (!x || !net || !snap?.model) return;
    let cancelled = false;
    let y: tf.Tensor;
    try {
      y = net.predict(x as tf.Tensor);
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
  }, [net, x, snap?.version, snap?.model, epoch]);

  return out;
}
