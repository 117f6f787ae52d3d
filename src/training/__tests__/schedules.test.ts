import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { catchReactNNError } from '../../../test/util/reactNNError';
import {
  cosineAnnealingLR,
  type EpochLogs,
  exponentialLR,
  type LRSchedule,
  reduceLROnPlateau,
  stepLR,
} from '../schedules';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const catchError = catchReactNNError;

/** Drives a schedule like a trainer: lr for epochs 1..n, feeding each result back in. */
function run(
  schedule: LRSchedule,
  baseLr: number,
  epochs: number,
  logs: (epoch: number) => EpochLogs = () => ({}),
): number[] {
  let lr = baseLr;
  const out: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    lr = schedule.onEpochEnd(epoch, logs(epoch), lr);
    out.push(lr);
  }
  return out;
}

function expectClose(got: number[], want: number[], digits = 12): void {
  expect(got).toHaveLength(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
}

describe('stepLR', () => {
  // lr_e = base · γ^⌊e/stepSize⌋ for e = 1..8, base 1, stepSize 3, γ 0.5
  it('decays by gamma every stepSize epochs', () => {
    const want = Array.from({ length: 8 }, (_, i) => 0.5 ** Math.floor((i + 1) / 3));
    expectClose(run(stepLR({ stepSize: 3, gamma: 0.5 }), 1, 8), want);
    expect(stepLR({ stepSize: 2 }).options).toEqual({ stepSize: 2, gamma: 0.1 });
  });

  it('decays from a learning rate the user changed mid-run (torch’s chainable step)', () => {
    const s = stepLR({ stepSize: 2, gamma: 0.1 });
    expect(s.onEpochEnd(0, {}, 1)).toBe(1);
    // The user sets lr = 0.5 during epoch 1; the decay at e = 2 applies to it.
    expect(s.onEpochEnd(1, {}, 0.5)).toBeCloseTo(0.05, 15);
  });
});

describe('exponentialLR', () => {
  // lr_e = 0.1 · 0.9^e
  it('multiplies by gamma every epoch', () => {
    expectClose(
      run(exponentialLR({ gamma: 0.9 }), 0.1, 5),
      [1, 2, 3, 4, 5].map((e) => 0.1 * 0.9 ** e),
    );
  });
});

describe('cosineAnnealingLR', () => {
  // η_e = η_min + (η_max − η_min)(1 + cos(πe/T))/2 with η_max 0.1, η_min 0.001, T 10
  const closed = (e: number) => 0.001 + ((0.1 - 0.001) * (1 + Math.cos((Math.PI * e) / 10))) / 2;

  it('follows the closed form, half way at tMax/2 and etaMin at tMax', () => {
    const lrs = run(cosineAnnealingLR({ tMax: 10, etaMin: 0.001 }), 0.1, 10);
    expectClose(
      lrs,
      Array.from({ length: 10 }, (_, i) => closed(i + 1)),
    );
    // e = 5: 0.001 + 0.099 · (1 + 0)/2 = 0.0505
    expect(lrs[4]).toBeCloseTo(0.0505, 12);
    expect(lrs[9]).toBeCloseTo(0.001, 12);
  });

  it('rises again after tMax like torch (period 2·tMax)', () => {
    const lrs = run(cosineAnnealingLR({ tMax: 10, etaMin: 0.001 }), 0.1, 25);
    expectClose(
      lrs.slice(10),
      Array.from({ length: 15 }, (_, i) => closed(i + 11)),
      10,
    );
    // e = 20 is back at the base learning rate.
    expect(lrs[19]).toBeCloseTo(0.1, 10);
  });
});

describe('reduceLROnPlateau', () => {
  // patience 2, factor 0.5: best 0.9 at epoch 1; epochs 2, 3, 4 are bad → the third bad
  // epoch (> patience) halves the lr at the end of epoch 4. At epoch 5, 0.8999 < 0.9·(1 − 1e-4)
  // = 0.89991 counts as better (relative threshold), so nothing changes.
  it('reduces after patience epochs without improvement', () => {
    const losses = [1, 0.9, 0.95, 0.92, 0.91, 0.8999, 0.89];
    const s = reduceLROnPlateau({ patience: 2, factor: 0.5 });
    expect(run(s, 1, losses.length, (e) => ({ loss: 2, val_loss: losses[e] }))).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5]);
    expect(s.state).toMatchObject({ best: 0.89, numBadEpochs: 0, lastEpoch: 7 });
  });

  it('a change smaller than the relative threshold is no improvement', () => {
    // best 1; 0.99995 > 1·(1 − 1e-4) = 0.9999 → bad epochs 1 and 2 (> patience 1) → reduce.
    const s = reduceLROnPlateau({ monitor: 'loss', patience: 1 });
    expect(run(s, 0.1, 3, (e) => ({ loss: [1, 0.99995, 0.99991][e] }))).toEqual([0.1, 0.1, expect.closeTo(0.01, 15)]);
    // In 'abs' mode with threshold 1e-6 both steps count as improvements: no reduction.
    const abs = reduceLROnPlateau({ monitor: 'loss', patience: 1, thresholdMode: 'abs', threshold: 1e-6 });
    expect(run(abs, 0.1, 3, (e) => ({ loss: [1, 0.99995, 0.99991][e] }))).toEqual([0.1, 0.1, 0.1]);
  });

  // patience 0, cooldown 2, a flat loss: reduce at epoch 1; epochs 2 and 3 are cooldown; reduce again at 4.
  it('waits cooldown epochs after a reduction, and stops at minLR', () => {
    const s = reduceLROnPlateau({ monitor: 'loss', patience: 0, cooldown: 2, factor: 0.5, minLR: 0.2 });
    expect(run(s, 1, 7, () => ({ loss: 1 }))).toEqual([1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]);
    // The next reduction would be 0.125 < minLR: clamp at 0.2.
    expect(s.onEpochEnd(7, { loss: 1 }, 0.25)).toBe(0.2);
  });

  it('mode max for metrics that grow', () => {
    const s = reduceLROnPlateau({ monitor: 'val_accuracy', mode: 'max', patience: 1 });
    const acc = [0.5, 0.6, 0.6, 0.59, 0.7];
    expect(run(s, 0.1, 5, (e) => ({ val_accuracy: acc[e] }))).toEqual([
      0.1,
      0.1,
      0.1,
      expect.closeTo(0.01, 15),
      expect.closeTo(0.01, 15),
    ]);
  });

  it('next() is pure and initial() starts fresh', () => {
    const s = reduceLROnPlateau({ monitor: 'loss', patience: 0 });
    const s0 = s.initial(1);
    expect(s0).toEqual({
      baseLr: 1,
      lastEpoch: 0,
      best: Number.POSITIVE_INFINITY,
      numBadEpochs: 0,
      cooldownCounter: 0,
    });
    const a = s.next(s0, 0, 1, { loss: 3 });
    const b = s.next(a.state, 1, a.lr, { loss: 3 });
    expect(s0.best).toBe(Number.POSITIVE_INFINITY);
    expect(a).toEqual({ lr: 1, state: { ...s0, lastEpoch: 1, best: 3 } });
    expect(b.lr).toBeCloseTo(0.1, 15);
    expect(s.state).toBeNull();
  });

  it('reset forgets the held state', () => {
    const s = reduceLROnPlateau({ monitor: 'loss', patience: 0 });
    s.onEpochEnd(0, { loss: 1 }, 1);
    expect(s.state?.best).toBe(1);
    s.reset();
    expect(s.state).toBeNull();
    s.reset(0.5);
    expect(s.state).toMatchObject({ baseLr: 0.5, best: Number.POSITIVE_INFINITY });
  });

  it('says what to do when the monitored value is not logged', () => {
    const s = reduceLROnPlateau();
    expect(s.monitor).toBe('val_loss');
    const err = catchError(() => s.onEpochEnd(0, { loss: 1, accuracy: 0.5 }, 0.1));
    expect(err.message).toBe(
      'reduceLROnPlateau: reduceLROnPlateau watches "val_loss" but this epoch logged "loss" or "accuracy" — give the trainer validation data, or set monitor to one of the logged values',
    );
  });
});

