import { describe, expect, it } from 'vitest';
import { parsePointsCsv } from '../data';
import { decodePoints, encodePoints, linkable, MAX_LINK_POINTS, type Point, quantizePoint } from '../points';
import { decodeState, defaultState, encodeState, linkLosses } from '../state';

/** `n` points spread over the plane, quantized as the page stores them. */
function somePoints(n: number): Point[] {
  return Array.from({ length: n }, (_, i) =>
    quantizePoint({ x: -6 + ((i * 7.31) % 12), y: 6 - ((i * 3.17) % 12), label: i % 2 ? 1 : -1 }),
  );
}

describe('points codec', () => {
  it('quantizes to 0.005 in the coordinates and 0.05 in the label, and round-trips exactly', () => {
    const q = quantizePoint({ x: 1.23456, y: -5.99999, label: 0.512 });
    expect(q).toEqual({ x: 1.235, y: -6, label: 0.5 });
    // Within half a step of the original.
    expect(Math.abs(q.x - 1.23456)).toBeLessThanOrEqual(0.0025);
    const points = [q, { x: 6, y: -6, label: -1 }, { x: 0, y: 0, label: 1 }, { x: -10.24, y: 10.235, label: 0 }];
    const text = encodePoints(points);
    expect(text).toHaveLength(5 * points.length);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePoints(text)).toEqual({ ok: true, points });
  });

  it('round-trips hundreds of drawn points bit for bit', () => {
    const points = somePoints(MAX_LINK_POINTS);
    const back = decodePoints(encodePoints(points));
    expect(back).toEqual({ ok: true, points });
  });

  it('tells which points a link can hold', () => {
    expect(linkable({ x: 6, y: -6, label: 1 })).toBe(true);
    expect(linkable({ x: 11, y: 0, label: 1 })).toBe(false);
    expect(linkable({ x: 0, y: 0, label: 3 })).toBe(false);
    // A point outside the ranges is kept as it is, not clamped.
    expect(quantizePoint({ x: 11, y: 0, label: 1 })).toEqual({ x: 11, y: 0, label: 1 });
  });

  it('refuses a cut-off, altered or too long text, saying why', () => {
    const text = encodePoints(somePoints(3));
    expect(decodePoints(text.slice(0, -2))).toEqual({ ok: false, why: expect.stringMatching(/cut off/) });
    expect(decodePoints(`${text.slice(0, 5)}AA!AA`)).toEqual({
      ok: false,
      why: expect.stringMatching(/point 2 .*base64url/),
    });
    // Label index 41 ('p') is past the 41 levels.
    expect(decodePoints('AAAAp')).toEqual({ ok: false, why: expect.stringMatching(/point 1 has no valid label/) });
    expect(decodePoints(text, 2)).toEqual({ ok: false, why: 'more than 2 points' });
  });

  it('CSV uploads are quantized as the link stores them', () => {
    const points = parsePointsCsv('x1,x2,label\n1.23456,2,1\n-3.0001,4,0\n', 'classification');
    expect(points).toEqual([
      { x: 1.235, y: 2, label: 1 },
      { x: -3, y: 4, label: -1 },
    ]);
  });
});

describe('points in the page state', () => {
  it('drawn points and a small upload round-trip through the query string', () => {
    const s = { ...defaultState(), drawn: somePoints(40), own: somePoints(12) };
    const back = decodeState(encodeState(s));
    expect(back.notices).toEqual([]);
    expect(back.state).toEqual(s);
    expect(linkLosses(s)).toEqual([]);
  });

  it('cleared data ("Clear data") is its own state: an empty data key', () => {
    const s = { ...defaultState(), own: [] };
    expect(encodeState(s)).toBe('data=');
    expect(decodeState('data=').state.own).toEqual([]);
  });

  it(`keeps the first ${MAX_LINK_POINTS} drawn points; the link says how many there were`, () => {
    const s = { ...defaultState(), drawn: somePoints(MAX_LINK_POINTS + 7) };
    expect(linkLosses(s)).toEqual([expect.stringMatching(/the last 7 of your 507 are not in it/)]);
    const back = decodeState(encodeState(s));
    expect(back.state.drawn).toEqual(s.drawn.slice(0, MAX_LINK_POINTS));
    expect(back.notices).toEqual([expect.stringMatching(/had 507 drawn points.*first 500, so 7 are missing/)]);
  });

  it('leaves a big upload out of the link, and the opened page says so and uses the generated data', () => {
    const big = { ...defaultState(), own: somePoints(MAX_LINK_POINTS + 1) };
    expect(linkLosses(big)).toEqual([expect.stringMatching(/uploaded data \(501 points\) is not in the link/)]);
    const back = decodeState(encodeState(big));
    expect(back.state.own).toBeNull();
    expect(back.notices).toEqual([expect.stringMatching(/trained on 501 uploaded points.*generated data set/)]);
    // Out of range counts as too big for a link, whatever the count.
    const far = { ...defaultState(), own: [{ x: 20, y: 0, label: 1 }] };
    expect(linkLosses(far)).toHaveLength(1);
    expect(decodeState(encodeState(far)).state.own).toBeNull();
  });

  it('bad point values in a hand-edited link fall back with a notice, keeping the other fields', () => {
    const { state, notices } = decodeState('points=AAAA&data=AA*AA&pointsCut=many&learningRate=0.1');
    expect(state.drawn).toEqual([]);
    expect(state.own).toBeNull();
    expect(state.learningRate).toBe(0.1);
    expect(notices).toEqual([
      expect.stringMatching(/^points ignored: .*cut off.*no drawn points/),
      'pointsCut="many" ignored: not a number.',
      expect.stringMatching(/^data ignored: .*base64url.*generated data set/),
    ]);
  });
});
