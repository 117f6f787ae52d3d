/**
 * Sequence data: sliding windows over a series (forecasting), next-token text over a
 * vocabulary (language modelling), and two seeded generators — a sine-wave forecast and a toy
 * sentiment task. Inputs are `[n, time, features]` for series and `[n, time]` token ids for
 * text (put an `<Embedding>` first), the layouts `<LSTM>` and friends take.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../errors';
import { createRng, deriveSeed, type Rng, randn } from '../random';
import { createTrustedDataset, type Dataset } from './dataset';
import {
  assertFinite,
  booleanOption,
  choiceOption,
  integerOption,
  nonNegativeOption,
  optionsObject,
  seedOption,
} from './validate';

/** A series: one value per step, or one row of features per step. */
export type Series = readonly number[] | Float32Array | Float64Array | readonly (readonly number[])[];

/** Options of {@link slidingWindows}. */
export interface SlidingWindowOptions {
  /** Steps in each input window. */
  window: number;
  /** Steps ahead to predict with target 'next'. Default 1. */
  horizon?: number;
  /** Steps between the starts of consecutive windows. Default 1. */
  stride?: number;
  /**
   * `'next'` (default, many-to-one): y is the `horizon` values after the window, `[n, horizon·features]`.
   * `'sequence'` (many-to-many): y is the window shifted one step ahead, `[n, window, features]` — for `returnSequences`.
   */
  target?: 'next' | 'sequence';
}

function requiredWindow(value: unknown, path: string, example: number): number {
  if (value === undefined) throw new ReactNNError('option', path, `window is required, e.g. { window: ${example} }`);
  return integerOption(value, 'window', path, example);
}

/** Rows `[T][F]` of a series plus its sizes, checked. */
function seriesRows(series: Series, path: string): { values: Float64Array; steps: number; features: number } {
  if (!series || typeof series !== 'object' || typeof (series as ArrayLike<unknown>).length !== 'number') {
    throw new ReactNNError(
      'option',
      path,
      `series must be an array of numbers or of [features] rows (got ${describe(series)})`,
    );
  }
  const list = series as ArrayLike<number | readonly number[]>;
  const steps = list.length;
  const first = list[0];
  const features = Array.isArray(first) ? first.length : 1;
  if (steps === 0 || features === 0) throw new ReactNNError('data', path, 'series is empty');
  const values = new Float64Array(steps * features);
  for (let t = 0; t < steps; t++) {
    const row = list[t];
    if (Array.isArray(row) !== Array.isArray(first) || (Array.isArray(row) && row.length !== features)) {
      throw new ReactNNError(
        'shape',
        path,
        `step ${t} of the series is ${describe(row)} but step 0 is ${describe(first)}; every step needs the same number of features`,
      );
    }
    if (Array.isArray(row)) for (let f = 0; f < features; f++) values[t * features + f] = row[f] as number;
    else values[t] = row as number;
  }
  assertFinite(values, features, 'series', path);
  return { values, steps, features };
}

/**
 * Cuts a series into overlapping windows for forecasting: x `[n, window, features]`, y the
 * next `horizon` values (or, with `target: 'sequence'`, each window shifted one step ahead).
 * Windows keep the series' order; split with `{ shuffle: false }` to validate on the future.
 * @example
 * const ds = slidingWindows(prices, { window: 30 });   // x [n, 30, 1], y [n, 1]
 */
export function slidingWindows(series: Series, options: SlidingWindowOptions): Dataset {
  const path = 'slidingWindows';
  const o = optionsObject(options, path);
  const { values, steps, features } = seriesRows(series, path);
  const window = requiredWindow(o.window, path, 20);
  const horizon = integerOption(o.horizon, 'horizon', path, 1);
  const stride = integerOption(o.stride, 'stride', path, 1);
  const target = choiceOption(o.target, 'target', path, ['next', 'sequence'] as const, 'next');
  const ahead = target === 'next' ? horizon : 1;
  const n = steps >= window + ahead ? Math.floor((steps - window - ahead) / stride) + 1 : 0;
  if (n < 1) {
    throw new ReactNNError(
      'data',
      path,
      `a series of ${steps} steps has no window of ${window} steps plus ${ahead} to predict — use a smaller window or a longer series`,
    );
  }
  const x = new Float32Array(n * window * features);
  const yWidth = target === 'next' ? horizon * features : window * features;
  const y = new Float32Array(n * yWidth);
  for (let i = 0; i < n; i++) {
    const s = i * stride;
    x.set(values.subarray(s * features, (s + window) * features), i * window * features);
    const from = target === 'next' ? s + window : s + 1;
    y.set(values.subarray(from * features, from * features + yWidth), i * yWidth);
  }
  return createTrustedDataset({
    x: tf.tensor3d(x, [n, window, features]),
    y: target === 'next' ? tf.tensor2d(y, [n, yWidth]) : tf.tensor3d(y, [n, window, features]),
    task: 'regression',
  });
}