describe('validation', () => {
  const bad: [string, () => unknown, string][] = [
    ['stepSize 0', () => stepLR({ stepSize: 0 }), 'stepSize must be a positive integer (epochs) (got 0)'],
    ['missing gamma', () => exponentialLR({} as never), 'gamma is required, e.g. { gamma: 0.95 }'],
    ['fractional tMax', () => cosineAnnealingLR({ tMax: 1.5 }), 'tMax must be a positive integer (epochs) (got 1.5)'],
    ['negative etaMin', () => cosineAnnealingLR({ tMax: 5, etaMin: -1 }), 'etaMin must be a number ≥ 0 (got -1)'],
    ['factor 1', () => reduceLROnPlateau({ factor: 1 }), 'factor must be between 0 and 1 (exclusive)'],
    [
      'typo',
      () => reduceLROnPlateau({ patiance: 3 } as never),
      'unknown option "patiance" — options are "monitor", "factor", "patience"',
    ],
    ['bad mode', () => reduceLROnPlateau({ mode: 'maximum' as never }), 'mode must be "min" or "max" (got "maximum")'],
    [
      'options not an object',
      () => stepLR(10 as never),
      'expected an options object like { stepSize: 10, gamma: 0.1 } (got 10)',
    ],
    ['negative epoch', () => stepLR({ stepSize: 1 }).onEpochEnd(-1, {}, 0.1), 'epoch must be an integer ≥ 0'],
    ['NaN lr', () => stepLR({ stepSize: 1 }).onEpochEnd(0, {}, Number.NaN), 'must be a number ≥ 0 (got NaN)'],
  ];
  for (const [label, f, message] of bad) {
    it(`rejects ${label}`, () => {
      const err = catchError(f);
      expect(err.code).toBe('option');
      expect(err.message).toContain(message);
    });
  }

  it('uses the given path', () => {
    expect(catchError(() => stepLR({ stepSize: -2 }, 'callbacks[1] > lrSchedule')).message).toMatch(
      /^callbacks\[1\] > lrSchedule: stepSize/,
    );
  });
});

describe('learning-rate names', () => {
  it('reduceLROnPlateau takes minLR, and the deprecated minLr the same way', () => {
    const lrs = (s: ReturnType<typeof reduceLROnPlateau>) => {
      const out: number[] = [];
      let lr = 1;
      for (let e = 0; e < 6; e++) {
        lr = s.onEpochEnd(e, { loss: 1 }, lr);
        out.push(lr);
      }
      return out;
    };
    const a = lrs(reduceLROnPlateau({ monitor: 'loss', patience: 0, factor: 0.5, minLR: 0.2 }));
    expect(a.at(-1)).toBe(0.2);
    expect(lrs(reduceLROnPlateau({ monitor: 'loss', patience: 0, factor: 0.5, minLr: 0.2 }))).toEqual(a);
    expect(() => reduceLROnPlateau({ minLR: 0.1, minLr: 0.2 })).toThrow(/minLR and its old spelling/);
  });
});
