/**
 * Checkpoints: a model (and optionally its trainer's state) in one `.rnn` file — a zip of
 * `model.json` (architecture), `weights.safetensors` (every weight, named as `summary()` names the
 * layers) and, for a trainer, `trainer.json` + `optimizer.safetensors`. Save to bytes, IndexedDB, a
 * download or a file; load from any of them; build with `renderModel(cp.element, { checkpoint: cp })`.
 *
 * @example
 * const bytes = await saveCheckpoint(trainer, 'indexeddb://moons');
 * const cp = await loadCheckpoint('indexeddb://moons');
 * const net = await renderModel(cp.element, { inputShape: cp.inputShape, checkpoint: cp });
 */
import * as tf from '@tensorflow/tfjs';
import type { ReactElement } from 'react';
import { describe, ReactNNError } from '../errors';
import type { GraphNode } from '../graph/types';
import { Net } from '../runtime/net';
import { type CheckpointSource, readFrom, writeTo } from './locations';
import {
  type CheckpointMeta,
  describeModel,
  type ModelJSON,
  parseModel,
  type SavedNode,
  toGraphNode,
} from './modelFile';
import { readNetWeights } from './netWeights';
import { type LoadReport, type LoadWeightsOptions, loadWeights, type SavedWeights } from './restore';
import { encodeSafetensors, type SafeTensor } from './safetensors';
import { toElement, toJSX } from './toJSX';
import {
  decodeTrainerState,
  encodeTrainerState,
  isTrainerLike,
  type TrainerLike,
  type TrainerStateLike,
  wrapSafetensors,
} from './trainerState';
import { unzipFiles, zipFiles } from './zip';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';

/** What can be saved: a Net, anything holding one (`renderModel`'s result, a `useModel()` handle), or a Trainer. */
export type CheckpointSubject = Net | { readonly net: Net } | TrainerLike;

/** A loaded checkpoint: the architecture, its weights and (when saved from a trainer) the trainer's state. */
export interface Checkpoint {
  /** The architecture as a React element of react-nn layers: `renderModel(cp.element, …)`. */
  readonly element: ReactElement;
  /** The same architecture as the plain node tree a `Net` commits (no React needed). */
  readonly tree: GraphNode;
  /** Shape of one example, as saved. */
  readonly inputShape: number[];
  readonly meta: CheckpointMeta;
  /** Every saved weight by name (`Sequential > Linear[0] > kernel`), as host arrays. */
  readonly weights: SavedWeights;
  /** The trainer's exported state when saved from a trainer: `createTrainer(net, { resume: checkpoint })`. */
  readonly trainerState?: TrainerStateLike;
  /** The architecture as JSX source text to paste into an app. */
  toJSX(): string;
  /** Drops the weights and trainer state it holds (host memory; a checkpoint holds no tensors). */
  dispose(): void;
}

function netOf(subject: CheckpointSubject, api: string): Net {
  const net = subject instanceof Net ? subject : (subject as { net?: unknown })?.net;
  if (!(net instanceof Net)) {
    throw new ReactNNError(
      'option',
      api,
      `expected a model (renderModel's result, a useModel() handle or a Net) or a trainer (got ${describe(subject)})`,
    );
  }
  return net;
}

/**
 * Saves a model — or a trainer with its model — as `.rnn` bytes, and also to `target` when given:
 * `'indexeddb://KEY'` or `'downloads://NAME'` in browsers, a file path in Node. Save a trainer
 * while it is paused (or between `step()`s) so that the weights and optimizer state belong to the
 * same step.
 */
export async function saveCheckpoint(subject: CheckpointSubject, target?: string): Promise<Uint8Array<ArrayBuffer>> {
  const api = 'saveCheckpoint';
  const net = netOf(subject, api);
  if (net.isDisposed) throw new ReactNNError('state', api, 'the model was disposed; save it before disposing');
  await net.ready();
  const trainerState = isTrainerLike(subject) ? await subject.exportState() : undefined;
  const bytes = await encodeCheckpoint(net, trainerState, api);
  if (target !== undefined) await writeTo(target, bytes, api);
  return bytes;
}