// ---------------------------------------------------------------------------------------------

/** Options of {@link Vocabulary.fromText}. */
export interface VocabularyOptions {
  /** `'char'` (default): every character is a token; `'word'`: whitespace-separated words. */
  level?: 'char' | 'word';
  /** A token that unknown tokens encode to (added to the vocabulary); default: unknown tokens throw. */
  unknownToken?: string;
}

/**
 * Tokens ↔ ids for text models: ids are positions in `tokens` (sorted, so the same text gives
 * the same ids). The ids feed an `<Embedding numEmbeddings={vocab.size}>`.
 * @example
 * const vocab = Vocabulary.fromText('hello world');
 * vocab.encode('hold'); vocab.decode([3, 4]);
 */
export class Vocabulary {
  readonly tokens: readonly string[];
  readonly level: 'char' | 'word';
  readonly unknownToken: string | undefined;
  readonly #ids: Map<string, number>;

  constructor(tokens: readonly string[], level: 'char' | 'word' = 'char', unknownToken?: string) {
    const path = 'Vocabulary';
    if (!Array.isArray(tokens) || tokens.length === 0 || tokens.some((t) => typeof t !== 'string' || t === '')) {
      throw new ReactNNError(
        'option',
        path,
        `tokens must be a non-empty list of non-empty strings (got ${describe(tokens)})`,
      );
    }
    const all = unknownToken !== undefined && !tokens.includes(unknownToken) ? [unknownToken, ...tokens] : [...tokens];
    this.#ids = new Map(all.map((t, i) => [t, i]));
    if (this.#ids.size !== all.length) throw new ReactNNError('option', path, 'tokens must not repeat');
    this.tokens = Object.freeze(all);
    this.level = level;
    this.unknownToken = unknownToken;
  }

  /** The sorted distinct tokens of `text`. */
  static fromText(text: string, options: VocabularyOptions = {}): Vocabulary {
    const path = 'Vocabulary.fromText';
    const o = optionsObject(options, path);
    const level = choiceOption(o.level, 'level', path, ['char', 'word'] as const, 'char');
    if (typeof text !== 'string' || text.length === 0) {
      throw new ReactNNError('option', path, `text must be a non-empty string (got ${describe(text)})`);
    }
    const tokens = [...new Set(tokenize(text, level))].sort();
    return new Vocabulary(tokens, level, o.unknownToken);
  }

  /** Number of tokens: the `numEmbeddings` of an Embedding, the outFeatures of the output layer. */
  get size(): number {
    return this.tokens.length;
  }

  tokenize(text: string): string[] {
    return tokenize(text, this.level);
  }

  /** Ids of a text's tokens (or of a token list). */
  encode(text: string | readonly string[]): number[] {
    const tokens = typeof text === 'string' ? this.tokenize(text) : text;
    return tokens.map((t) => {
      const id = this.#ids.get(t) ?? (this.unknownToken !== undefined ? this.#ids.get(this.unknownToken) : undefined);
      if (id === undefined) {
        throw new ReactNNError(
          'data',
          'Vocabulary.encode',
          `token ${JSON.stringify(t)} is not in the vocabulary of ${this.size} tokens — build it from text that contains it, or give an unknownToken`,
        );
      }
      return id;
    });
  }

  /** Text of ids: characters joined, or words joined by spaces. */
  decode(ids: ArrayLike<number>): string {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const token = this.tokens[Math.round(ids[i] as number)];
      if (token === undefined) {
        throw new ReactNNError('data', 'Vocabulary.decode', `id ${ids[i]} is outside 0 … ${this.size - 1}`);
      }
      out.push(token);
    }
    return out.join(this.level === 'char' ? '' : ' ');
  }
}

function tokenize(text: string, level: 'char' | 'word'): string[] {
  return level === 'char' ? [...text] : text.split(/\s+/).filter((w) => w.length > 0);
}

/** Options of {@link nextToken}. */
export interface NextTokenOptions extends VocabularyOptions {
  /** Tokens of context per example. */
  window: number;
  /** Tokens between the starts of consecutive windows. Default 1. */
  stride?: number;
  /** A vocabulary to reuse (e.g. the training set's for a test text); default: built from `text`. */
  vocabulary?: Vocabulary;
}

