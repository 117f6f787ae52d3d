/**
 * The Playground's whole state as plain data, and its URL codec. Every control of the page is one
 * field here; `encodeState` writes only what differs from the defaults, `decodeState` reads a
 * (possibly hand-edited) query string and falls back to the default for every bad value, with a
 * notice that says which key was wrong and what was used instead — it never throws. Drawn and
 * uploaded points go in too, packed by points.ts, up to MAX_LINK_POINTS of each.
 */
import { decodePoints, encodePoints, linkable, MAX_LINK_POINTS, type Point } from './points';

export const CLASSIFY_DATASETS = ['circle', 'xor', 'gauss', 'spiral'] as const;
export const REGRESS_DATASETS = ['plane', 'gauss'] as const;
export const PROBLEMS = ['classification', 'regression'] as const;
/** Hidden-layer activations: Playground's four, then react-nn layers Playground never had. */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear', 'leakyRelu', 'gelu', 'elu'] as const;
export const REGULARIZATIONS = ['none', 'L1', 'L2'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
/** Layers that may follow a hidden layer's activation. */
export const EXTRAS = ['none', 'dropout', 'batchNorm'] as const;
/** Input features, in the order they enter the network (the input layer's columns). */
export const FEATURES = ['x', 'y', 'xSquared', 'ySquared', 'xTimesY', 'sinX', 'sinY', 'cosX', 'cosY'] as const;

export type ClassifyDataset = (typeof CLASSIFY_DATASETS)[number];
export type RegressDataset = (typeof REGRESS_DATASETS)[number];
export type Problem = (typeof PROBLEMS)[number];
export type Activation = (typeof ACTIVATIONS)[number];
export type Regularization = (typeof REGULARIZATIONS)[number];
export type OptimizerChoice = (typeof OPTIMIZERS)[number];
export type Extra = (typeof EXTRAS)[number];
export type Feature = (typeof FEATURES)[number];

/** Limits of the network editor, as in TF Playground. */
export const MAX_LAYERS = 6;
export const MAX_NEURONS = 8;

export interface PlaygroundState {
  problem: Problem;
  dataset: ClassifyDataset;
  regDataset: RegressDataset;
  /** Noise in percent, 0–50. */
  noise: number;
  /** Training share of the data in percent, 10–90. */
  percTrainData: number;
  /** Examples per step, 1–30. */
  batchSize: number;
  showTestData: boolean;
  discretize: boolean;
  /** Which input features feed the network. */
  features: Record<Feature, boolean>;
  /** Neurons of each hidden layer (0–6 layers of 1–8). */
  networkShape: number[];
  activation: Activation;
  /** A layer after every hidden activation: Dropout or BatchNorm1d. */
  extra: Extra;
  /** Dropout's p when `extra` is 'dropout'. */
  dropout: number;
  regularization: Regularization;
  regularizationRate: number;
  learningRate: number;
  optimizer: OptimizerChoice;
  initZero: boolean;
  /** Seeds the data, the weights and the shuffling. */
  seed: number;
  /** Points drawn on the plane, added to the training data (quantized as points.ts stores them). */
  drawn: Point[];
  /** The learner's own data in place of the generated set: an upload, or `[]` after "Clear data"; null: generated. */
  own: Point[] | null;
}

export const DEFAULT_STATE: Readonly<PlaygroundState> = Object.freeze({
  problem: 'classification',
  dataset: 'circle',
  regDataset: 'plane',
  noise: 0,
  percTrainData: 50,
  batchSize: 10,
  showTestData: false,
  discretize: false,
  features: Object.freeze({
    x: true,
    y: true,
    xSquared: false,
    ySquared: false,
    xTimesY: false,
    sinX: false,
    sinY: false,
    cosX: false,
    cosY: false,
  }) as Record<Feature, boolean>,
  networkShape: Object.freeze([4, 2]) as unknown as number[],
  activation: 'tanh',
  extra: 'none',
  dropout: 0.1,
  regularization: 'none',
  regularizationRate: 0,
  learningRate: 0.03,
  optimizer: 'sgd',
  initZero: false,
  seed: 1,
  drawn: Object.freeze([]) as unknown as Point[],
  own: null,
});

/** A fresh, mutable copy of the defaults. */
export function defaultState(): PlaygroundState {
  return {
    ...DEFAULT_STATE,
    features: { ...DEFAULT_STATE.features },
    networkShape: [...DEFAULT_STATE.networkShape],
    drawn: [],
  };
}

/** How one scalar field is read from and written to the URL. */
type Field =
  | { kind: 'choice'; choices: readonly string[] }
  | { kind: 'number'; min: number; max: number; integer?: boolean }
  | { kind: 'boolean' };

type ScalarKey = Exclude<keyof PlaygroundState, 'features' | 'networkShape' | 'drawn' | 'own'>;

/** URL keys of the points: drawn ones, the own data, and how many a link left out of each. */
const POINT_KEYS = { drawn: 'points', drawnCut: 'pointsCut', own: 'data', ownLeftOut: 'dataLeftOut' } as const;

/** One table for every scalar field: its URL rule. Adding a field without a rule is a type error. */
const FIELDS: Record<ScalarKey, Field> = {
  problem: { kind: 'choice', choices: PROBLEMS },
  dataset: { kind: 'choice', choices: CLASSIFY_DATASETS },
  regDataset: { kind: 'choice', choices: REGRESS_DATASETS },
  noise: { kind: 'number', min: 0, max: 50 },
  percTrainData: { kind: 'number', min: 10, max: 90 },
  batchSize: { kind: 'number', min: 1, max: 30, integer: true },
  showTestData: { kind: 'boolean' },
  discretize: { kind: 'boolean' },
  activation: { kind: 'choice', choices: ACTIVATIONS },
  extra: { kind: 'choice', choices: EXTRAS },
  dropout: { kind: 'number', min: 0, max: 0.9 },
  regularization: { kind: 'choice', choices: REGULARIZATIONS },
  regularizationRate: { kind: 'number', min: 0, max: 10 },
  learningRate: { kind: 'number', min: 1e-6, max: 10 },
  optimizer: { kind: 'choice', choices: OPTIMIZERS },
  initZero: { kind: 'boolean' },
  seed: { kind: 'number', min: 0, max: 2 ** 31 - 1, integer: true },
};

export interface DecodedState {
  state: PlaygroundState;
  /** One sentence per value that was ignored, for a visible notice. Empty when all was well. */
  notices: string[];
}

/** Reads a query string (`?a=1&b=2`, with or without `?`) into a full state; bad values fall back with a notice. */
export function decodeState(query: string): DecodedState {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const state = defaultState();
  const notices: string[] = [];
  const scalars = state as unknown as Record<ScalarKey, unknown>;
  for (const [key, field] of Object.entries(FIELDS) as [ScalarKey, Field][]) {
    const raw = params.get(key);
    if (raw === null) continue;
    const value = readField(field, raw);
    if (value.ok) scalars[key] = value.value;
    else notices.push(`${key}=${JSON.stringify(raw)} ignored: ${value.why}; using ${String(scalars[key])}.`);
  }
  for (const f of FEATURES) {
    const raw = params.get(f);
    if (raw === null) continue;
    const value = readField({ kind: 'boolean' }, raw);
    if (value.ok) state.features[f] = value.value as boolean;
    else notices.push(`${f}=${JSON.stringify(raw)} ignored: ${value.why}; using ${state.features[f]}.`);
  }
  const shape = params.get('networkShape');
  if (shape !== null) {
    const parsed = readShape(shape);
    if (parsed.ok) state.networkShape = parsed.value;
    else notices.push(`networkShape=${JSON.stringify(shape)} ignored: ${parsed.why}; using ${state.networkShape}.`);
  }
  readPoints(params, state, notices);
  if (!FEATURES.some((f) => state.features[f])) {
    state.features.x = true;
    notices.push('no input feature was on; x₁ turned back on, since the network needs an input.');
  }
  return { state, notices };
}

/** Writes the fields that differ from the defaults as a query string without `?` (empty for the defaults). */
export function encodeState(state: PlaygroundState): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(FIELDS) as ScalarKey[]) {
    if (state[key] !== DEFAULT_STATE[key]) params.set(key, String(state[key]));
  }
  for (const f of FEATURES) {
    if (state.features[f] !== DEFAULT_STATE.features[f]) params.set(f, String(state.features[f]));
  }
  if (state.networkShape.join(',') !== DEFAULT_STATE.networkShape.join(',')) {
    params.set('networkShape', state.networkShape.join(','));
  }
  writePoints(params, state);
  return params.toString();
}

