import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, datasets } from '../index';
import { expectReactNNError, rows, useCpu, values } from './helpers';

const made: Dataset[] = [];
function keep(ds: Dataset): Dataset {
  made.push(ds);
  return ds;
}

beforeAll(useCpu);
afterEach(() => {
  for (const ds of made.splice(0)) ds.dispose();
});

describe('housePrices', () => {
  it('is the course data: x = 30…140 step 10, the 12 given prices, regression', () => {
    const ds = keep(datasets.housePrices());
    expect(ds.x.shape).toEqual([12, 1]);
    expect(ds.y.shape).toEqual([12, 1]);
    expect(values(ds.x)).toEqual([30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140]);
    // Exact float32 values of the given decimals.
    expect(values(ds.y)).toEqual(Array.from(Float32Array.of(7.5, 7, 6.5, 6, 5.5, 5, 4.5, 3.5, 3.2, 2.8, 3, 2.5)));
    expect(ds.task).toBe('regression');
    expect(ds.numClasses).toBeUndefined();
    expect(ds.inputShape).toEqual([1]);
  });
});

describe('moons', () => {
  it('same seed gives identical arrays; another seed differs', () => {
    const a = keep(datasets.moons({ n: 200, seed: 7 }));
    const b = keep(datasets.moons({ n: 200, seed: 7 }));
    const c = keep(datasets.moons({ n: 200, seed: 8 }));
    expect(values(a.x)).toEqual(values(b.x));
    expect(values(a.y)).toEqual(values(b.y));
    expect(values(a.x)).not.toEqual(values(c.x));
  });

  it('has ⌊n/2⌋ outer (0) and the rest inner (1) points, shuffled', () => {
    const ds = keep(datasets.moons({ n: 1001 }));
    const y = values(ds.y);
    expect(y.filter((v) => v === 0)).toHaveLength(500);
    expect(y.filter((v) => v === 1)).toHaveLength(501);
    // Shuffled: the labels are not in two blocks.
    expect(y.slice(0, 500).every((v) => v === 0)).toBe(false);
    expect(ds.task).toBe('binary');
    expect(ds.numClasses).toBe(2);
    expect(ds.x.shape).toEqual([1001, 2]);
    expect(ds.y.shape).toEqual([1001, 1]);
  });

  it('with noise 0 the points lie on the two half circles at linspace(0, π) angles', () => {
    const n = 101;
    const ds = keep(datasets.moons({ n, noise: 0, seed: 3 }));
    const xy = rows(ds.x);
    const y = values(ds.y);
    const outer: number[] = [];
    const inner: number[] = [];
    xy.forEach(([a, b], i) => {
      if (y[i] === 0) {
        // Outer: unit circle, upper half.
        expect(Math.hypot(a as number, b as number)).toBeCloseTo(1, 6);
        expect(b).toBeGreaterThanOrEqual(-1e-7);
        outer.push(Math.atan2(b as number, a as number));
      } else {
        // Inner: (1 − cos t, 0.5 − sin t), a unit circle around (1, 0.5), lower half.
        expect(Math.hypot((a as number) - 1, (b as number) - 0.5)).toBeCloseTo(1, 6);
        expect(b).toBeLessThanOrEqual(0.5 + 1e-7);
        inner.push(Math.atan2(0.5 - (b as number), 1 - (a as number)));
      }
    });
    // Angles are exactly linspace(0, π, 50) and linspace(0, π, 51) (float32 tolerance).
    outer.sort((p, q) => p - q);
    inner.sort((p, q) => p - q);
    outer.forEach((t, i) => expect(Math.abs(t - (Math.PI * i) / 49)).toBeLessThan(1e-6));
    inner.forEach((t, i) => expect(Math.abs(t - (Math.PI * i) / 50)).toBeLessThan(1e-6));
  });

  it('noise has the requested standard deviation', () => {
    const clean = keep(datasets.moons({ n: 4000, noise: 0, seed: 5 }));
    const noisy = keep(datasets.moons({ n: 4000, noise: 0.3, seed: 5 }));
    // Same seed → same shuffle, so the difference is the noise alone.
    const base = values(clean.x);
    const d = values(noisy.x).map((v, i) => v - (base[i] as number));
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length);
    expect(Math.abs(mean)).toBeLessThan(0.015); // 4σ/√8000 ≈ 0.013
    expect(Math.abs(sd - 0.3)).toBeLessThan(0.015);
  });

  it('rejects bad options with the option named', () => {
    expectReactNNError(() => datasets.moons({ n: 0 }), {
      path: 'datasets.moons',
      code: 'option',
      message: /n must be an integer ≥ 2 \(got 0\)/,
    });
    expectReactNNError(() => datasets.moons({ n: 2.5 }), { path: 'datasets.moons', message: /got 2.5/ });
    expectReactNNError(() => datasets.moons({ noise: -1 }), {
      path: 'datasets.moons',
      message: /noise must be a finite number ≥ 0 \(got -1\)/,
    });
    expectReactNNError(() => datasets.moons({ seed: 0.5 }), {
      path: 'datasets.moons',
      message: /seed must be an integer/,
    });
  });
});