/**
 * Next-token prediction over a text: x `[n, window]` token ids, y `[n, 1]` the id of the token
 * that follows — a multiclass Dataset with one class per token (`classNames` are the tokens).
 * Train with `loss: 'crossEntropy'` and an output layer of `vocabulary.size` units.
 * @example
 * const { data, vocabulary } = nextToken('to be or not to be', { window: 5 });
 * <Sequential><Embedding numEmbeddings={vocabulary.size} embeddingDim={8} /><LSTM hiddenSize={32} /><Linear outFeatures={vocabulary.size} /></Sequential>
 */
export function nextToken(text: string, options: NextTokenOptions): { data: Dataset; vocabulary: Vocabulary } {
  const path = 'nextToken';
  const o = optionsObject(options, path);
  if (o.vocabulary !== undefined && !(o.vocabulary instanceof Vocabulary)) {
    throw new ReactNNError('option', path, `vocabulary must be a Vocabulary (got ${describe(o.vocabulary)})`);
  }
  const vocabulary =
    o.vocabulary ?? Vocabulary.fromText(text, { level: o.level ?? 'char', unknownToken: o.unknownToken });
  const window = requiredWindow(o.window, path, 10);
  const stride = integerOption(o.stride, 'stride', path, 1);
  const ids = vocabulary.encode(text);
  const n = ids.length > window ? Math.floor((ids.length - window - 1) / stride) + 1 : 0;
  if (n < 1) {
    throw new ReactNNError(
      'data',
      path,
      `the text has ${ids.length} tokens, too few for a window of ${window} plus one to predict — use a smaller window or more text`,
    );
  }
  const x = new Float32Array(n * window);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = i * stride;
    for (let k = 0; k < window; k++) x[i * window + k] = ids[s + k] as number;
    labels[i] = ids[s + window] as number;
  }
  const k = vocabulary.size;
  const data = createTrustedDataset(
    {
      x: tf.tensor2d(x, [n, window]),
      y: tf.tensor2d(Float32Array.from(labels), [n, 1]),
      task: k === 2 ? 'binary' : 'multiclass',
      numClasses: Math.max(2, k),
      ...(k >= 2 ? { classNames: vocabulary.tokens } : {}),
    },
    labels,
  );
  return { data, vocabulary };
}

// ---------------------------------------------------------------------------------------------

/** Options of {@link sineWave}. */
export interface SineWaveOptions {
  /** Number of windows. Default 500. */
  n?: number;
  /** Steps per window. Default 20. */
  window?: number;
  /** Steps ahead to predict. Default 1. */
  horizon?: number;
  /** Steps per cycle. Default 20. */
  period?: number;
  /** Standard deviation of gaussian noise on the inputs (targets stay clean). Default 0. */
  noise?: number;
  /** y is each window shifted one step ahead, `[n, window, 1]` (many-to-many). Default false. */
  sequence?: boolean;
  /** Default 0. */
  seed?: number;
}

/**
 * Sine-wave forecasting: each example is `window` consecutive steps of sin(2π·t/period + φ) with
 * a random phase φ, x `[n, window, 1]`; y the next `horizon` values `[n, horizon]` (or, with
 * `sequence`, the window shifted one step). A model that always predicts 0 scores MSE ≈ 0.5.
 * @example
 * const data = datasets.sineWave({ n: 500, window: 20, seed: 1 });
 * <Sequential><LSTM hiddenSize={16} /><Linear outFeatures={1} /></Sequential> // inputShape [20, 1]
 */
export function sineWave(options?: SineWaveOptions): Dataset {
  const path = 'datasets.sineWave';
  const o = optionsObject(options, path);
  const n = integerOption(o.n, 'n', path, 500);
  const window = integerOption(o.window, 'window', path, 20);
  const horizon = integerOption(o.horizon, 'horizon', path, 1);
  const noise = nonNegativeOption(o.noise, 'noise', path, 0);
  const period = o.period ?? 20;
  if (typeof period !== 'number' || !Number.isFinite(period) || period <= 0) {
    throw new ReactNNError('option', path, `period must be a positive number of steps (got ${describe(period)})`);
  }
  const sequence = booleanOption(o.sequence, 'sequence', path, false);
  const rng = createRng(deriveSeed(seedOption(o.seed, path), 'sineWave'));
  const ahead = sequence ? 1 : horizon;
  const x = new Float32Array(n * window);
  const y = new Float32Array(n * (sequence ? window : horizon));
  const w = (2 * Math.PI) / period;
  for (let i = 0; i < n; i++) {
    const phase = 2 * Math.PI * rng();
    const wave = (t: number) => Math.sin(w * t + phase);
    for (let t = 0; t < window; t++) x[i * window + t] = wave(t) + (noise > 0 ? noise * randn(rng) : 0);
    if (sequence) for (let t = 0; t < window; t++) y[i * window + t] = wave(t + 1);
    else for (let h = 0; h < ahead; h++) y[i * horizon + h] = wave(window + h);
  }
  return createTrustedDataset({
    x: tf.tensor3d(x, [n, window, 1]),
    y: sequence ? tf.tensor3d(y, [n, window, 1]) : tf.tensor2d(y, [n, horizon]),
    task: 'regression',
  });
}