/** Whether the own data fits in a link: few enough points, each inside the ranges points.ts can store. */
function ownFits(own: readonly Point[]): boolean {
  return own.length <= MAX_LINK_POINTS && own.every(linkable);
}

function writePoints(params: URLSearchParams, state: PlaygroundState): void {
  if (state.drawn.length > 0) params.set(POINT_KEYS.drawn, encodePoints(state.drawn.slice(0, MAX_LINK_POINTS)));
  if (state.drawn.length > MAX_LINK_POINTS) params.set(POINT_KEYS.drawnCut, String(state.drawn.length));
  if (state.own === null) return;
  if (ownFits(state.own)) params.set(POINT_KEYS.own, encodePoints(state.own));
  else params.set(POINT_KEYS.ownLeftOut, String(state.own.length));
}

/**
 * What a link of this state leaves out, one sentence each (empty when it holds everything): the
 * page shows these next to the data, so a learner knows before sharing.
 */
export function linkLosses(state: PlaygroundState): string[] {
  const out: string[] = [];
  if (state.drawn.length > MAX_LINK_POINTS) {
    out.push(
      `A link holds ${MAX_LINK_POINTS} drawn points: the last ${state.drawn.length - MAX_LINK_POINTS} of your ${state.drawn.length} are not in it.`,
    );
  }
  if (state.own && !ownFits(state.own)) {
    out.push(
      `Your uploaded data (${state.own.length} points) is not in the link: a link holds ${MAX_LINK_POINTS} points with coordinates within ±10.24 and labels within ±1. Send the CSV file along.`,
    );
  }
  return out;
}

