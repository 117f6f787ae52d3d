import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { catchReactNNError } from '../../../test/util/reactNNError';
import {
  accuracy,
  auc,
  computeMetrics,
  confusionMatrix,
  f1,
  METRIC_NAMES,
  mae,
  precision,
  r2,
  recall,
  resolveMetric,
  rocCurve,
} from '../metrics';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const catchError = catchReactNNError;

/** Scores whose argmax is each given class. */
function scoresFor(classes: number[], n: number): number[][] {
  return classes.map((c) => Array.from({ length: n }, (_, j) => (j === c ? 0.8 : 0.2 / (n - 1))));
}

describe('accuracy', () => {
  // p > 0.5 → [0, 1, 0, 1] vs truth [0, 1, 1, 0]: 2 of 4 right.
  it('binary: probabilities at 0.5, logits at 0', () => {
    expect(accuracy([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6])).toBe(0.5);
    expect(accuracy([0, 1, 1, 0], [-1, 2, -0.5, 0.3], { fromLogits: true })).toBe(0.5);
    // The same logits read as probabilities: only 2 > 0.5 → [0, 1, 0, 0] → 3 of 4.
    expect(accuracy([0, 1, 1, 0], [-1, 2, -0.5, 0.3])).toBe(0.75);
  });

  // argmax [0, 2, 2, 1] vs truth [0, 2, 1, 2] → 2 of 4.
  it('multiclass: argmax against class ids or one-hot rows', () => {
    const pred = scoresFor([0, 2, 2, 1], 3);
    expect(accuracy([0, 2, 1, 2], pred)).toBe(0.5);
    expect(
      accuracy(
        [
          [1, 0, 0],
          [0, 0, 1],
          [0, 1, 0],
          [0, 0, 1],
        ],
        pred,
      ),
    ).toBe(0.5);
    expect(accuracy({ data: new Int32Array([0, 2, 1, 2]), shape: [4, 1] }, pred)).toBe(0.5);
  });

  // Thresholded [[1, 0], [1, 1]] vs [[1, 0], [0, 1]] → 3 of 4 labels right.
  it('multilabel: element-wise', () => {
    expect(
      accuracy(
        [
          [1, 0],
          [0, 1],
        ],
        [
          [0.9, 0.2],
          [0.6, 0.7],
        ],
        { task: 'multilabel' },
      ),
    ).toBe(0.75);
  });
});

