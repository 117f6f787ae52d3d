/**
 * Where the current epoch stands: its row order (seeded, so a pure function of seed, epoch and
 * data size — see `epochOrder`), how many rows were trained, and the loss summed so far — on
 * the device for tfjs steps, on the host for fused chunks. A block of orders is built only when
 * an engine reads its rows: the fused-cpu Worker builds the same orders on its side from the
 * block's source, so the page neither shuffles them nor sends them over. When a block was read
 * here, the next one is shuffled ahead while a chunk runs.
 */
import * as tf from '@tensorflow/tfjs';
import { BlockRows, OrderBlock, type OrderSource, sameSource } from './engines/orderBlock';
import type { ChunkResult } from './engines/types';

/**
 * Rows of epoch order a spanning fused chunk gets at most (many epochs of a small set): enough to
 * fill a chunk's time budget (a Worker's 50 ms at ~10 M rows/s) — a shorter order would end
 * chunks early, and every chunk costs a round trip. 2 MB of Int32 where it is built.
 */
const SPAN_ROWS = 1 << 19;

/**
 * Rows a prefetch shuffles per task: a whole block at once (~25 ms on a loaded machine) would be
 * a main-thread long task beside the UI; slices of this size stay a few ms each, and the block
 * still fills long before the Worker's chunk ends.
 */
const SLICE_ROWS = 1 << 15;

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
  #perm: OrderBlock | null = null;
  /** The next block, shuffled ahead (only when this one's rows were read here). */
  #next: BlockRows | null = null;
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
   * epochs when `span`. The same block until the epoch (or block) ends or the cursor is dropped.
   */
  order(spec: OrderSpec, span: boolean): OrderBlock {
    if (this.#perm) return this.#perm;
    const source = sourceOf(spec, span, spec.epoch);
    const ready = this.#next;
    this.#next = null;
    this.#perm =
      ready && sameSource(ready.source, source)
        ? new OrderBlock(ready, 0, source.count * source.size)
        : OrderBlock.of(source);
    return this.#perm;
  }

  /** Whether `perm` is still the cursor's order (not dropped by stop, reset or new data meanwhile). */
  holds(perm: OrderBlock): boolean {
    return this.#perm === perm;
  }

  /**
   * While an engine trains the current block of epochs, shuffles the next one (~4 µs an epoch of
   * 250 rows — a tenth of a fast chunk's time if done between chunks instead), a slice per task
   * so that no task is long; the block's first read finishes what the slices have not. Only for
   * an engine that reads its orders here: a Worker's builds its own.
   */
  prefetch(spec: OrderSpec, perm: OrderBlock): void {
    if (!perm.read) return;
    const from = spec.epoch + Math.ceil(perm.length / spec.size);
    if (from >= spec.epochs || this.#next) return;
    const job = new BlockRows(sourceOf(spec, true, from));
    this.#next = job;
    const perSlice = Math.max(1, Math.floor(SLICE_ROWS / spec.size));
    let upTo = 0;
    const slice = () => {
      // A block dropped (clear) or taken (order) meanwhile needs no more slices.
      if (this.#next !== job) return;
      upTo += perSlice;
      job.fill(upTo);
      if (!job.complete) setTimeout(slice, 0);
    };
    slice();
  }

  /**
   * Books a chunk that trained from `offsetBefore` in `perm`: returns the epochs it
   * completed (usually none or one) and moves on to the rest of the block.
   */
  addChunk(result: ChunkResult, perm: OrderBlock, offsetBefore: number, size: number): EpochLoss[] {
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
    this.#perm = done < perm.length ? perm.skip(done) : null;
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
    this.#perm = OrderBlock.of(sourceOf(spec, false, spec.epoch));
    this.#offset = position.offset;
    this.#samples = position.offset;
    this.#hostSum = position.lossSum;
  }
}

/** The block of orders from epoch `from`: one epoch, or as many as SPAN_ROWS holds when spanning. */
function sourceOf(spec: OrderSpec, span: boolean, from: number): OrderSource {
  const count = span ? Math.max(1, Math.min(spec.epochs - from, Math.floor(SPAN_ROWS / spec.size))) : 1;
  return { size: spec.size, seed: spec.seed, shuffle: spec.shuffle, from, count };
}
