import { describe, expect, it } from 'vitest';
import { DOMAIN, featureRows, generatePoints, gridPoints, parsePointsCsv, splitPoints } from '../data';
import { CLASSIFY_DATASETS, defaultState, type PlaygroundState } from '../state';

const inDomain = (p: { x: number; y: number }, slack = 0) =>
  p.x >= DOMAIN[0] - slack && p.x <= DOMAIN[1] + slack && p.y >= DOMAIN[0] - slack && p.y <= DOMAIN[1] + slack;

describe('Playground data', () => {
  it('makes 500 balanced ±1 points for each classification set, the same for the same seed', () => {
    for (const dataset of CLASSIFY_DATASETS) {
      const s: PlaygroundState = { ...defaultState(), dataset };
      const a = generatePoints(s);
      expect(a).toHaveLength(500);
      expect(new Set(a.map((p) => p.label))).toEqual(new Set([1, -1]));
      const positives = a.filter((p) => p.label === 1).length;
      expect(positives, dataset).toBeGreaterThan(200);
      expect(positives, dataset).toBeLessThan(300);
      expect(generatePoints(s)).toEqual(a);
      expect(generatePoints({ ...s, seed: 2 })).not.toEqual(a);
    }
  });

  it('labels each set by its rule', () => {
    const circle = generatePoints(defaultState());
    for (const p of circle) expect(p.label).toBe(Math.hypot(p.x, p.y) < 2.5 ? 1 : -1);
    for (const p of generatePoints({ ...defaultState(), dataset: 'xor' }))
      expect(p.label).toBe(p.x * p.y >= 0 ? 1 : -1);
    const gauss = generatePoints({ ...defaultState(), dataset: 'gauss' });
    const mean = (label: number) => {
      const ps = gauss.filter((p) => p.label === label);
      return ps.reduce((s, p) => s + p.x + p.y, 0) / (2 * ps.length);
    };
    expect(mean(1)).toBeCloseTo(2, 0);
    expect(mean(-1)).toBeCloseTo(-2, 0);
    for (const p of generatePoints({ ...defaultState(), dataset: 'spiral' })) expect(inDomain(p)).toBe(true);
  });

  it('makes 1,200 regression points with labels in [−1, 1]', () => {
    for (const regDataset of ['plane', 'gauss'] as const) {
      const ps = generatePoints({ ...defaultState(), problem: 'regression', regDataset });
      expect(ps).toHaveLength(1200);
      for (const p of ps) {
        expect(Math.abs(p.label)).toBeLessThanOrEqual(1.2);
        expect(inDomain(p)).toBe(true);
      }
    }
    const plane = generatePoints({ ...defaultState(), problem: 'regression' });
    for (const p of plane) expect(p.label).toBeCloseTo((p.x + p.y) / 10, 6);
  });

  it('noise moves labels away from the clean rule', () => {
    const noisy = generatePoints({ ...defaultState(), noise: 50 });
    const wrong = noisy.filter((p) => p.label !== (Math.hypot(p.x, p.y) < 2.5 ? 1 : -1)).length;
    expect(wrong).toBeGreaterThan(25);
  });

  it('splits by the training percentage without losing or repeating a point', () => {
    const ps = generatePoints(defaultState());
    const { train, test } = splitPoints(ps, 70, 1);
    expect(train).toHaveLength(350);
    expect(test).toHaveLength(150);
    expect(new Set([...train, ...test])).toEqual(new Set(ps));
  });

  it('computes every feature in input order', () => {
    const s: PlaygroundState = {
      ...defaultState(),
      features: {
        x: true,
        y: true,
        xSquared: true,
        ySquared: true,
        xTimesY: true,
        sinX: true,
        sinY: true,
        cosX: true,
        cosY: true,
      },
    };
    const rows = featureRows([{ x: 2, y: -3 }], s);
    const expected = [2, -3, 4, 9, -6, Math.sin(2), Math.sin(-3), Math.cos(2), Math.cos(-3)];
    expect(Array.from(rows)).toEqual(expected.map((v) => Math.fround(v)));
    const two = featureRows([{ x: 2, y: -3 }], {
      ...s,
      features: { ...defaultState().features, x: false, xTimesY: true },
    });
    expect(Array.from(two)).toEqual([-3, -6]);
  });

  it('lays the grid over the plane, top row first', () => {
    const g = gridPoints(4);
    expect(g).toHaveLength(16);
    expect(g[0]).toEqual({ x: -4.5, y: 4.5 });
    expect(g[15]).toEqual({ x: 4.5, y: -4.5 });
  });

  it('reads uploaded CSV points and names the line of a bad one', () => {
    expect(parsePointsCsv('x1,x2,label\n1,2,1\n-1,0.5,0\n', 'classification')).toEqual([
      { x: 1, y: 2, label: 1 },
      { x: -1, y: 0.5, label: -1 },
    ]);
    expect(parsePointsCsv('a,b,c\n1,2,0.25', 'regression')).toEqual([{ x: 1, y: 2, label: 0.25 }]);
    expect(() => parsePointsCsv('x1,x2,label\n1,2', 'classification')).toThrow(/line 2 has 2 fields/);
    expect(() => parsePointsCsv('x1,x2,label\n1,2,3', 'classification')).toThrow(/line 2: a class label/);
    expect(() => parsePointsCsv('x1,x2,label\n1,z,1', 'classification')).toThrow(/not a number/);
    expect(() => parsePointsCsv('x1,x2,label', 'classification')).toThrow(/at least one row/);
  });
});
