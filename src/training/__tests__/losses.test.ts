import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { catchReactNNError } from '../../../test/util/reactNNError';
import { checkTargets, LOSS_NAMES, type LossFn, type LossSpec, resolveLoss } from '../losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs a loss and returns its value as a number, freeing every tensor made here. */
function lossValue(spec: LossSpec, yTrue: number[] | number[][], yPred: number[] | number[][]): number {
  const { fn } = resolveLoss(spec);
  return tf.tidy(() => fn(tf.tensor(yTrue), tf.tensor(yPred)).arraySync() as number);
}

/** d loss / d yPred, as nested arrays. */
function lossGrad(spec: LossSpec, yTrue: number[] | number[][], yPred: number[] | number[][]): number[] {
  const { fn } = resolveLoss(spec);
  return tf.tidy(() => {
    const t = tf.tensor(yTrue);
    const g = tf.grad((p: tf.Tensor) => fn(t, p))(tf.tensor(yPred));
    return Array.from(g.dataSync());
  });
}

const catchError = catchReactNNError;

describe('mse, mae', () => {
  // Labels [n] against predictions [n, 1] must pair up, not broadcast to [n, n].
  // d = yPred − yTrue = [0.5, 0, −1]
  it('mse = mean(d²) = (0.25 + 0 + 1) / 3 = 0.41666667', () => {
    expect(lossValue('mse', [1, 2, 3], [[1.5], [2], [2]])).toBeCloseTo(0.41666667, 6);
  });

  it('mae = mean(|d|) = (0.5 + 0 + 1) / 3 = 0.5', () => {
    expect(lossValue('mae', [1, 2, 3], [[1.5], [2], [2]])).toBeCloseTo(0.5, 6);
  });

  it('mse gradient is 2d/n', () => {
    // 2·[0.5, 0, −1] / 3
    const g = lossGrad('mse', [1, 2, 3], [1.5, 2, 2]);
    [1 / 3, 0, -2 / 3].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 6));
  });

  it('throws a shape error naming both shapes when the counts differ', () => {
    const err = catchError(() => lossValue('mse', [1, 2, 3], [[1], [2]]));
    expect(err.code).toBe('shape');
    expect(err.message).toContain('[2, 1]');
    expect(err.message).toContain('[3]');
  });
});

describe('huber', () => {
  // δ = 1 (default), d = [0.5, −2, 3]: ½·0.25 = 0.125 inside; 1·(2 − 0.5) = 1.5 and
  // 1·(3 − 0.5) = 2.5 outside → mean = 4.125 / 3 = 1.375
  it('uses ½d² inside δ and δ(|d| − ½δ) outside (δ = 1)', () => {
    expect(lossValue('huber', [0, 0, 0], [0.5, -2, 3])).toBeCloseTo(1.375, 6);
  });

  // δ = 2.5: 0.125, ½·4 = 2 (now inside), 2.5·(3 − 1.25) = 4.375 → 6.5 / 3 = 2.16666667
  it('takes delta', () => {
    expect(lossValue({ type: 'huber', delta: 2.5 }, [0, 0, 0], [0.5, -2, 3])).toBeCloseTo(2.16666667, 6);
  });

  it('gradient is d inside and δ·sign(d) outside, over n', () => {
    const g = lossGrad('huber', [0, 0, 0], [0.5, -2, 3]);
    [0.5 / 3, -1 / 3, 1 / 3].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 6));
  });
});

describe('bce', () => {
  // −(ln 0.9 + ln 0.8) / 2 = (0.10536052 + 0.22314355) / 2 = 0.16425203
  it('is −mean(y ln p + (1 − y) ln(1 − p))', () => {
    expect(lossValue('bce', [1, 0], [0.9, 0.2])).toBeCloseTo(0.16425203, 6);
  });

  // p = 0 with y = 1: ln 0 = −∞ clamped to −100 → 100; p = 1 with y = 1 → 0. Mean = 50.
  it('clamps each log at −100 like torch.nn.BCELoss', () => {
    expect(lossValue('bce', [1, 1], [0, 1])).toBeCloseTo(50, 4);
    expect(lossValue('bce', [0], [1])).toBeCloseTo(100, 4);
    expect(lossValue('bce', [0], [0])).toBe(0);
  });

  // torch's backward: (p − y) / max(p(1 − p), 1e-12) / n — finite even at p = 0 and 1.
  it('has a finite gradient at p = 0 and p = 1', () => {
    const g = lossGrad('bce', [1, 0, 1], [0, 1, 0.5]);
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g[2]).toBeCloseTo((0.5 - 1) / 0.25 / 3, 5);
    expect(g[0]).toBeLessThan(0);
    expect(g[1]).toBeGreaterThan(0);
  });
});

