/**
 * Share links: a model's architecture, hyper-parameters, data set choice (and its weights, when
 * small) in one compact URL fragment, as TF Playground keeps its state in the URL. JSON, deflated
 * with fflate, base64url: `rnn1.<payload>`. Decoding checks everything, so a hand-edited or
 * cut-off link is a ReactNNError, never a half-built model.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { describe, ReactNNError } from '../errors';
import type { Net } from '../runtime/net';
import { checkTree, describeModel, isInputShape, type JSONValue, type SavedNode } from './modelFile';
import { readNetWeights } from './netWeights';
import type { SavedWeights } from './restore';

/**
 * The most weight values a share link carries: 4,096 float32s (16 KiB before compression, about
 * 22 KB of link at worst). Links stay usable in chat apps and under every browser's URL limit;
 * bigger models share their architecture and hyper-parameters, and travel as checkpoints.
 */
export const SHARE_WEIGHT_LIMIT = 4096;

/** Everything a share link can hold; every part is optional. */
export interface ShareState {
  /** The architecture: the stored node tree and the input shape (see `shareModel`). */
  model?: { tree: SavedNode; inputShape: number[] };
  /** Source code of an editable example, for editors that keep JSX text rather than a tree. */
  code?: string;
  /** Which example or page the state belongs to. */
  example?: string;
  /** Hyper-parameters: `{ optimizer: { type: 'adam', lr: 0.01 }, batchSize: 32 }` — any JSON. */
  options?: { [key: string]: JSONValue };
  /** The data set choice: `{ name: 'moons', noise: 0.3 }` — any JSON. */
  data?: JSONValue;
  /** Weights by checkpoint name, at most SHARE_WEIGHT_LIMIT values in all. */
  weights?: SavedWeights;
}

const PREFIX = 'rnn1.';
const API_ENCODE = 'encodeShareState';
const API_DECODE = 'decodeShareState';

/**
 * The architecture of a built net for `ShareState.model`, and its weights when they fit in a
 * link (`weights: 'auto'`, the default) or never (`weights: false`).
 */
export async function shareModel(
  net: Net,
  options: { weights?: 'auto' | false } = {},
): Promise<Pick<ShareState, 'model' | 'weights'>> {
  const { graph } = net.getSnapshot();
  if (!graph) throw new ReactNNError('state', 'shareModel', 'the model is not built yet — await its ready() first');
  const { tree, inputShape } = describeModel(graph, false, 'shareModel');
  const out: Pick<ShareState, 'model' | 'weights'> = { model: { tree, inputShape } };
  const live = readNetWeights(net, 'shareModel');
  const count = live.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  if (options.weights !== false && count <= SHARE_WEIGHT_LIMIT) {
    const weights = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const w of live)
      weights.set(w.name, { shape: [...w.shape], data: Float32Array.from(await w.variable.read().data()) });
    out.weights = weights;
  }
  return out;
}

/** Encodes a share state as a URL-fragment-safe string (`rnn1.…`, base64url of deflated JSON). */
export function encodeShareState(state: ShareState): string {
  if (typeof state !== 'object' || state === null)
    throw new ReactNNError('option', API_ENCODE, `expected a share state object (got ${describe(state)})`);
  const json: Record<string, unknown> = { ...state };
  if (state.weights) {
    let count = 0;
    const weights: Record<string, [number[], string]> = {};
    for (const [name, w] of state.weights) {
      count += w.data.length;
      weights[name] = [[...w.shape], toBase64(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength))];
    }
    if (count > SHARE_WEIGHT_LIMIT) {
      throw new ReactNNError(
        'option',
        API_ENCODE,
        `the weights hold ${count} values; a share link carries at most ${SHARE_WEIGHT_LIMIT} — share without weights (shareModel(net, { weights: false })) and send a checkpoint file for the trained model`,
      );
    }
    json.weights = weights;
  }
  let text: string;
  try {
    text = JSON.stringify({ v: 1, ...json });
  } catch (e) {
    throw new ReactNNError('option', API_ENCODE, `the state is not JSON-safe: ${(e as Error).message}`, { cause: e });
  }
  return (
    PREFIX +
    toBase64(deflateSync(strToU8(text), { level: 9 }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')
  );
}

/**
 * Decodes a share string: the `rnn1.…` text alone, or a whole fragment or URL that contains it
 * (after `#`, `share=` or `?`). A string without one, a cut-off or altered payload, or a state
 * whose parts have the wrong types is a ReactNNError.
 */
export function decodeShareState(hash: string): ShareState {
  if (typeof hash !== 'string')
    throw new ReactNNError('option', API_DECODE, `expected the link's fragment as a string (got ${describe(hash)})`);
  const at = hash.indexOf(PREFIX);
  if (at < 0) throw new ReactNNError('data', API_DECODE, `the link holds no react-nn state (no "${PREFIX}" in it)`);
  const payload = hash.slice(at + PREFIX.length).split(/[&#?]/)[0] as string;
  const broken = (why: string, cause?: unknown): never => {
    throw new ReactNNError(
      'data',
      API_DECODE,
      `the shared state is damaged (${why}) — the link was cut off or altered; copy it again`,
      {
        cause,
      },
    );
  };
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) broken('characters outside base64url');
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(inflateSync(fromBase64(payload.replace(/-/g, '+').replace(/_/g, '/')))));
  } catch (e) {
    return broken((e as Error).message, e);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return broken('not an object');
  const r = raw as Record<string, unknown>;
  if (r.v !== 1)
    throw new ReactNNError(
      'data',
      API_DECODE,
      `the link has state version ${describe(r.v)}; this react-nn reads version 1`,
    );
  const state: ShareState = {};
  if (r.model !== undefined) {
    const m = r.model as { tree?: unknown; inputShape?: unknown };
    if (typeof m !== 'object' || m === null || !isInputShape(m.inputShape)) broken('model.inputShape is not a shape');
    checkTree(m.tree, API_DECODE);
    state.model = { tree: m.tree, inputShape: m.inputShape as number[] };
  }
  for (const key of ['code', 'example'] as const) {
    if (r[key] === undefined) continue;
    if (typeof r[key] !== 'string') broken(`${key} is not a string`);
    state[key] = r[key] as string;
  }
  if (r.options !== undefined) {
    if (typeof r.options !== 'object' || r.options === null || Array.isArray(r.options))
      broken('options is not an object');
    state.options = r.options as ShareState['options'];
  }
  if (r.data !== undefined) state.data = r.data as JSONValue;
  if (r.weights !== undefined) state.weights = decodeWeights(r.weights, broken);
  return state;
}

function decodeWeights(raw: unknown, broken: (why: string) => never): SavedWeights {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return broken('weights is not an object');
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, entry] of Object.entries(raw)) {
    const [shape, b64] = Array.isArray(entry) ? entry : [];
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || typeof b64 !== 'string')
      broken(`weight "${name}" is not [shape, data]`);
    let bytes: Uint8Array = new Uint8Array(0);
    try {
      bytes = fromBase64(b64 as string);
    } catch {
      broken(`weight "${name}" is not base64`);
    }
    const count = (shape as number[]).reduce((a: number, b: number) => a * b, 1);
    if (bytes.length !== count * 4) broken(`weight "${name}" has ${bytes.length} bytes for shape [${shape}]`);
    out.set(name, { shape: shape as number[], data: new Float32Array(bytes.slice().buffer) });
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  // In chunks: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
