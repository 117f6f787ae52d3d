import { type DependencyList, useEffect, useState } from 'react';
import { type Dataset, isDataset } from '../data/dataset';
import { describe, ReactNNError } from '../errors';

export interface UseDatasetOptions {
  /** Hold out this fraction for validation; the hook then returns `{ train, val }`. */
  validationSplit?: number;
  /** Seed of the split. Default 0. */
  seed?: number;
  /** Re-create the data when these change (like useEffect's deps). Default: never. */
  deps?: DependencyList;
}

export type SplitData = { train: Dataset; val: Dataset };

/**
 * Creates a Dataset after mount and disposes it on unmount or when `deps` change —
 * StrictMode-safe, since tensors are made in an effect, never during render. Returns null
 * until the data exists; the factory may return a Promise (e.g. `datasets.mnist()`).
 * @example const data = useDataset(() => datasets.moons({ n: 1000, noise: 0.3 }), { validationSplit: 0.2 });
 */
export function useDataset(
  factory: () => Dataset | Promise<Dataset>,
  options: UseDatasetOptions & { validationSplit: number },
): SplitData | null;
export function useDataset(factory: () => Dataset | Promise<Dataset>, options?: UseDatasetOptions): Dataset | null;
export function useDataset(
  factory: () => Dataset | Promise<Dataset>,
  options: UseDatasetOptions = {},
): Dataset | SplitData | null {
  const [data, setData] = useState<Dataset | SplitData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { validationSplit, seed = 0 } = options;
  if (error) throw error;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when the factory re-runs.
  useEffect(() => {
    let cancelled = false;
    const owned: Dataset[] = [];
    const accept = (ds: Dataset) => {
      owned.push(ds);
      if (cancelled) {
        ds.dispose();
        return;
      }
      if (validationSplit !== undefined && validationSplit > 0) {
        const split = ds.split(validationSplit, { seed });
        owned.push(split.train, split.val);
        setData(split);
      } else {
        setData(ds);
      }
    };
    try {
      const made = factory();
      if (made && typeof (made as Promise<Dataset>).then === 'function') {
        (made as Promise<Dataset>).then(accept, (e) => !cancelled && setError(e));
      } else if (isDataset(made)) {
        accept(made);
      } else {
        throw new ReactNNError(
          'option',
          'useDataset',
          `the factory must return a Dataset or a Promise of one (got ${describe(made)})`,
        );
      }
    } catch (e) {
      setError(e);
    }
    return () => {
      cancelled = true;
      for (const d of owned) d.dispose();
      setData(null);
    };
  }, [validationSplit, seed, ...(options.deps ?? [])]);

  return data;
}