describe('bceWithLogits', () => {
  // softplus(x) − x·y per element:
  //   x = 0,  y = 1: ln 2                 = 0.69314718
  //   x = 2,  y = 0: 2 + ln(1 + e^−2)     = 2.12692801
  //   x = −3, y = 1: 0 + 3 + ln(1 + e^−3) = 3.04858735
  // mean = 5.86866254 / 3 = 1.95622085
  it('equals BCE of σ(x), computed stably', () => {
    expect(lossValue('bceWithLogits', [1, 0, 1], [0, 2, -3])).toBeCloseTo(1.95622085, 6);
  });

  it('stays finite for large logits', () => {
    // x = 100, y = 0 → 100; x = −100, y = 1 → 100
    expect(lossValue('bceWithLogits', [0, 1], [100, -100])).toBeCloseTo(100, 3);
  });

  // Gradient (σ(x) − y)/n: at x = 0 it must be −0.5/3, not −1/3 (the kink of relu/abs).
  it('has gradient σ(x) − y, also at x = 0', () => {
    const g = lossGrad('bceWithLogits', [1, 0, 1], [0, 2, -3]);
    expect(g[0]).toBeCloseTo(-0.5 / 3, 6);
    expect(g[1]).toBeCloseTo(0.88079708 / 3, 6);
    expect(g[2]).toBeCloseTo((0.04742587 - 1) / 3, 6);
  });
});

describe('crossEntropy', () => {
  // −log softmax([1, 2, 3])[2] = log(1 + e^−1 + e^−2) = log(1.50321472) = 0.40760596
  it('takes logits and class ids of shape [n] or [n, 1]', () => {
    expect(lossValue('crossEntropy', [2], [[1, 2, 3]])).toBeCloseTo(0.40760596, 6);
    expect(lossValue('crossEntropy', [[2]], [[1, 2, 3]])).toBeCloseTo(0.40760596, 6);
  });

  it('takes one-hot rows', () => {
    expect(lossValue('crossEntropy', [[0, 0, 1]], [[1, 2, 3]])).toBeCloseTo(0.40760596, 6);
  });

  // Two rows, targets 2 and 0: (0.40760596 + 2.40760596) / 2 = 1.40760596
  it('averages over the batch', () => {
    expect(
      lossValue(
        'crossEntropy',
        [2, 0],
        [
          [1, 2, 3],
          [1, 2, 3],
        ],
      ),
    ).toBeCloseTo(1.40760596, 6);
  });

  // ε = 0.1, C = 3: q = [ε/3, ε/3, 1 − ε + ε/3]; log p = [−2.40760596, −1.40760596, −0.40760596]
  // loss = (1 − ε)·0.40760596 + ε·mean(−log p) = 0.36684536 + 0.1·1.40760596 = 0.50760596
  it('applies label smoothing as torch (ε/C spread)', () => {
    expect(lossValue({ type: 'crossEntropy', labelSmoothing: 0.1 }, [2], [[1, 2, 3]])).toBeCloseTo(0.50760596, 6);
    expect(lossValue({ type: 'crossEntropy', labelSmoothing: 0.1 }, [[0, 0, 1]], [[1, 2, 3]])).toBeCloseTo(
      0.50760596,
      6,
    );
  });

  // softmax([1, 2, 3]) = [0.09003057, 0.24472847, 0.66524096]; gradient = softmax − onehot
  it('has gradient softmax − one-hot', () => {
    const g = lossGrad('crossEntropy', [2], [[1, 2, 3]]);
    [0.09003057, 0.24472847, 0.66524096 - 1].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 6));
  });

  it('throws a shape error for labels of neither form', () => {
    const err = catchError(() => lossValue('crossEntropy', [[0, 1]], [[1, 2, 3]]));
    expect(err.code).toBe('shape');
    expect(err.message).toContain('one-hot');
  });
});

