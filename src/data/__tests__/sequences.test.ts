import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import type { Dataset } from '../dataset';
import { datasets } from '../index';
import { nextToken, SENTIMENT_VOCABULARY, sentiment, sineWave, slidingWindows, Vocabulary } from '../sequences';

const made: Dataset[] = [];
const keep = (d: Dataset) => {
  made.push(d);
  return d;
};
let start = 0;
beforeEach(() => {
  start = tf.memory().numTensors;
});
afterEach(() => {
  for (const d of made.splice(0)) d.dispose();
  expect(tf.memory().numTensors).toBe(start);
});

const arr = (t: tf.Tensor) => t.arraySync() as number[][][];
const failsWith = (fn: () => unknown, text: string) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReactNNError);
    expect((e as Error).message).toContain(text);
    return;
  }
  throw new Error('expected a ReactNNError');
};

describe('slidingWindows', () => {
  const series = Array.from({ length: 10 }, (_v, i) => i);

  it('next value (many-to-one), horizon and stride', () => {
    const ds = keep(slidingWindows(series, { window: 3 }));
    expect(ds.size).toBe(7);
    expect(ds.inputShape).toEqual([3, 1]);
    expect(ds.task).toBe('regression');
    expect(arr(ds.x)[0]).toEqual([[0], [1], [2]]);
    expect((ds.y.arraySync() as number[][]).map((r) => r[0])).toEqual([3, 4, 5, 6, 7, 8, 9]);
    const h = keep(slidingWindows(series, { window: 3, horizon: 2, stride: 2 }));
    expect(h.size).toBe(3);
    expect(h.y.arraySync()).toEqual([
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
  });

  it('shifted sequences (many-to-many) and multivariate series', () => {
    const seqDs = keep(slidingWindows(series, { window: 4, target: 'sequence' }));
    expect(seqDs.size).toBe(6);
    expect(seqDs.targetShape).toEqual([4, 1]);
    expect(arr(seqDs.y)[0]).toEqual([[1], [2], [3], [4]]);
    const multi = keep(
      slidingWindows(
        series.map((v) => [v, -v]),
        { window: 2 },
      ),
    );
    expect(multi.inputShape).toEqual([2, 2]);
    expect(arr(multi.x)[1]).toEqual([
      [1, -1],
      [2, -2],
    ]);
    expect((multi.y.arraySync() as number[][])[1]).toEqual([3, -3]);
  });

  it('bad input names the problem', () => {
    failsWith(() => slidingWindows(series, { window: 10 }), 'no window of 10 steps plus 1 to predict');
    failsWith(() => slidingWindows(series, {} as never), 'window is required');
    failsWith(() => slidingWindows([1, Number.NaN, 3, 4], { window: 2 }), 'series');
    failsWith(() => slidingWindows([[1, 2], [3]], { window: 1 }), 'step 1 of the series is [3]');
    failsWith(() => slidingWindows(series, { window: 2, target: 'all' as never }), 'target must be');
  });
});

describe('Vocabulary and nextToken', () => {
  it('characters and words ↔ ids', () => {
    const v = Vocabulary.fromText('hello');
    expect(v.tokens).toEqual(['e', 'h', 'l', 'o']);
    expect(v.encode('hole')).toEqual([1, 3, 2, 0]);
    expect(v.decode([1, 0, 2, 2, 3])).toBe('hello');
    const w = Vocabulary.fromText('the cat saw the dog', { level: 'word', unknownToken: '<unk>' });
    expect(w.size).toBe(5);
    expect(w.decode(w.encode('the bird saw'))).toBe('the <unk> saw');
    failsWith(() => v.encode('help'), 'token "p" is not in the vocabulary');
    failsWith(() => v.decode([7]), 'id 7 is outside 0 … 3');
  });

  it('next-token examples: x [n, window] ids, y the following id, one class per token', () => {
    const { data, vocabulary } = nextToken('abcabcab', { window: 3 });
    keep(data);
    expect(vocabulary.tokens).toEqual(['a', 'b', 'c']);
    expect(data.size).toBe(5);
    expect(data.x.arraySync()).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
      [1, 2, 0],
    ]);
    expect(Array.from(data.classIds() ?? [])).toEqual([0, 1, 2, 0, 1]);
    expect(data.task).toBe('multiclass');
    expect(data.numClasses).toBe(3);
    expect(data.classNames).toEqual(['a', 'b', 'c']);
    // A test text reuses the training vocabulary
    const test = nextToken('cab', { window: 2, vocabulary });
    keep(test.data);
    expect(test.data.x.arraySync()).toEqual([[2, 0]]);
    failsWith(() => nextToken('ab', { window: 2 }), 'too few for a window of 2');
  });
});