describe('circles', () => {
  it('with noise 0: radius 1 for label 0, factor for label 1, split ⌊n/2⌋ / rest', () => {
    const ds = keep(datasets.circles({ n: 301, noise: 0, factor: 0.5 }));
    const y = values(ds.y);
    rows(ds.x).forEach(([a, b], i) => {
      expect(Math.hypot(a as number, b as number)).toBeCloseTo(y[i] === 0 ? 1 : 0.5, 6);
    });
    expect(y.filter((v) => v === 0)).toHaveLength(150);
    expect(y.filter((v) => v === 1)).toHaveLength(151);
  });

  it('defaults to factor 0.8 and validates factor', () => {
    const ds = keep(datasets.circles({ n: 10, noise: 0 }));
    const r = rows(ds.x).map(([a, b]) => Math.hypot(a as number, b as number));
    expect(Math.min(...r)).toBeCloseTo(0.8, 6);
    expectReactNNError(() => datasets.circles({ factor: 1 }), {
      path: 'datasets.circles',
      message: /factor must be in \[0, 1\)/,
    });
  });
});

describe('xor', () => {
  it('labels 1 exactly when one coordinate is positive; points in [-1, 1]²', () => {
    const ds = keep(datasets.xor({ n: 500, seed: 2 }));
    const y = values(ds.y);
    rows(ds.x).forEach(([a, b], i) => {
      expect(Math.abs(a as number)).toBeLessThanOrEqual(1);
      expect(Math.abs(b as number)).toBeLessThanOrEqual(1);
      expect(y[i]).toBe((a as number) * (b as number) < 0 ? 1 : 0);
    });
    const ones = y.filter((v) => v === 1).length;
    expect(ones).toBeGreaterThan(200); // ~250 expected; binomial sd ≈ 11
    expect(ones).toBeLessThan(300);
  });
});

describe('gaussians', () => {
  it('draws each class around its given centre with the given std, sizes as make_blobs', () => {
    const centers = [
      [0, 0],
      [5, -5],
      [-4, 6],
    ];
    const ds = keep(datasets.gaussians({ n: 3001, centers, std: [0.5, 1, 2], seed: 4 }));
    const y = values(ds.y);
    const xy = rows(ds.x);
    const counts = [0, 1, 2].map((c) => y.filter((v) => v === c).length);
    expect(counts).toEqual([1001, 1000, 1000]);
    [0.5, 1, 2].forEach((std, c) => {
      const pts = xy.filter((_, i) => y[i] === c);
      for (const d of [0, 1]) {
        const vals = pts.map((p) => p[d] as number);
        const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
        const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / vals.length);
        // 5 standard errors: mean ± 5σ/√1000, sd ± 5σ/√2000.
        expect(Math.abs(mean - ((centers[c] as number[])[d] as number))).toBeLessThan((5 * std) / Math.sqrt(1000));
        expect(Math.abs(sd - std)).toBeLessThan((5 * std) / Math.sqrt(2000));
      }
    });
    expect(ds.numClasses).toBe(3);
    expect(ds.task).toBe('multiclass');
  });

  it('random centres lie in the box and are seeded', () => {
    const a = keep(datasets.gaussians({ n: 40, centers: 4, dims: 3, std: 0, box: [2, 3], seed: 9 }));
    const b = keep(datasets.gaussians({ n: 40, centers: 4, dims: 3, std: 0, box: [2, 3], seed: 9 }));
    expect(a.inputShape).toEqual([3]);
    expect(values(a.x).every((v) => v >= 2 && v <= 3)).toBe(true);
    expect(values(a.x)).toEqual(values(b.x));
    expectReactNNError(() => datasets.gaussians({ centers: [[0, 0], [1]] }), {
      path: 'datasets.gaussians',
      message: /centers must be/,
    });
    expectReactNNError(() => datasets.gaussians({ centers: 3, std: [1, 2] }), {
      path: 'datasets.gaussians',
      message: /std must be/,
    });
  });
});

