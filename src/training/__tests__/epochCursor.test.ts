// The epoch cursor's orders are a pure function of (seed, epoch, size, shuffle), however they are
// built: at once, shuffled ahead in slices across tasks, or a block taken before its slices ended.
import { describe, expect, it } from 'vitest';
import { epochOrder } from '../../data/sampling';
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
    expect(perm).toEqual(expected(spec(3), perm.length / 250));
    expect(c.order(spec(3), true)).toBe(perm);
  });

  it('a block shuffled ahead in slices, taken once the slices ended, is the block built at once', async () => {
    const c = new EpochCursor();
    const first = c.order(spec(0), true);
    const blocks = first.length / 250;
    c.prefetch(spec(0), first);
    // The slices run as separate tasks: let them all run.
    for (let i = 0; i < 200; i++) await tick();
    c.drop();
    const next = c.order(spec(blocks), true);
    expect(next).toEqual(expected(spec(blocks), next.length / 250));
  });

  it('a block taken before its slices ended is finished at once, and stale slices write nothing more', async () => {
    const c = new EpochCursor();
    const first = c.order(spec(0), true);
    const blocks = first.length / 250;
    c.prefetch(spec(0), first);
    c.drop();
    // Taken straight away: only the first slice ran.
    const next = c.order(spec(blocks), true);
    const snapshot = next.slice();
    expect(next).toEqual(expected(spec(blocks), next.length / 250));
    for (let i = 0; i < 50; i++) await tick();
    expect(next).toEqual(snapshot);
  });

  it('a prefetched block is used only if the spec still matches (other seed or size: built anew)', async () => {
    const c = new EpochCursor();
    const first = c.order(spec(0, 100), true);
    const blocks = first.length / 100;
    c.prefetch(spec(0, 100), first);
    c.drop();
    const other = { ...spec(blocks, 100), seed: 8 };
    const next = c.order(other, true);
    expect(next).toEqual(expected(other, next.length / 100));
  });

  it('without shuffling every epoch is 0…n−1', () => {
    const c = new EpochCursor();
    const perm = c.order(spec(5, 10, false), false);
    expect(Array.from(perm)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