function readPoints(params: URLSearchParams, state: PlaygroundState, notices: string[]): void {
  const drawn = params.get(POINT_KEYS.drawn);
  if (drawn !== null) {
    const parsed = decodePoints(drawn);
    if (parsed.ok) state.drawn = parsed.points;
    else notices.push(`${POINT_KEYS.drawn} ignored: ${parsed.why}; no drawn points are shown.`);
  }
  const cut = params.get(POINT_KEYS.drawnCut);
  if (cut !== null) {
    const n = readField({ kind: 'number', min: MAX_LINK_POINTS + 1, max: 1e9, integer: true }, cut);
    notices.push(
      n.ok
        ? `The page this link came from had ${n.value} drawn points; a link holds the first ${MAX_LINK_POINTS}, so ${Number(n.value) - MAX_LINK_POINTS} are missing.`
        : `${POINT_KEYS.drawnCut}=${JSON.stringify(cut)} ignored: ${n.why}.`,
    );
  }
  const own = params.get(POINT_KEYS.own);
  if (own !== null) {
    const parsed = decodePoints(own);
    if (parsed.ok) state.own = parsed.points;
    else notices.push(`${POINT_KEYS.own} ignored: ${parsed.why}; the generated data set is shown instead.`);
  }
  const leftOut = params.get(POINT_KEYS.ownLeftOut);
  if (leftOut !== null) {
    const n = readField({ kind: 'number', min: 0, max: 1e9, integer: true }, leftOut);
    notices.push(
      n.ok
        ? `The page this link came from trained on ${n.value} uploaded points, too many for a link; the generated data set is shown instead — ask for the CSV file.`
        : `${POINT_KEYS.ownLeftOut}=${JSON.stringify(leftOut)} ignored: ${n.why}.`,
    );
  }
}

/** Whether two states are the same page. */
export function sameState(a: PlaygroundState, b: PlaygroundState): boolean {
  return encodeState(a) === encodeState(b);
}

type Read<T> = { ok: true; value: T } | { ok: false; why: string };

function readField(field: Field, raw: string): Read<string | number | boolean> {
  switch (field.kind) {
    case 'choice':
      return field.choices.includes(raw)
        ? { ok: true, value: raw }
        : { ok: false, why: `not one of ${field.choices.join(', ')}` };
    case 'boolean':
      if (raw === 'true' || raw === '1') return { ok: true, value: true };
      if (raw === 'false' || raw === '0') return { ok: true, value: false };
      return { ok: false, why: 'not true or false' };
    case 'number': {
      const n = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(n)) return { ok: false, why: 'not a number' };
      if (field.integer && !Number.isInteger(n)) return { ok: false, why: 'not a whole number' };
      if (n < field.min || n > field.max) return { ok: false, why: `outside ${field.min}–${field.max}` };
      return { ok: true, value: n };
    }
  }
}

function readShape(raw: string): Read<number[]> {
  if (raw.trim() === '') return { ok: true, value: [] };
  const parts = raw.split(',').map((p) => Number(p));
  if (parts.length > MAX_LAYERS) return { ok: false, why: `more than ${MAX_LAYERS} hidden layers` };
  if (parts.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_NEURONS)) {
    return { ok: false, why: `each layer needs 1–${MAX_NEURONS} neurons` };
  }
  return { ok: true, value: parts };
}

/** Labels of the input features as the page shows them. */
export const FEATURE_LABELS: Record<Feature, string> = {
  x: 'x₁',
  y: 'x₂',
  xSquared: 'x₁²',
  ySquared: 'x₂²',
  xTimesY: 'x₁x₂',
  sinX: 'sin x₁',
  sinY: 'sin x₂',
  cosX: 'cos x₁',
  cosY: 'cos x₂',
};

/** The features that are on, in input-column order. */
export function activeFeatures(state: PlaygroundState): Feature[] {
  return FEATURES.filter((f) => state.features[f]);
}
