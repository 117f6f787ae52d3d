/**
 * The fused-cpu kernel factory's caches, keyed by a plan's canonical JSON: the generated code of
 * each plan (so a new kernel skips code generation and `new Function`) and the kernels a disposed
 * trainer left idle (so a new trainer on the same architecture trains on code V8 has already
 * optimized, instead of warming a new kernel up through the interpreter). Both are bounded
 * least-recently-used maps: a page that edits its net all day keeps a fixed number of entries.
 *
 * `fusedPlanCache` is SELF-CONTAINED like `fusedKernelFactory` (kernel.ts): its source text also
 * runs inside the fused-cpu Web Worker, so it references nothing outside its own body.
 */

/** A bounded least-recently-used map from plan keys to values. */
export interface PlanCache<V> {
  /** The most entries kept; setting one more drops the least recently used. */
  readonly limit: number;
  readonly size: number;
  /** The key of a plan: its JSON with object keys sorted, so equal plans give equal keys. */
  key(plan: unknown): string;
  /** The value under `key`, now the most recently used; undefined when absent. */
  get(key: string): V | undefined;
  /** Stores `value` as the most recently used, dropping the least recently used entry beyond `limit`. */
  set(key: string, value: V): void;
  /** Removes and returns the value under `key`. */
  take(key: string): V | undefined;
  /** Keys from the least to the most recently used. */
  keys(): string[];
}

export function fusedPlanCache<V>(limit: number): PlanCache<V> {
  if (!(Number.isInteger(limit) && limit >= 1))
    throw new Error(`fused plan cache: limit must be a whole number ≥ 1, got ${limit}`);
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, V>();

  function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
    if (value !== null && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      const fields = Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`);
      return `{${fields.join(',')}}`;
    }
    // Infinity and NaN would both become null in JSON: keep them apart.
    if (typeof value === 'number' && !Number.isFinite(value)) return `"${value}"`;
    return JSON.stringify(value) ?? 'null';
  }

  return {
    limit,
    get size() {
      return entries.size;
    },
    key: canonical,
    get(key) {
      const v = entries.get(key);
      if (v === undefined) return undefined;
      entries.delete(key);
      entries.set(key, v);
      return v;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > limit) entries.delete(entries.keys().next().value as string);
    },
    take(key) {
      const v = entries.get(key);
      entries.delete(key);
      return v;
    },
    keys: () => [...entries.keys()],
  };
}
