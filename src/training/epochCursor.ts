/**
 * Where the current epoch stands: its row order (seeded, so a pure function of seed, epoch and
 * data size — see `epochOrder`), how many rows were trained, and the loss summed so far — on
 * the device for tfjs steps, on the host for fused chunks. The next block of orders may be
 * shuffled ahead while a chunk runs.
 */
import * as tf from '@tensorflow/tfjs';
import { epochOrder } from '../data/sampling';
import type { ChunkResult } from './engines/types';

/**
 * Rows of epoch order a spanning fused chunk gets at most (many epochs of a small set): enough to
 * fill a chunk's time budget (a Worker's 50 ms at ~10 M rows/s) — a shorter order would end
 * chunks early, and every chunk costs a round trip. 2 MB of Int32, sent to a Worker once.
 */
const SPAN_ROWS = 1 << 19;

/**
 * Rows a prefetch shuffles per task: a whole block at once (~25 ms on a loaded machine) would be
 * a main-thread long task beside the UI; slices of this size stay a few ms each, and the block
 * still fills long before the Worker's chunk ends.
 */
const SLICE_ROWS = 1 << 15;

/** A block of orders being shuffled ahead, a slice per task. */
interface Prefetch {
  key: string;
  spec: OrderSpec;
  from: number;
  count: number;
  order: Int32Array;
  /** Epochs of the block shuffled so far. */
  built: number;
}

/** What an epoch's row order depends on. */
export interface OrderSpec {
  /** The epoch the cursor is in (epochs completed so far). */
  epoch: number;
  /** The run's total epochs: a block of orders never goes past them. */
  epochs: number;
  size: number;
  seed: number;
  shuffle: boolean;
}

/** One finished epoch's training loss, in parts: Σ loss × rows on the device (tfjs steps) and on the host (fused chunks). */
export interface EpochLoss {
  deviceSum: tf.Tensor | null;
  hostSum: number;
  samples: number;
}

/** The plain-data part of a cursor, for saving a trainer mid-epoch. */
export interface CursorPosition {
  /** Rows of the current epoch already trained. */
  offset: number;
  /** Σ batch mean loss × rows of those rows, device and host parts added. */
  lossSum: number;
}

export class EpochCursor {
  #perm: Int32Array | null = null;
  #next: Prefetch | null = null;
  #offset = 0;
  #deviceSum: tf.Tensor | null = null;
  #hostSum = 0;
  #samples = 0;

  /** Rows of the current epoch trained so far. */
  get offset(): number {
    return this.#offset;
  }

  /** The host part of the current epoch's loss sum (what a fused chunk continues). */
  get hostSum(): number {
    return this.#hostSum;
  }

