/**
 * Saving and sharing the Playground with the library's own formats. A share link is
 * `encodeShareState` (`?share=rnn1.…`): the page's state as its URL query (`encodeState`, the one
 * codec of the state fields), the architecture, and the trained weights when they fit
 * (`SHARE_WEIGHT_LIMIT`). A saved file is a `.rnn` checkpoint (`saveCheckpoint`) with one more
 * file, `playground.json`, holding the same query: `loadCheckpoint` reads it like any checkpoint,
 * and the Playground restores its controls and data from it.
 */
import { ReactNNError } from '../errors';
import {
  type Checkpoint,
  type CheckpointSubject,
  loadCheckpoint,
  saveCheckpoint,
  WEIGHTS_FILE,
} from '../io/checkpoint';
import { writeTo } from '../io/locations';
import type { SavedWeights } from '../io/restore';
import { decodeShareState, encodeShareState, SHARE_WEIGHT_LIMIT, shareModel } from '../io/share';
import { OPTIMIZER_FILE, type TrainerStateLike } from '../io/trainerState';
import { unzipFiles, zipFiles } from '../io/zip';
import type { Net } from '../runtime/net';
import { parseJSX, toJSX } from './jsx';
import { activeFeatures, decodeState, encodeState, type PlaygroundState } from './state';

/** The query key of a share link. */
export const SHARE_PARAM = 'share';
/** What `ShareState.example` says in a Playground link, so another page's link is told apart. */
const EXAMPLE = 'playground';
/** The file a Playground checkpoint adds beside model.json and the weights. */
export const PLAYGROUND_FILE = 'playground.json';

/** A state read from a link or a file, with the weights to load into the model it builds. */
export interface Restored {
  state: PlaygroundState;
  /** Sentences for the visible notice: values that fell back, parts the link or file did not hold. */
  notices: string[];
  /** Trained weights, by checkpoint name; null when the link carries none. */
  weights: SavedWeights | null;
  /**
   * The training run of a file saved while paused (step, epoch, history, optimizer slots): Open
   * continues it (`createTrainer(net, { resume })`). Absent from links and from files saved while
   * training ran, which start a fresh run from their weights.
   */
  trainerState?: TrainerStateLike;
}

/** A share link to the page: its state, and the model's weights when they fit in a link. */
export async function shareLink(
  state: PlaygroundState,
  net: Net,
  location: { origin: string; pathname: string; hash: string },
): Promise<{ url: string; withWeights: boolean }> {
  const { model, weights } = await shareModel(net);
  const text = encodeShareState({ example: EXAMPLE, options: { query: encodeState(state) }, model, weights });
  return {
    url: `${location.origin}${location.pathname}?${SHARE_PARAM}=${text}${location.hash}`,
    withWeights: !!weights,
  };
}

/** Why a model's weights are not in its link (their count), for the page to say so. */
export function weightsLeftOut(net: Net): string {
  const total = net.summary().totalParams;
  return `The network has ${total.toLocaleString('en-US')} weights, more than a link holds (${SHARE_WEIGHT_LIMIT.toLocaleString('en-US')}): the link has the settings and data but not the training; use Save for that.`;
}

/**
 * Reads a share link's `share` value. Never throws: a damaged link, or another page's link, gives
 * the defaults with a notice saying why.
 */
export function readShareLink(text: string): Restored {
  let shared: ReturnType<typeof decodeShareState>;
  try {
    shared = decodeShareState(text);
  } catch (e) {
    return { ...decodeState(''), weights: null, notices: [`${(e as Error).message}; showing the defaults instead.`] };
  }
  const query = shared.options?.query;
  if (shared.example !== EXAMPLE || typeof query !== 'string') {
    return {
      ...decodeState(''),
      weights: null,
      notices: [
        `the share link is not a Playground link (it is for ${shared.example ?? 'another page'}); showing the defaults instead.`,
      ],
    };
  }
  const decoded = decodeState(query);
  return { ...decoded, weights: shared.weights ?? null };
}