describe('spiral', () => {
  it('has C·N rows ordered by class, and the radius of point i is linspace(0, 1, N)[i]', () => {
    const N = 100;
    const C = 3;
    const ds = keep(datasets.spiral({ pointsPerClass: N, classes: C, seed: 1 }));
    expect(ds.x.shape).toEqual([N * C, 2]);
    expect(ds.y.shape).toEqual([N * C, 1]);
    expect(ds.numClasses).toBe(3);
    const y = values(ds.y);
    const xy = rows(ds.x);
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < N; i++) {
        const row = c * N + i;
        expect(y[row]).toBe(c);
        const [a, b] = xy[row] as [number, number];
        // Noise only moves the angle: the radius is exact (float32 tolerance).
        expect(Math.abs(Math.hypot(a, b) - i / (N - 1))).toBeLessThan(1e-6);
      }
    }
  });

  it('angles follow linspace(2πc/C, 2π(c+2)/C) with N(0, 0.2²) noise', () => {
    const N = 2000;
    const C = 3;
    const ds = keep(datasets.spiral({ pointsPerClass: N, classes: C, seed: 2 }));
    const xy = rows(ds.x);
    const residuals: number[] = [];
    for (let c = 0; c < C; c++) {
      for (let i = 1; i < N; i++) {
        const [a, b] = xy[c * N + i] as [number, number];
        const expected = (2 * Math.PI * c) / C + ((4 * Math.PI) / C) * (i / (N - 1));
        // point = r·(sin t, cos t), so t = atan2(x, y); wrap the difference into (−π, π].
        let d = Math.atan2(a, b) - expected;
        d -= 2 * Math.PI * Math.round(d / (2 * Math.PI));
        residuals.push(d);
      }
    }
    const mean = residuals.reduce((s, v) => s + v, 0) / residuals.length;
    const sd = Math.sqrt(residuals.reduce((s, v) => s + (v - mean) ** 2, 0) / residuals.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sd - 0.2)).toBeLessThan(0.01);
  });

  it('validates classes and pointsPerClass', () => {
    expectReactNNError(() => datasets.spiral({ classes: 1 }), {
      path: 'datasets.spiral',
      message: /classes must be an integer ≥ 2 \(got 1\)/,
    });
    expectReactNNError(() => datasets.spiral({ pointsPerClass: -3 }), {
      path: 'datasets.spiral',
      message: /pointsPerClass must be a positive integer/,
    });
  });
});

describe('multiLabel', () => {
  it('has three 0/1 label columns that match their rules', () => {
    const ds = keep(datasets.multiLabel({ n: 400, seed: 3 }));
    expect(ds.task).toBe('multilabel');
    expect(ds.y.shape).toEqual([400, 3]);
    expect(ds.numClasses).toBe(3);
    expect(ds.classNames).toEqual(['x > 0', 'y > 0', '|x| + |y| < 1']);
    const ys = rows(ds.y);
    rows(ds.x).forEach(([a, b], i) => {
      expect(ys[i]).toEqual([
        (a as number) > 0 ? 1 : 0,
        (b as number) > 0 ? 1 : 0,
        Math.abs(a as number) + Math.abs(b as number) < 1 ? 1 : 0,
      ]);
    });
    // The diamond covers half the square.
    const inside = ys.filter((r) => r[2] === 1).length;
    expect(inside).toBeGreaterThan(160);
    expect(inside).toBeLessThan(240);
  });
});

describe('tensor bookkeeping', () => {
  it('every generator leaves no tensors behind once disposed', () => {
    const before = tf.memory().numTensors;
    for (const make of [
      () => datasets.moons({ n: 50 }),
      () => datasets.circles({ n: 50 }),
      () => datasets.xor({ n: 50 }),
      () => datasets.gaussians({ n: 50 }),
      () => datasets.housePrices(),
      () => datasets.spiral({ pointsPerClass: 20 }),
      () => datasets.multiLabel({ n: 50 }),
    ]) {
      const ds = make();
      expect(tf.memory().numTensors).toBe(before + 2);
      ds.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
