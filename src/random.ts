/**
 * Seeded pseudo-random numbers shared by data generators, shuffling, initialisers and
 * dropout. Pure JavaScript (no tfjs) so the same seed gives the same stream on every
 * backend and in every environment.
 */

/** A seeded source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for shuffles and initialisation. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples by Box–Muller, drawing from `rng`. */
export function randn(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * The seeded hashing and shuffling that epoch orders are made of. SELF-CONTAINED (no outside
 * names): its source text also runs in the fused-cpu Worker, which builds the epoch orders it
 * trains on itself — the very same numbers, without the page shuffling them or sending them over.
 */
export function seededOrders() {
  /** FNV-1a hash of a label, mixed into a seed so that each named stream is independent. */
  function deriveSeed(seed: number, label: string): number {
    let h = (0x811c9dc5 ^ seed) >>> 0;
    for (let i = 0; i < label.length; i++) {
      h ^= label.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /**
   * `permutation(n, createRng(seed))` with mulberry32 written inline: the same numbers, ~1.7× faster.
   * The trainer shuffles every epoch (a fused engine trains a playground epoch in ~50 µs), and a
   * fresh closure per epoch is a call V8 does not inline. Writes into `idx` (n long) when given.
   */
  function seededPermutation(n: number, seed: number, idx: Int32Array = new Int32Array(n)): Int32Array {
    for (let i = 0; i < n; i++) idx[i] = i;
    let a = seed >>> 0;
    for (let i = n - 1; i > 0; i--) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const j = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * (i + 1));
      const tmp = idx[i] as number;
      idx[i] = idx[j] as number;
      idx[j] = tmp;
    }
    return idx;
  }

  /**
   * The row order of one epoch: a permutation drawn from (seed, epoch) alone, so epoch 3 of a
   * run is the same whether or not epochs 0–2 ran in this process (resume, step-through).
   * Writes into `out` (n long) when given.
   */
  function epochOrder(
    n: number,
    seed: number,
    epoch: number,
    shuffle: boolean,
    out: Int32Array = new Int32Array(n),
  ): Int32Array {
    if (shuffle) return seededPermutation(n, deriveSeed(seed, `epoch ${epoch}`), out);
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }

  /**
   * Writes the orders of epochs `from + first` … `from + end − 1` into `out`, epoch `from + e` at
   * row `e × size`: a block of epochs back to back, built in parts as it is needed.
   */
  function fillOrders(
    out: Int32Array,
    block: { size: number; seed: number; shuffle: boolean; from: number },
    first: number,
    end: number,
  ): void {
    const n = block.size;
    for (let e = first; e < end; e++) {
      epochOrder(n, block.seed, block.from + e, block.shuffle, out.subarray(e * n, (e + 1) * n));
    }
  }

  /**
   * A block's rows, built epoch by epoch as they are needed: `fill(upTo)` builds the epochs not
   * built yet up to `upTo` (of `count`), `built` says how far it got. The trainer's cursor and the
   * fused-cpu Worker both build blocks with it.
   */
  function orderRows(block: { size: number; seed: number; shuffle: boolean; from: number; count: number }) {
    const rows = new Int32Array(block.count * block.size);
    let built = 0;
    return {
      rows,
      get built(): number {
        return built;
      },
      fill(upTo: number): void {
        const end = Math.min(block.count, upTo);
        if (end <= built) return;
        fillOrders(rows, block, built, end);
        built = end;
      },
    };
  }

  return { deriveSeed, seededPermutation, epochOrder, fillOrders, orderRows };
}

export const { deriveSeed, seededPermutation, epochOrder, fillOrders, orderRows } = seededOrders();

/** Fisher–Yates shuffle of 0..n-1, seeded. */
export function permutation(n: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = t;
  }
  return idx;
}

/** A fresh seed when the user gave none, so unseeded runs still differ from each other. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