/**
 * Saves the model (or the paused trainer with it) as `playground.rnn` in the browser's downloads,
 * with the page's state inside. Returns the file's bytes.
 */
export async function savePlayground(subject: CheckpointSubject, state: PlaygroundState): Promise<Uint8Array> {
  const bytes = await playgroundFile(subject, state);
  await writeTo('downloads://playground', bytes, SAVE);
  return bytes;
}

const SAVE = 'Playground > Save';

/** The bytes of a Playground `.rnn`: the checkpoint of `subject`, plus `playground.json` with the page's state. */
export async function playgroundFile(subject: CheckpointSubject, state: PlaygroundState): Promise<Uint8Array> {
  const files = unzipFiles(await saveCheckpoint(subject), SAVE);
  files[PLAYGROUND_FILE] = new TextEncoder().encode(JSON.stringify({ query: encodeState(state) }));
  return zipFiles(files, [WEIGHTS_FILE, OPTIMIZER_FILE]);
}

/**
 * Reads a `.rnn` file into a state and weights, checking everything before the page changes: the
 * checkpoint itself (`loadCheckpoint`), the page state it holds, and that its architecture is the
 * network that state describes. A file saved elsewhere, without `playground.json`, keeps the
 * page's data and features and takes the network from the file when the Playground can show it.
 * A file saved from a paused trainer also gives its `trainerState`, for the page to continue the
 * run; whether that state fits is the trainer's to check (a misfit falls back to a fresh run).
 * The checkpoint is disposed here. Throws a ReactNNError saying why a file cannot be opened.
 */
export async function openPlayground(file: Blob | Uint8Array, current: PlaygroundState): Promise<Restored> {
  const api = 'Playground > Open';
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
  const checkpoint = await loadCheckpoint(bytes);
  try {
    const extra = unzipFiles(bytes, api)[PLAYGROUND_FILE];
    let state: PlaygroundState;
    let notices: string[] = [];
    if (extra) {
      const query = readQuery(extra, api);
      ({ state, notices } = decodeState(query));
    } else {
      state = current;
      notices = ['the file holds no Playground settings (it was saved elsewhere): the data and features are kept.'];
    }
    const fields = architecture(checkpoint, state, api);
    const next = { ...state, ...fields };
    if (extra && toJSX(next) !== toJSX(state)) {
      throw new ReactNNError(
        'data',
        api,
        `the network in the file (${checkpoint.toJSX().replace(/\s+/g, ' ')}) is not the one its Playground settings describe — the file was altered; save it again`,
      );
    }
    const trainerState = checkpoint.trainerState;
    return { state: next, notices, weights: new Map(checkpoint.weights), ...(trainerState ? { trainerState } : {}) };
  } finally {
    checkpoint.dispose();
  }
}

function readQuery(bytes: Uint8Array, api: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ReactNNError(
      'data',
      api,
      `${PLAYGROUND_FILE} is not valid JSON (${(e as Error).message}) — the file is corrupted`,
    );
  }
  const query = (parsed as { query?: unknown } | null)?.query;
  if (typeof query !== 'string') {
    throw new ReactNNError('data', api, `${PLAYGROUND_FILE} has no "query" string — the file is corrupted`);
  }
  return query;
}

/** The network fields of the checkpoint's architecture, read as the JSX panel reads an edit. */
function architecture(checkpoint: Checkpoint, state: PlaygroundState, api: string) {
  const inputs = activeFeatures(state).length;
  if (checkpoint.inputShape.length !== 1 || checkpoint.inputShape[0] !== inputs) {
    throw new ReactNNError(
      'shape',
      api,
      `the model takes inputs of shape [${checkpoint.inputShape.join(', ')}] but the page has ${inputs} input features on — turn features on or off to have ${checkpoint.inputShape[0]}, then open the file again`,
    );
  }
  const parsed = parseJSX(checkpoint.toJSX(), state);
  if (!parsed.ok) {
    throw new ReactNNError('structure', api, `the Playground cannot show this network: ${parsed.error.message}`);
  }
  return parsed.fields;
}