describe('sineWave', () => {
  it('windows of a sine with random phases; y continues each window', () => {
    const ds = keep(datasets.sineWave({ n: 50, window: 6, period: 12, seed: 3 }));
    expect(ds.inputShape).toEqual([6, 1]);
    expect(ds.targetShape).toEqual([1]);
    const x = arr(ds.x).map((r) => r.map((v) => v[0] as number));
    const y = (ds.y.arraySync() as number[][]).map((r) => r[0] as number);
    // A pure sinusoid obeys s(t + 1) = 2·cos(ω)·s(t) − s(t − 1)
    const c = 2 * Math.cos((2 * Math.PI) / 12);
    x.forEach((row, i) => {
      expect(Math.abs((y[i] as number) - (c * (row[5] as number) - (row[4] as number)))).toBeLessThan(1e-5);
    });
    // Seeded: the same seed repeats, another differs
    const again = keep(sineWave({ n: 50, window: 6, period: 12, seed: 3 }));
    expect(again.x.arraySync()).toEqual(ds.x.arraySync());
    const other = keep(sineWave({ n: 50, window: 6, period: 12, seed: 4 }));
    expect(other.x.arraySync()).not.toEqual(ds.x.arraySync());
  });

  it('sequence targets are the window shifted one step', () => {
    const ds = keep(sineWave({ n: 5, window: 4, sequence: true, seed: 1 }));
    const x = arr(ds.x);
    const y = arr(ds.y);
    for (let i = 0; i < 5; i++)
      for (let t = 0; t < 3; t++) expect(y[i]?.[t]?.[0]).toBeCloseTo(x[i]?.[t + 1]?.[0] as number, 6);
    failsWith(() => sineWave({ period: 0 }), 'period must be a positive number');
  });
});

describe('sentiment', () => {
  it('labels follow the sentiment words with negation; front padding; seeded', () => {
    const ds = keep(datasets.sentiment({ n: 200, length: 7, seed: 2 }));
    expect(ds.inputShape).toEqual([7]);
    expect(ds.task).toBe('binary');
    expect(ds.classNames).toEqual(['negative', 'positive']);
    const labels = Array.from(ds.classIds() ?? []);
    const positive = new Set(['good', 'great', 'love', 'fun', 'happy', 'nice']);
    const negative = new Set(['bad', 'awful', 'hate', 'boring', 'sad', 'poor']);
    (ds.x.arraySync() as number[][]).forEach((row, i) => {
      const firstWord = row.findIndex((id) => id !== 0);
      expect(row.slice(firstWord).every((id) => id !== 0)).toBe(true);
      const words = SENTIMENT_VOCABULARY.decode(row.slice(firstWord)).split(' ');
      let score = 0;
      words.forEach((w, k) => {
        const sign = positive.has(w) ? 1 : negative.has(w) ? -1 : 0;
        score += sign * (words[k - 1] === 'not' ? -1 : 1);
      });
      expect(score).not.toBe(0);
      expect(labels[i]).toBe(score > 0 ? 1 : 0);
    });
    // Both classes, and negations, occur
    expect(new Set(labels).size).toBe(2);
    expect((ds.x.arraySync() as number[][]).flat()).toContain(SENTIMENT_VOCABULARY.encode(['not'])[0]);
    const again = keep(sentiment({ n: 200, length: 7, seed: 2 }));
    expect(again.x.arraySync()).toEqual(ds.x.arraySync());
  });
});
