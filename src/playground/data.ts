/**
 * The Playground's data as plain numbers: the six generators (seeded, on the plane [−6, 6]²),
 * the train/test split, the input features computed from (x₁, x₂), the grid the heatmaps are
 * drawn on, and points a learner draws or uploads as CSV. No tensors here: the page turns these
 * into Datasets at its edge.
 */
import { parseCsv } from '../data/csvParse';
import { ReactNNError } from '../errors';
import { createRng, deriveSeed, permutation, type Rng, randn } from '../random';
import { DOMAIN, type Point, quantizePoint } from './points';
import { activeFeatures, type Feature, type PlaygroundState } from './state';

export { DOMAIN, type Point };

const CLASSIFY_SAMPLES = 500;
const REGRESS_SAMPLES = 1200;

const uniform = (rng: Rng, lo: number, hi: number) => lo + rng() * (hi - lo);

/** Points for the state's problem and dataset, seeded by `state.seed`. `noise` is in percent. */
export function generatePoints(state: PlaygroundState): Point[] {
  const rng = createRng(deriveSeed(state.seed, 'playground-data'));
  const noise = state.noise / 100;
  if (state.problem === 'regression') {
    return state.regDataset === 'plane' ? regressPlane(rng, noise) : regressGaussians(rng, noise);
  }
  switch (state.dataset) {
    case 'circle':
      return circle(rng, noise);
    case 'xor':
      return xor(rng, noise);
    case 'gauss':
      return twoGaussians(rng, noise);
    case 'spiral':
      return spiral(rng, noise);
  }
}

function circle(rng: Rng, noise: number): Point[] {
  const radius = 5;
  const points: Point[] = [];
  // Half inside r < 2.5 (label 1), half in the ring 3.5–5 (label −1); noise moves points, not labels' rule.
  for (let i = 0; i < CLASSIFY_SAMPLES; i++) {
    const inside = i < CLASSIFY_SAMPLES / 2;
    const r = inside ? uniform(rng, 0, radius / 2) : uniform(rng, radius * 0.7, radius);
    const angle = uniform(rng, 0, 2 * Math.PI);
    const x = r * Math.sin(angle);
    const y = r * Math.cos(angle);
    const nx = uniform(rng, -radius, radius) * noise;
    const ny = uniform(rng, -radius, radius) * noise;
    const label = Math.hypot(x + nx, y + ny) < radius / 2 ? 1 : -1;
    points.push({ x, y, label });
  }
  return points;
}

function xor(rng: Rng, noise: number): Point[] {
  const points: Point[] = [];
  const padding = 0.3;
  for (let i = 0; i < CLASSIFY_SAMPLES; i++) {
    let x = uniform(rng, -5, 5);
    x += x > 0 ? padding : -padding;
    let y = uniform(rng, -5, 5);
    y += y > 0 ? padding : -padding;
    const nx = uniform(rng, -5, 5) * noise;
    const ny = uniform(rng, -5, 5) * noise;
    points.push({ x, y, label: (x + nx) * (y + ny) >= 0 ? 1 : -1 });
  }
  return points;
}

function twoGaussians(rng: Rng, noise: number): Point[] {
  // Spread grows with noise: 0.5 at none to 4 at 50 %.
  const variance = 0.5 + (noise / 0.5) * 3.5;
  const sd = Math.sqrt(variance);
  const points: Point[] = [];
  for (let i = 0; i < CLASSIFY_SAMPLES; i++) {
    const positive = i < CLASSIFY_SAMPLES / 2;
    const c = positive ? 2 : -2;
    points.push({ x: c + sd * randn(rng), y: c + sd * randn(rng), label: positive ? 1 : -1 });
  }
  return points;
}

function spiral(rng: Rng, noise: number): Point[] {
  const n = CLASSIFY_SAMPLES / 2;
  const points: Point[] = [];
  for (const [delta, label] of [
    [0, 1],
    [Math.PI, -1],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const r = (i / n) * 5;
      const t = ((1.75 * i) / n) * 2 * Math.PI + delta;
      points.push({
        x: r * Math.sin(t) + uniform(rng, -1, 1) * noise,
        y: r * Math.cos(t) + uniform(rng, -1, 1) * noise,
        label,
      });
    }
  }
  return points;
}