describe('multiLabelBce', () => {
  // −(ln 0.9 + ln 0.8 + ln 0.4 + ln 0.4) / 4 = (0.10536052 + 0.22314355 + 0.91629073·2) / 4 = 0.54027138
  it('is BCE averaged over every label of every sample', () => {
    expect(
      lossValue(
        'multiLabelBce',
        [
          [1, 0],
          [0, 1],
        ],
        [
          [0.9, 0.2],
          [0.6, 0.4],
        ],
      ),
    ).toBeCloseTo(0.54027138, 6);
  });
});

describe('every built-in loss', () => {
  const cases: Record<(typeof LOSS_NAMES)[number], [number[] | number[][], number[][]]> = {
    mse: [
      [[0.3], [-1]],
      [[0.1], [0.7]],
    ],
    mae: [
      [[0.3], [-1]],
      [[0.1], [0.7]],
    ],
    huber: [
      [[0.3], [-1]],
      [[0.1], [0.7]],
    ],
    bce: [
      [[1], [0]],
      [[0.3], [0.6]],
    ],
    bceWithLogits: [
      [[1], [0]],
      [[-0.4], [1.2]],
    ],
    crossEntropy: [
      [1, 0],
      [
        [0.2, -1, 0.5],
        [1.5, 0, -2],
      ],
    ],
    multiLabelBce: [
      [
        [1, 0],
        [0, 1],
      ],
      [
        [0.3, 0.6],
        [0.5, 0.9],
      ],
    ],
  };
  for (const name of LOSS_NAMES) {
    it(`${name}: scalar value, finite non-zero gradient, no leaked tensors`, () => {
      const [y, p] = cases[name];
      const before = tf.memory().numTensors;
      const value = lossValue(name, y, p);
      const g = lossGrad(name, y, p);
      expect(Number.isFinite(value)).toBe(true);
      expect(g.every(Number.isFinite)).toBe(true);
      expect(g.some((v) => v !== 0)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('resolveLoss', () => {
  it('reports what each loss expects', () => {
    expect(resolveLoss('bce')).toMatchObject({
      name: 'bce',
      expects: 'probabilities',
      targets: 'binary',
      custom: false,
    });
    expect(resolveLoss('bceWithLogits')).toMatchObject({ expects: 'logits', targets: 'binary' });
    expect(resolveLoss('crossEntropy')).toMatchObject({ expects: 'logits', targets: 'classIndex' });
    expect(resolveLoss('multiLabelBce')).toMatchObject({ expects: 'probabilities', targets: 'multilabel' });
    expect(resolveLoss('mse')).toMatchObject({ expects: 'values', targets: 'values' });
    expect(resolveLoss({ type: 'huber' }).options).toEqual({ delta: 1 });
  });

  it('wraps a custom loss and checks it returns a scalar', () => {
    const myLoss: LossFn = (t, p) => tf.mean(tf.abs(tf.sub(t, p))) as tf.Scalar;
    const r = resolveLoss(myLoss);
    expect(r).toMatchObject({ name: 'myLoss', custom: true });
    expect(tf.tidy(() => r.fn(tf.tensor([1]), tf.tensor([3])).arraySync())).toBe(2);

    const perSample = resolveLoss(
      ((t: tf.Tensor, p: tf.Tensor) => tf.sub(t, p)) as unknown as LossFn,
      'createTrainer > loss',
    );
    const err = catchError(() => tf.tidy(() => perSample.fn(tf.tensor([1, 2]), tf.tensor([3, 4]))));
    expect(err.message).toMatch(/^createTrainer > loss: .*must return a scalar.*\[2\].*tf\.mean/);
  });

  it('rejects an unknown name and lists the valid ones', () => {
    const err = catchError(() => resolveLoss('categoricalCrossentropy' as LossSpec, 'createTrainer > loss'));
    expect(err.code).toBe('option');
    expect(err.path).toBe('createTrainer > loss');
    expect(err.message).toContain('"categoricalCrossentropy"');
    expect(err.message).toContain('"mse", "mae", "huber", "bce", "bceWithLogits", "crossEntropy" or "multiLabelBce"');
    expect(err.message).toContain('torch.nn.CrossEntropyLoss');
  });

  it('rejects bad options', () => {
    expect(catchError(() => resolveLoss({ type: 'huber', delta: -1 })).message).toContain(
      'huber delta must be a positive number (got -1)',
    );
    expect(catchError(() => resolveLoss({ type: 'crossEntropy', labelSmoothing: 2 })).message).toContain(
      'labelSmoothing must be between 0 and 1',
    );
    expect(catchError(() => resolveLoss({ type: 'mse', delta: 1 } as unknown as LossSpec)).message).toContain(
      'the mse loss has no option "delta" — it takes no options',
    );
    expect(catchError(() => resolveLoss({ type: 'huber', beta: 1 } as unknown as LossSpec)).message).toContain(
      'its options are "delta"',
    );
    expect(catchError(() => resolveLoss({ type: 'nope' } as unknown as LossSpec)).message).toContain(
      'unknown loss { type: "nope" }',
    );
  });
});

describe('checkTargets', () => {
  const ce = resolveLoss('crossEntropy');
  it('crossEntropy: one unit for 3 classes', () => {
    expect(checkTargets(ce, [1], [], 3)).toBe(
      'crossEntropy needs one output per class: the last layer gives 1 unit but the labels have 3 classes — set outFeatures={3}',
    );
  });

  it('crossEntropy: fits with ids [n], [n, 1] or one-hot rows; a leading null is the batch axis', () => {
    expect(checkTargets(ce, [3], [], 3)).toBeNull();
    expect(checkTargets(ce, [null, 3], [1], 3)).toBeNull();
    expect(checkTargets(ce, [3], [3])).toBeNull();
    // More outputs than classes trains fine in torch: not an error.
    expect(checkTargets(ce, [10], [], 3)).toBeNull();
  });

  it('crossEntropy: too few units, or one-hot width ≠ units', () => {
    expect(checkTargets(ce, [2], [], 5)).toContain('gives 2 units but the labels have 5 classes — set outFeatures={5}');
    expect(checkTargets(ce, [4], [3])).toContain('the one-hot labels have 3 columns — set outFeatures={3}');
    expect(checkTargets(ce, [1], [], 2)).toContain('bceWithLogits');
  });

  it('bce: one probability per sample', () => {
    const bce = resolveLoss('bce');
    expect(checkTargets(bce, [1], [])).toBeNull();
    expect(checkTargets(bce, [1], [1])).toBeNull();
    expect(checkTargets(bce, [3], [])).toBe(
      'bce expects one probability per sample: the last layer gives 3 units but the labels have 1 value per sample — set outFeatures={1}',
    );
    expect(checkTargets(bce, [1], [], 4)).toContain('use loss "crossEntropy" with outFeatures={4}');
    expect(checkTargets(resolveLoss('bceWithLogits'), [2], [])).toContain('one logit per sample');
  });

  it('multiLabelBce: one output per label', () => {
    const ml = resolveLoss('multiLabelBce');
    expect(checkTargets(ml, [5], [5])).toBeNull();
    expect(checkTargets(ml, [3], [5])).toBe(
      'multiLabelBce needs one output per label: the last layer gives 3 units but the labels have 5 columns — set outFeatures={5}',
    );
  });

  it('regression losses: sizes must match', () => {
    const mse = resolveLoss('mse');
    expect(checkTargets(mse, [1], [])).toBeNull();
    expect(checkTargets(mse, [2], [2])).toBeNull();
    expect(checkTargets(mse, [3], [], 3)).toContain('set outFeatures={1} — or, for 3 classes, use loss "crossEntropy"');
  });

  it('custom losses are not checked', () => {
    expect(checkTargets(resolveLoss(((t: tf.Tensor) => tf.sum(t)) as LossFn), [7], [2])).toBeNull();
  });
});
