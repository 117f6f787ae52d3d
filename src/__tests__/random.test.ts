import { describe, expect, it } from 'vitest';
import { epochOrder } from '../data/sampling';
import { createRng, deriveSeed, permutation, seededPermutation } from '../random';

describe('seededPermutation', () => {
  it('is permutation(n, createRng(seed)), number for number', () => {
    for (const n of [0, 1, 2, 7, 250, 1000]) {
      for (const seed of [0, 1, 42, 0xffffffff, deriveSeed(3, 'epoch 17')]) {
        expect(Array.from(seededPermutation(n, seed))).toEqual(Array.from(permutation(n, createRng(seed))));
      }
    }
  });

  it('epoch orders are seeded permutations of 0…n−1, different per epoch', () => {
    const a = epochOrder(250, 7, 3, true);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 250 }, (_v, i) => i));
    expect(Array.from(epochOrder(250, 7, 3, true))).toEqual(Array.from(a));
    expect(Array.from(epochOrder(250, 7, 4, true))).not.toEqual(Array.from(a));
    expect(Array.from(epochOrder(5, 7, 3, false))).toEqual([0, 1, 2, 3, 4]);
  });
});
