// The epoch cursor's orders are a pure function of (seed, epoch, size, shuffle), however they are
// built: at once, shuffled ahead in slices across tasks, a block taken before its slices ended, or
// by the source text the fused-cpu Worker runs. A block nobody read here is never shuffled here.
import { describe, expect, it } from 'vitest';
import { epochOrder } from '../../data/sampling';
import { fillOrders, seededOrders } from '../../random';
import { EpochCursor, type OrderSpec } from '../epochCursor';

const spec = (epoch: number, size = 250, shuffle = true): OrderSpec => ({ epoch, epochs: 1e7, size, seed: 7, shuffle });
const expected = (s: OrderSpec, count: number) => {
  const out = new Int32Array(count * s.size);
  for (let i = 0; i < count; i++) out.set(epochOrder(s.size, s.seed, s.epoch + i, s.shuffle), i * s.size);
  return out;
};
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('EpochCursor', () => {
  it('a spanning block holds whole epochs of seeded orders, back to back', () => {
    const c = new EpochCursor();
    const perm = c.order(spec(3), true);
    expect(perm.length % 250).toBe(0);
    expect(perm.length).toBeGreaterThan(250 * 1000);
    expect(perm.read).toBe(false);
    expect(perm.rows).toEqual(expected(spec(3), perm.length / 250));
    expect(perm.read).toBe(true);
    expect(c.order(spec(3), true)).toBe(perm);
  });

  it('a block shuffled ahead in slices, taken once the slices ended, is the block built at once', async () => {
    const c = new EpochCursor();
    const first = c.order(spec(0), true);
    const blocks = first.length / 250;
    void first.rows;
    c.prefetch(spec(0), first);
    // The slices run as separate tasks: let them all run.
    for (let i = 0; i < 200; i++) await tick();
    c.drop();
    const next = c.order(spec(blocks), true);
    // Shuffled ahead: built before anyone read it.
    expect(next.read).toBe(true);
    expect(next.rows).toEqual(expected(spec(blocks), next.length / 250));
  });

  it('a block taken before its slices ended is finished at once, and stale slices write nothing more', async () => {
    const c = new EpochCursor();
    const first = c.order(spec(0), true);
    const blocks = first.length / 250;
    void first.rows;
    c.prefetch(spec(0), first);
    c.drop();
    // Taken straight away: only the first slice ran.
    const next = c.order(spec(blocks), true);
    const rows = next.rows;
    const snapshot = rows.slice();
    expect(rows).toEqual(expected(spec(blocks), next.length / 250));
    for (let i = 0; i < 50; i++) await tick();
    expect(rows).toEqual(snapshot);
  });

  it('a prefetched block is used only if the spec still matches (other seed or size: built anew)', async () => {
    const c = new EpochCursor();
    const first = c.order(spec(0, 100), true);
    const blocks = first.length / 100;
    void first.rows;
    c.prefetch(spec(0, 100), first);
    c.drop();
    const other = { ...spec(blocks, 100), seed: 8 };
    const next = c.order(other, true);
    expect(next.rows).toEqual(expected(other, next.length / 100));
  });

  it('without shuffling every epoch is 0…n−1', () => {
    const c = new EpochCursor();
    const perm = c.order(spec(5, 10, false), false);
    expect(Array.from(perm.rows)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a block nobody read here (a Worker engine builds its own) is not shuffled ahead', async () => {
    const c = new EpochCursor();
    const first = c.order(spec(0), true);
    c.prefetch(spec(0), first);
    for (let i = 0; i < 50; i++) await tick();
    c.drop();
    const next = c.order(spec(first.length / 250), true);
    expect(next.read).toBe(false);
  });

  it('views of a block: skip() moves on by whole epochs, take() keeps the first rows', () => {
    const c = new EpochCursor();
    const perm = c.order(spec(2), true);
    const all = expected(spec(2), perm.length / 250);
    const later = perm.skip(500);
    expect(later.start).toBe(500);
    expect(later.length).toBe(perm.length - 500);
    expect(later.rows).toEqual(all.subarray(500));
    expect(later.take(250).rows).toEqual(all.subarray(500, 750));
    expect(later.source).toBe(perm.source);
  });
});

describe('seededOrders, as the fused-cpu Worker runs it (its source text alone)', () => {
  it('builds the same orders as this module, in parts, with nothing from outside', () => {
    // What the Worker does: evaluate the factory's source with no imports in scope.
    const isolated = new Function(`return (${seededOrders.toString()})();`)() as ReturnType<typeof seededOrders>;
    const source = { size: 250, seed: 7, shuffle: true, from: 40, count: 6 };
    const here = new Int32Array(6 * 250);
    fillOrders(here, source, 0, 6);
    const there = new Int32Array(6 * 250);
    isolated.fillOrders(there, source, 0, 2);
    isolated.fillOrders(there, source, 2, 6);
    expect(there).toEqual(here);
    expect(here).toEqual(expected(spec(40), 6));
    // The Worker's block builder: epochs as chunks reach them, never past `count`, none twice.
    const block = isolated.orderRows(source);
    block.fill(2);
    expect(block.built).toBe(2);
    block.fill(1);
    expect(block.built).toBe(2);
    block.fill(99);
    expect(block.built).toBe(6);
    expect(block.rows).toEqual(here);
    expect(isolated.epochOrder(10, 3, 0, false)).toEqual(Int32Array.from({ length: 10 }, (_, i) => i));
  });
});
