/**
 * What the engines train on: a block of seeded epoch orders (a pure function of size, seed,
 * shuffle and epoch — `epochOrder`), built only when someone reads its rows. The trainer's
 * cursor hands out views of a block; an engine in a Worker builds the same rows there from the
 * block's source instead, so the page neither shuffles them nor sends them over.
 */
import { orderRows } from '../../random';

/** What a block of orders is made of: the orders of epochs `from` … `from + count − 1`, `size` rows each, back to back. */
export interface OrderSource {
  size: number;
  seed: number;
  shuffle: boolean;
  from: number;
  count: number;
}

/** A block's rows, built when first read (or ahead, in slices) and shared by every view of it. */
export class BlockRows {
  readonly source: OrderSource;
  #rows: ReturnType<typeof orderRows> | null = null;

  constructor(source: OrderSource) {
    this.source = source;
  }

  /** Whether anyone asked for the rows (then the next block will be wanted too). */
  get read(): boolean {
    return this.#rows !== null;
  }

  get complete(): boolean {
    return this.#rows?.built === this.source.count;
  }

  /** Builds the epochs up to `upTo` (of `count`). */
  fill(upTo: number): void {
    this.#rows ??= orderRows(this.source);
    this.#rows.fill(upTo);
  }

  all(): Int32Array {
    this.fill(this.source.count);
    return (this.#rows as ReturnType<typeof orderRows>).rows;
  }
}

/**
 * Rows `start` … `start + length − 1` of a block of epoch orders (`start` always at an epoch's
 * first row). `rows` builds them on first read; `source` says how to build them elsewhere.
 */
export class OrderBlock {
  readonly #block: BlockRows;
  readonly start: number;
  readonly length: number;

  constructor(block: BlockRows, start: number, length: number) {
    this.#block = block;
    this.start = start;
    this.length = length;
  }

  static of(source: OrderSource): OrderBlock {
    return new OrderBlock(new BlockRows(source), 0, source.count * source.size);
  }

  get source(): OrderSource {
    return this.#block.source;
  }

  /** The rows themselves, built (or finished) on first read. */
  get rows(): Int32Array {
    return this.#block.all().subarray(this.start, this.start + this.length);
  }

  /** Whether these rows were read here (a Worker engine builds its own and never does). */
  get read(): boolean {
    return this.#block.read;
  }

  /** The view `done` rows further on (`done` a whole number of epochs). */
  skip(done: number): OrderBlock {
    return new OrderBlock(this.#block, this.start + done, this.length - done);
  }

  /** The first `n` rows of this view. */
  take(n: number): OrderBlock {
    return n >= this.length ? this : new OrderBlock(this.#block, this.start, n);
  }
}

/** A block shuffled ahead is used only if everything it was built from still matches. */
export function sameSource(a: OrderSource, b: OrderSource): boolean {
  return a.size === b.size && a.seed === b.seed && a.shuffle === b.shuffle && a.from === b.from && a.count === b.count;
}