describe('confusionMatrix, precision, recall, f1', () => {
  // truth [0, 0, 1, 1, 2, 2, 2], predicted [0, 1, 1, 1, 2, 0, 2]:
  //            pred 0  1  2
  //   true 0 [      1, 1, 0 ]
  //   true 1 [      0, 2, 0 ]
  //   true 2 [      1, 0, 2 ]
  const truth = [0, 0, 1, 1, 2, 2, 2];
  const predIds = [0, 1, 1, 1, 2, 0, 2];
  const expected = [
    [1, 1, 0],
    [0, 2, 0],
    [1, 0, 2],
  ];

  it('counts rows true, columns predicted, from scores or ids', () => {
    expect(confusionMatrix(truth, scoresFor(predIds, 3), 3)).toEqual(expected);
    expect(confusionMatrix(truth, predIds, 3)).toEqual(expected);
  });

  it('binary: thresholds one column of probabilities (or logits)', () => {
    // p > 0.5 → [1, 0, 1, 0]; truth [1, 1, 0, 0] → TN 1, FP 1, FN 1, TP 1
    expect(confusionMatrix([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1], 2)).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(confusionMatrix([1, 1, 0, 0], [2, -1, 0.5, -3], 2, { fromLogits: true })).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  // Per class from the matrix above:
  //   class 0: TP 1, FP 1, FN 1 → P 1/2, R 1/2, F1 1/2
  //   class 1: TP 2, FP 1, FN 0 → P 2/3, R 1,   F1 0.8
  //   class 2: TP 2, FP 0, FN 1 → P 1,   R 2/3, F1 0.8
  // macro P = (0.5 + 0.6667 + 1) / 3 = 0.72222222, macro R = 0.72222222,
  // macro F1 = (0.5 + 0.8 + 0.8) / 3 = 0.7 (not F1 of macro P and R, which would be 0.7222).
  it('multiclass: macro averages of per-class scores', () => {
    const pred = scoresFor(predIds, 3);
    expect(precision(truth, pred)).toBeCloseTo(0.72222222, 7);
    expect(recall(truth, pred)).toBeCloseTo(0.72222222, 7);
    expect(f1(truth, pred)).toBeCloseTo(0.7, 7);
  });

  // truth [1, 1, 1, 1, 0, 0], p > 0.5 → [1, 1, 0, 0, 1, 0]: TP 2, FP 1, FN 2
  // P = 2/3, R = 2/4, F1 = 2·(2/3)(1/2) / (2/3 + 1/2) = 4/7
  it('binary: of the positive class', () => {
    const t = [1, 1, 1, 1, 0, 0];
    const p = [0.9, 0.8, 0.3, 0.1, 0.7, 0.2];
    expect(precision(t, p)).toBeCloseTo(2 / 3, 7);
    expect(recall(t, p)).toBeCloseTo(0.5, 7);
    expect(f1(t, p)).toBeCloseTo(4 / 7, 7);
  });

  it('zero denominators give 0', () => {
    expect(precision([1, 0], [0.1, 0.2])).toBe(0);
    expect(f1([0, 0], [0.1, 0.2])).toBe(0);
  });

  // label 0: TP 1, FP 1 → P 1/2, R 1; label 1: TP 1, FN 1 → P 1, R 1/2 → macro P = macro R = 0.75
  it('multilabel: macro over label columns', () => {
    const t = [
      [1, 1],
      [0, 1],
    ];
    const p = [
      [0.9, 0.8],
      [0.7, 0.1],
    ];
    expect(precision(t, p, { task: 'multilabel' })).toBeCloseTo(0.75, 7);
    expect(recall(t, p, { task: 'multilabel' })).toBeCloseTo(0.75, 7);
    expect(f1(t, p, { task: 'multilabel' })).toBeCloseTo(2 / 3, 7);
  });
});

describe('auc and rocCurve', () => {
  // Ranks of [0.1, 0.4, 0.35, 0.8] are [1, 3, 2, 4]; positives (0.35, 0.8) sum 6:
  // AUC = (6 − 2·3/2) / (2·2) = 0.75
  it('binary AUC of a known case is 0.75', () => {
    expect(auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
  });

  // Scores [0.1, 0.4, 0.4, 0.8]: the tie shares rank 2.5 → (2.5 + 4 − 3) / 4 = 0.875
  it('ties count half (average rank)', () => {
    expect(auc([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8])).toBeCloseTo(0.875, 12);
    expect(auc([0, 1], [0.5, 0.5])).toBe(0.5);
  });

  it('is NaN with one class only', () => {
    expect(auc([1, 1], [0.2, 0.9])).toBeNaN();
  });

  // Sorted by score: 0.8 (1), 0.4 (0), 0.35 (1), 0.1 (0)
  it('rocCurve gives one point per distinct score from (0, 0)', () => {
    expect(rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toEqual({
      thresholds: [Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1],
      tpr: [0, 0.5, 0.5, 1, 1],
      fpr: [0, 0, 0.5, 0.5, 1],
    });
  });

  it('the trapezoid area under rocCurve equals auc, ties included', () => {
    const t = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0];
    const s = [0.2, 0.9, 0.4, 0.4, 0.6, 0.1, 0.6, 0.6, 0.3, 0.5];
    const { fpr, tpr } = rocCurve(t, s);
    let area = 0;
    for (let i = 1; i < fpr.length; i++) {
      area += (((fpr[i] as number) - (fpr[i - 1] as number)) * ((tpr[i] as number) + (tpr[i - 1] as number))) / 2;
    }
    expect(auc(t, s)).toBeCloseTo(area, 12);
  });

  it('with logits, thresholds come back as probabilities', () => {
    const { thresholds } = rocCurve([0, 1], [0, Math.log(3)], { fromLogits: true });
    expect(thresholds[1]).toBeCloseTo(0.75, 12);
    expect(thresholds[2]).toBeCloseTo(0.5, 12);
  });

  // Probabilities rows [[.5, .1, .4], [.2, .7, .1], [.1, .2, .7], [.5, .3, .2]], truth [0, 1, 2, 2]:
  //   class 0 vs rest: pos .5 vs neg .2, .1, .5 → (1 + 1 + 0.5) / 3 = 0.83333333
  //   class 1 vs rest: pos .7 vs .1, .2, .3 → 1
  //   class 2 vs rest: pos .7, .2 vs neg .4, .1 → (1 + 1 + 0 + 1) / 4 = 0.75
  //   macro = 2.58333333 / 3 = 0.86111111
  const probs = [
    [0.5, 0.1, 0.4],
    [0.2, 0.7, 0.1],
    [0.1, 0.2, 0.7],
    [0.5, 0.3, 0.2],
  ];
  it('multiclass: one-vs-rest macro AUC', () => {
    expect(auc([0, 1, 2, 2], probs, { task: 'multiclass' })).toBeCloseTo(0.86111111, 7);
  });

  it('multiclass with logits: softmax first (row shifts change raw rankings, not probabilities)', () => {
    const shifts = [0, 5, -3, 2];
    const logits = probs.map((row, i) => row.map((p) => Math.log(p) + (shifts[i] as number)));
    expect(auc([0, 1, 2, 2], logits, { fromLogits: true })).toBeCloseTo(0.86111111, 7);
    expect(auc([0, 1, 2, 2], logits)).not.toBeCloseTo(0.86111111, 3);
  });
});

describe('regression metrics', () => {
  // scikit-learn's r2_score example: 0.9486081370449679; |d| = [0.5, 0.5, 0, 1] → mae 0.5
  it('r2 and mae of one output', () => {
    expect(r2([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toBeCloseTo(0.9486081370449679, 12);
    expect(mae([3, -0.5, 2, 7], [[2.5], [0], [2], [8]])).toBe(0.5);
  });

  // Column 0: SS_res 1.25, SS_tot 36.1667 → 0.96543779; column 1: SS_res 3, SS_tot 32.6667 → 0.90816327
  // uniform average = 0.93680053
  it('r2 of several outputs averages per column', () => {
    const t = [
      [0.5, 1],
      [-1, 1],
      [7, -6],
    ];
    const p = [
      [0, 2],
      [-1, 2],
      [8, -5],
    ];
    expect(r2(t, p)).toBeCloseTo(0.9368005266622779, 12);
  });

  it('r2 of a constant target is 1 if exact, else 0 (scikit-learn force_finite)', () => {
    expect(r2([1, 1, 1], [1, 1, 1])).toBe(1);
    expect(r2([1, 1, 1], [1, 1, 2])).toBe(0);
  });
});

describe('computeMetrics', () => {
  it('reads each tensor once with data(), never dataSync', async () => {
    const dataSpy = vi.spyOn(tf.Tensor.prototype, 'data');
    const syncSpy = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const yTrue = tf.tensor1d([0, 0, 1, 1]);
    const yPred = tf.tensor2d([0.1, 0.4, 0.35, 0.8], [4, 1]);
    const result = await computeMetrics(['accuracy', 'auc', 'f1'], yTrue, yPred, { task: 'binary' });
    expect(dataSpy).toHaveBeenCalledTimes(2);
    expect(syncSpy).not.toHaveBeenCalled();
    dataSpy.mockRestore();
    syncSpy.mockRestore();
    // p > 0.5 → [0, 0, 0, 1]: 3 of 4 right; P = 1, R = 1/2 → F1 = 2/3
    expect(result).toEqual({ accuracy: 0.75, auc: 0.75, f1: expect.closeTo(2 / 3, 10) });
    tf.dispose([yTrue, yPred]);
  });

  it('multiclass logits and one-hot labels', async () => {
    const yTrue = tf.oneHot(tf.tensor1d([0, 2, 1, 2], 'int32'), 3);
    const logits = tf.tensor2d([
      [2, 0, 0],
      [0, 0, 3],
      [0, 0, 1],
      [0, 4, 0],
    ]);
    const result = await computeMetrics(['accuracy'], yTrue, logits, { task: 'multiclass', fromLogits: true });
    expect(result.accuracy).toBe(0.5);
    tf.dispose([yTrue, logits]);
  });

  it('rejects classification metrics for regression, naming what to use', async () => {
    await expect(
      computeMetrics(['mae', 'accuracy'], [1], [1], { task: 'regression' }, 'createTrainer'),
    ).rejects.toThrow(
      /^createTrainer: "accuracy" needs a classification task but the task is "regression" — remove it, or use "mae" or "r2"$/,
    );
    expect(await computeMetrics(['mae', 'r2'], [1, 2], [1, 3], { task: 'regression' })).toEqual({ mae: 0.5, r2: -1 });
  });
});

describe('resolveMetric and bad inputs', () => {
  it('knows every metric name', () => {
    for (const name of METRIC_NAMES) expect(resolveMetric(name).name).toBe(name);
    expect(resolveMetric('mae').higherIsBetter).toBe(false);
    expect(resolveMetric('mae').tasks).toContain('regression');
    expect(resolveMetric('f1').tasks).not.toContain('regression');
  });

  it('lists the valid names for an unknown one', () => {
    const err = catchError(() => resolveMetric('acc', 'createTrainer > metrics[0]'));
    expect(err.code).toBe('option');
    expect(err.message).toBe(
      'createTrainer > metrics[0]: unknown metric "acc" (did you mean "accuracy"?) — use "accuracy", "precision", "recall", "f1", "auc", "mae" or "r2"',
    );
  });

  it('rejects mismatched, out-of-range and empty inputs', () => {
    expect(catchError(() => accuracy([0, 1, 1], [0.2, 0.4])).message).toBe(
      'accuracy: the labels have 3 samples but the predictions 2',
    );
    const outOfRange = catchError(() => accuracy([0, 3], scoresFor([0, 1], 3)));
    expect(outOfRange.code).toBe('data');
    expect(outOfRange.message).toContain('label 1 is 3, not a class id in 0..2');
    expect(catchError(() => mae([], [])).message).toContain('is empty');
    expect(catchError(() => r2([1, 2], [[1, 2]])).message).toContain('labels are 2×1 but predictions 1×2');
    expect(catchError(() => accuracy([1], [1], { task: 'regression' })).message).toContain('use "mae" or "r2"');
    expect(catchError(() => confusionMatrix([0], [0], 0)).message).toContain(
      'numClasses must be a positive integer (got 0)',
    );
    expect(catchError(() => accuracy('01' as never, [1])).message).toContain('for tensors use computeMetrics');
  });
});