  /**
   * The row order from the current epoch on: one epoch's, or up to SPAN_ROWS rows of whole
   * epochs when `span`. The same array until the epoch (or block) ends or the cursor is dropped.
   */
  order(spec: OrderSpec, span: boolean): Int32Array {
    if (this.#perm) return this.#perm;
    const count = blockCount(spec, span, spec.epoch);
    const ready = this.#next;
    this.#next = null;
    if (ready?.key === blockKey(spec, spec.epoch, count)) {
      fill(ready, ready.count); // whatever the slices have not shuffled yet
      this.#perm = ready.order;
    } else {
      this.#perm = buildOrders(spec, spec.epoch, count);
    }
    return this.#perm;
  }

  /** Whether `perm` is still the cursor's order (not dropped by stop, reset or new data meanwhile). */
  holds(perm: Int32Array): boolean {
    return this.#perm === perm;
  }

  /**
   * While a Worker trains the current block of epochs, shuffles the next one (~4 µs an epoch of
   * 250 rows — a tenth of a fast chunk's time if done between chunks instead), a slice per task
   * so that no task is long; `order()` finishes a block the slices have not.
   */
  prefetch(spec: OrderSpec, perm: Int32Array): void {
    const from = spec.epoch + Math.ceil(perm.length / spec.size);
    if (from >= spec.epochs || this.#next) return;
    const count = blockCount(spec, true, from);
    const job: Prefetch = {
      key: blockKey(spec, from, count),
      spec: { ...spec },
      from,
      count,
      order: new Int32Array(count * spec.size),
      built: 0,
    };
    this.#next = job;
    const perSlice = Math.max(1, Math.floor(SLICE_ROWS / spec.size));
    const slice = () => {
      // A block dropped (clear) or taken (order) meanwhile needs no more slices.
      if (this.#next !== job) return;
      fill(job, job.built + perSlice);
      if (job.built < job.count) setTimeout(slice, 0);
    };
    slice();
  }

  /**
   * Books a chunk that trained from `offsetBefore` in `perm`: returns the epochs it
   * completed (usually none or one) and moves on to the rest of the block.
   */
  addChunk(result: ChunkResult, perm: Int32Array, offsetBefore: number, size: number): EpochLoss[] {
    if (result.deviceLossSum) {
      const prev = this.#deviceSum;
      const part = result.deviceLossSum;
      this.#deviceSum = prev ? tf.tidy(() => tf.add(prev, part)) : part;
      if (prev) tf.dispose([prev, part]);
    }
    const sums = result.epochLossSums;
    this.#offset += result.samples;
    if (sums.length === 0) {
      this.#hostSum = result.lossSum;
      this.#samples += result.samples;
      return [];
    }
    // The first completed epoch continues this epoch's sums (part of it may have trained on
    // tfjs, summed on the device); the others trained whole inside the chunk.
    const epochs: EpochLoss[] = sums.map((hostSum, i) =>
      i === 0
        ? { deviceSum: this.#deviceSum, hostSum, samples: this.#samples + size - offsetBefore }
        : { deviceSum: null, hostSum, samples: size },
    );
    this.#deviceSum = null;
    const done = sums.length * size;
    this.#perm = done < perm.length ? perm.subarray(done) : null;
    this.#offset -= done;
    this.#hostSum = result.lossSum;
    this.#samples = this.#offset;
    return epochs;
  }

  /** The finished epoch's loss parts (the caller owns `deviceSum`), leaving the cursor at the next epoch's start. */
  take(): EpochLoss {
    const epoch = { deviceSum: this.#deviceSum, hostSum: this.#hostSum, samples: this.#samples };
    this.#deviceSum = null;
    this.drop();
    return epoch;
  }

  /** Forgets the partial epoch (stop, reset, new data): the next step starts the epoch over. */
  drop(): void {
    this.#deviceSum?.dispose();
    this.#deviceSum = null;
    this.#hostSum = 0;
    this.#samples = 0;
    this.#perm = null;
    this.#offset = 0;
  }

  /** Forgets the shuffled-ahead block too (the data or seed changed). */
  clear(): void {
    this.drop();
    this.#next = null;
  }

  /** Where the epoch stands, read from the device (async: a WebGPU read is). */
  async position(): Promise<CursorPosition> {
    const device = this.#deviceSum ? ((await this.#deviceSum.data())[0] as number) : 0;
    return { offset: this.#offset, lossSum: this.#hostSum + device };
  }

  /**
   * Continues a saved epoch: `offset` rows in, with their loss sum (kept on the host; a tfjs
   * step adds to the device part). The order itself is rebuilt from the seed.
   */
  restore(spec: OrderSpec, position: CursorPosition): void {
    this.clear();
    if (position.offset === 0) return;
    this.#perm = epochOrder(spec.size, spec.seed, spec.epoch, spec.shuffle);
    this.#offset = position.offset;
    this.#samples = position.offset;
    this.#hostSum = position.lossSum;
  }
}

/** Epochs in a block of orders from epoch `from`: one, or as many as SPAN_ROWS holds when spanning. */
function blockCount(spec: OrderSpec, span: boolean, from: number): number {
  return span ? Math.max(1, Math.min(spec.epochs - from, Math.floor(SPAN_ROWS / spec.size))) : 1;
}

/** What a block's orders depend on: a prefetched block is used only if everything still matches. */
function blockKey(spec: OrderSpec, from: number, count: number): string {
  return `${from}/${count}/${spec.size}/${spec.seed}/${spec.shuffle}`;
}

/** Shuffles a prefetched block's epochs up to `upTo` (of its `count`). */
function fill(job: Prefetch, upTo: number): void {
  const n = job.spec.size;
  const end = Math.min(job.count, upTo);
  for (; job.built < end; job.built++) {
    job.order.set(epochOrder(n, job.spec.seed, job.from + job.built, job.spec.shuffle), job.built * n);
  }
}

/** The seeded row orders of epochs `from` … `from + count − 1`, back to back. */
function buildOrders(spec: OrderSpec, from: number, count: number): Int32Array {
  const n = spec.size;
  if (count === 1) return epochOrder(n, spec.seed, from, spec.shuffle);
  const out = new Int32Array(count * n);
  for (let i = 0; i < count; i++) out.set(epochOrder(n, spec.seed, from + i, spec.shuffle), i * n);
  return out;
}