/** The `.rnn` bytes of a built net and an optional trainer state. */
async function encodeCheckpoint(
  net: Net,
  trainerState: TrainerStateLike | undefined,
  api: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const { graph } = net.getSnapshot();
  if (!graph) throw new ReactNNError('state', api, 'the model is not built yet — await its ready() first');
  const model = describeModel(graph, trainerState !== undefined, api);
  // Copies taken in one synchronous pass, so a training step cannot land between two weights.
  const weights = readNetWeights(net, api);
  const copies = weights.map((w) => tf.clone(w.variable.read()));
  const tensors: Record<string, SafeTensor> = {};
  try {
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as (typeof weights)[number];
      const data = await (copies[i] as tf.Tensor).data();
      // data() gives a fresh copy already; only another dtype needs converting.
      tensors[w.name] = {
        dtype: 'F32',
        shape: [...w.shape],
        data: data instanceof Float32Array ? data : Float32Array.from(data),
      };
    }
  } finally {
    for (const c of copies) c.dispose();
  }
  const files: Record<string, Uint8Array> = {
    [MODEL_FILE]: new TextEncoder().encode(JSON.stringify(model, null, 1)),
    [WEIGHTS_FILE]: encodeSafetensors(tensors, { format: 'react-nn' }),
    ...(trainerState ? encodeTrainerState(trainerState, api) : {}),
  };
  return zipFiles(files, [WEIGHTS_FILE, 'optimizer.safetensors']);
}

/**
 * Loads a checkpoint from bytes, a Blob (a file input's File), `'indexeddb://KEY'`, a URL, or (in
 * Node) a file path. Every part is checked before anything is returned: a truncated or corrupted
 * file, another program's file, a newer format, a lying safetensors header or an unregistered
 * layer type is a ReactNNError, and nothing running is touched.
 */
export async function loadCheckpoint(source: CheckpointSource): Promise<Checkpoint> {
  const api = 'loadCheckpoint';
  const bytes = await readFrom(source, api);
  return decodeCheckpoint(bytes, api);
}

async function decodeCheckpoint(bytes: Uint8Array, api: string): Promise<Checkpoint> {
  const files = unzipFiles(bytes, api);
  const modelBytes = files[MODEL_FILE];
  const weightBytes = files[WEIGHTS_FILE];
  if (!modelBytes || !weightBytes) {
    throw new ReactNNError(
      'data',
      api,
      `the zip has no ${modelBytes ? WEIGHTS_FILE : MODEL_FILE} (it holds ${
        Object.keys(files)
          .map((f) => `"${f}"`)
          .join(', ') || 'nothing'
      }) — it is not a react-nn checkpoint`,
    );
  }
  const model: ModelJSON = parseModel(modelBytes, api);
  let weights: Map<string, { shape: number[]; data: Float32Array }> | null = new Map();
  for (const [name, t] of Object.entries(wrapSafetensors(weightBytes, api).tensors)) {
    if (t.dtype !== 'F32')
      throw new ReactNNError('data', api, `${WEIGHTS_FILE}: weight "${name}" is ${t.dtype}; weights are F32`);
    weights.set(name, { shape: t.shape, data: t.data });
  }
  let trainerState = decodeTrainerState(files, api);
  const element = await toElement(model.tree);
  const tree = toGraphNode(model.tree);
  const saved: SavedNode = model.tree;
  return {
    element,
    tree,
    inputShape: model.inputShape,
    meta: { ...model.meta, hasTrainerState: trainerState !== undefined },
    get weights(): SavedWeights {
      if (!weights) throw new ReactNNError('state', 'Checkpoint', 'this checkpoint was disposed; load it again');
      return weights;
    },
    get trainerState() {
      return trainerState;
    },
    toJSX: () => toJSX(saved),
    dispose: () => {
      weights = null;
      trainerState = undefined;
    },
  };
}

/**
 * Writes a checkpoint's weights into a built model, checking every name and shape first (see
 * `loadWeights`): strict by default, `{ strict: false }` loads what matches. `renderModel(…, {
 * checkpoint })` and `<Model checkpoint>` call this for you.
 */
export function restoreCheckpoint(
  target: Net | { readonly net: Net },
  checkpoint: Checkpoint,
  options: LoadWeightsOptions = {},
): LoadReport {
  const api = 'restoreCheckpoint';
  return loadWeights(netOf(target, api), checkpoint.weights, options, api);
}
