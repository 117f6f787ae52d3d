/**
 * A trainer's state inside a checkpoint: `trainer.json` (its JSON part) and
 * `optimizer.safetensors` (its tensors: optimizer slots, best weights). Written against the
 * shape of the trainer's `exportState()` rather than the Trainer class, so that checkpoints
 * carry whatever the trainer chooses to export and `createTrainer(net, { resume: checkpoint })`
 * reads it back from `checkpoint.trainerState`.
 */
import { describe, ReactNNError } from '../errors';
import type { Net } from '../runtime/net';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors';

/** A trainer's exported state, as `trainer.exportState()` gives it and `createTrainer({ resume })` takes it. */
export interface TrainerStateLike {
  version: number;
  /** JSON-safe: options without data, loss, optimizer config and step counts, schedule, epoch, history… */
  json: unknown;
  /** Float tensors copied out of the trainer (optimizer slots, best weights), by name. */
  tensors: Record<string, { shape: number[]; data: Float32Array }>;
}

/** Anything that trains a Net and can export its state: a Trainer. */
export interface TrainerLike {
  readonly net: Net;
  exportState(): Promise<TrainerStateLike>;
}

export function isTrainerLike(v: unknown): v is TrainerLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { exportState?: unknown }).exportState === 'function' &&
    'net' in v
  );
}

export const TRAINER_FILE = 'trainer.json';
export const OPTIMIZER_FILE = 'optimizer.safetensors';

/** The two files of a trainer state. Throws a ReactNNError when the state is not JSON-safe. */
export function encodeTrainerState(state: TrainerStateLike, api: string): Record<string, Uint8Array> {
  let json: string;
  try {
    json = JSON.stringify({ version: state.version, json: state.json });
  } catch (e) {
    throw new ReactNNError('option', api, `the trainer state is not JSON-safe (${(e as Error).message})`, { cause: e });
  }
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, t] of Object.entries(state.tensors)) {
    if (!(t.data instanceof Float32Array)) {
      throw new ReactNNError(
        'option',
        api,
        `trainer tensor "${name}" must hold a Float32Array (got ${describe(t.data)})`,
      );
    }
    tensors[name] = { dtype: 'F32', shape: [...t.shape], data: t.data };
  }
  return {
    [TRAINER_FILE]: new TextEncoder().encode(json),
    [OPTIMIZER_FILE]: encodeSafetensors(tensors, { format: 'react-nn.trainer' }),
  };
}

/**
 * Reads a trainer state back; `undefined` when the checkpoint has none. One of the two files
 * without the other, bad JSON or a tensor that is not F32 is a ReactNNError.
 */
export function decodeTrainerState(files: Record<string, Uint8Array>, api: string): TrainerStateLike | undefined {
  const jsonBytes = files[TRAINER_FILE];
  const tensorBytes = files[OPTIMIZER_FILE];
  if (!jsonBytes && !tensorBytes) return undefined;
  if (!jsonBytes || !tensorBytes) {
    throw new ReactNNError(
      'data',
      api,
      `the checkpoint has ${jsonBytes ? TRAINER_FILE : OPTIMIZER_FILE} without ${jsonBytes ? OPTIMIZER_FILE : TRAINER_FILE} — the file is incomplete`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes));
  } catch (e) {
    throw new ReactNNError('data', api, `${TRAINER_FILE} is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (typeof version !== 'number' || !('json' in (parsed as object))) {
    throw new ReactNNError('data', api, `${TRAINER_FILE} has no version and json fields — the file is corrupted`);
  }
  const tensors: TrainerStateLike['tensors'] = {};
  for (const [name, t] of Object.entries(wrapSafetensors(tensorBytes, api).tensors)) {
    if (t.dtype !== 'F32') {
      throw new ReactNNError('data', api, `${OPTIMIZER_FILE}: tensor "${name}" is ${t.dtype}; trainer tensors are F32`);
    }
    tensors[name] = { shape: t.shape, data: t.data };
  }
  return { version, json: (parsed as { json: unknown }).json, tensors };
}

/** Decodes safetensors, naming the checkpoint API (not the codec) as the caller in errors. */
export function wrapSafetensors(bytes: Uint8Array, api: string): ReturnType<typeof decodeSafetensors> {
  try {
    return decodeSafetensors(bytes);
  } catch (e) {
    throw new ReactNNError('data', api, (e as Error).message, { cause: e });
  }
}