/** Uniform points on the plane labelled by `label` at a point moved by noise (the label's rule blurs, not the points). */
function regress(rng: Rng, noise: number, label: (x: number, y: number) => number): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < REGRESS_SAMPLES; i++) {
    const x = uniform(rng, -6, 6);
    const y = uniform(rng, -6, 6);
    const nx = uniform(rng, -6, 6) * noise;
    const ny = uniform(rng, -6, 6) * noise;
    points.push({ x, y, label: label(x + nx, y + ny) });
  }
  return points;
}

function regressPlane(rng: Rng, noise: number): Point[] {
  return regress(rng, noise, (x, y) => (x + y) / 10);
}

const BUMPS: readonly [number, number, number][] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];

function regressGaussians(rng: Rng, noise: number): Point[] {
  // Each bump falls linearly from ±1 at its centre to 0 at distance 2; the largest in size wins.
  return regress(rng, noise, (x, y) => {
    let best = 0;
    for (const [cx, cy, sign] of BUMPS) {
      const v = sign * Math.max(0, 1 - Math.hypot(x - cx, y - cy) / 2);
      if (Math.abs(v) > Math.abs(best)) best = v;
    }
    return best;
  });
}

/** Shuffles (seeded) and splits into train and test by `percTrainData`. */
export function splitPoints(points: readonly Point[], percTrainData: number, seed: number) {
  const order = permutation(points.length, createRng(deriveSeed(seed, 'playground-split')));
  const shuffled = Array.from(order, (i) => points[i] as Point);
  const cut = Math.round((shuffled.length * percTrainData) / 100);
  return { train: shuffled.slice(0, cut), test: shuffled.slice(cut) };
}

/** Each feature as a function of the point: the one definition the data and the heatmap grid share. */
export const FEATURE_FUNCTIONS: Record<Feature, (x: number, y: number) => number> = {
  x: (x) => x,
  y: (_, y) => y,
  xSquared: (x) => x * x,
  ySquared: (_, y) => y * y,
  xTimesY: (x, y) => x * y,
  sinX: (x) => Math.sin(x),
  sinY: (_, y) => Math.sin(y),
  cosX: (x) => Math.cos(x),
  cosY: (_, y) => Math.cos(y),
};

/** The input rows of `points` for the state's active features, flat (rows × features). */
export function featureRows(points: readonly { x: number; y: number }[], state: PlaygroundState): Float32Array {
  const fs = activeFeatures(state).map((f) => FEATURE_FUNCTIONS[f]);
  const out = new Float32Array(points.length * fs.length);
  points.forEach((p, i) => {
    fs.forEach((f, j) => {
      out[i * fs.length + j] = f(p.x, p.y);
    });
  });
  return out;
}

/** The centres of an n × n grid over DOMAIN, row 0 at the top (largest x₂). */
export function gridPoints(n: number): { x: number; y: number }[] {
  const [lo, hi] = DOMAIN;
  const step = (hi - lo) / n;
  const out: { x: number; y: number }[] = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) out.push({ x: lo + (c + 0.5) * step, y: hi - (r + 0.5) * step });
  }
  return out;
}

/**
 * Reads uploaded points: a CSV with a header and three columns, x₁, x₂ and the label (classes
 * as 0/1 or −1/1, any other number for regression). Throws a ReactNNError naming the line.
 * Points are quantized as points.ts stores them (coordinates to 0.005, labels to 0.05).
 */
export function parsePointsCsv(text: string, problem: PlaygroundState['problem']): Point[] {
  const PATH = 'Playground > CSV upload';
  const records = parseCsv(text, PATH);
  if (records.length < 2) {
    throw new ReactNNError('data', PATH, 'expected a header line and at least one row of x1,x2,label');
  }
  const points: Point[] = [];
  for (const { fields, line } of records.slice(1)) {
    if (fields.length !== 3) {
      throw new ReactNNError('data', PATH, `line ${line} has ${fields.length} fields; give three: x1,x2,label`);
    }
    const [x, y, label] = fields.map(Number) as [number, number, number];
    if (![x, y, label].every(Number.isFinite)) {
      throw new ReactNNError('data', PATH, `line ${line} has a value that is not a number: ${fields.join(',')}`);
    }
    if (problem === 'classification' && label !== 0 && label !== 1 && label !== -1) {
      throw new ReactNNError('data', PATH, `line ${line}: a class label must be 0/1 or −1/1 (got ${label})`);
    }
    // Quantized as a link stores points, so a shared page trains on exactly these values.
    points.push(quantizePoint({ x, y, label: problem === 'classification' ? (label > 0 ? 1 : -1) : label }));
  }
  return points;
}