// ---------------------------------------------------------------------------------------------

const POSITIVE = ['good', 'great', 'love', 'fun', 'happy', 'nice'] as const;
const NEGATIVE = ['bad', 'awful', 'hate', 'boring', 'sad', 'poor'] as const;
const NEUTRAL = ['the', 'movie', 'was', 'a', 'plot', 'story', 'it', 'and', 'really', 'film'] as const;

/**
 * The words of {@link sentiment}: id 0 is padding, then negation, the positive, negative and
 * neutral words. `SENTIMENT_VOCABULARY.decode(row)` reads an example back.
 */
export const SENTIMENT_VOCABULARY: Vocabulary = /* @__PURE__ */ new Vocabulary(
  ['<pad>', 'not', ...POSITIVE, ...NEGATIVE, ...NEUTRAL],
  'word',
);

/** Options of {@link sentiment}. */
export interface SentimentOptions {
  /** Number of sentences. Default 1000. */
  n?: number;
  /** Tokens per example; shorter sentences are padded with id 0 at the front. Default 8. */
  length?: number;
  /** Put "not" before some sentiment words, flipping them — an order the model must read. Default true. */
  negation?: boolean;
  /** Default 0. */
  seed?: number;
}

/**
 * A toy sentiment task: short "reviews" of neutral filler words with one or two sentiment
 * words, each possibly negated by a "not" right before it. The label is 1 (positive) when the
 * sentiment words, negations applied, sum above 0 (ties are redrawn). x `[n, length]` word ids
 * of {@link SENTIMENT_VOCABULARY}, front-padded with 0; y class ids `[n, 1]`, 'binary'.
 * @example
 * <Sequential><Embedding numEmbeddings={SENTIMENT_VOCABULARY.size} embeddingDim={8} /><LSTM hiddenSize={16} /><Linear outFeatures={1} /></Sequential>
 */
export function sentiment(options?: SentimentOptions): Dataset {
  const path = 'datasets.sentiment';
  const o = optionsObject(options, path);
  const n = integerOption(o.n, 'n', path, 1000);
  const length = integerOption(o.length, 'length', path, 8, 4);
  const negation = booleanOption(o.negation, 'negation', path, true);
  const rng = createRng(deriveSeed(seedOption(o.seed, path), 'sentiment'));
  const vocab = SENTIMENT_VOCABULARY;
  const x = new Float32Array(n * length);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let words: string[];
    let score: number;
    do {
      ({ words, score } = sentence(rng, length, negation));
    } while (score === 0);
    labels[i] = score > 0 ? 1 : 0;
    x.set(vocab.encode(words), i * length + (length - words.length));
  }
  return createTrustedDataset(
    {
      x: tf.tensor2d(x, [n, length]),
      y: tf.tensor2d(Float32Array.from(labels), [n, 1]),
      task: 'binary',
      numClasses: 2,
      classNames: ['negative', 'positive'],
    },
    labels,
  );
}

function sentence(rng: Rng, length: number, negation: boolean): { words: string[]; score: number } {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)] as T;
  const words: string[] = [];
  let score = 0;
  const sentiments = rng() < 0.5 ? 1 : 2;
  for (let s = 0; s < sentiments; s++) {
    const positive = rng() < 0.5;
    const negated = negation && rng() < 0.35;
    const phrase = [...(negated ? ['not'] : []), pick(positive ? POSITIVE : NEGATIVE)];
    score += (positive ? 1 : -1) * (negated ? -1 : 1);
    words.push(...phrase);
  }
  // Neutral words around the sentiment phrases, to a random length that fits.
  const target = words.length + Math.floor(rng() * (length - words.length + 1));
  while (words.length < target) {
    const at = Math.floor(rng() * (words.length + 1));
    // Never split "not" from its word.
    if (words[at - 1] === 'not') continue;
    words.splice(at, 0, pick(NEUTRAL));
  }
  return { words, score };
}
