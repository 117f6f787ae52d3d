/**
 * A trainer's state as plain data, for exact resume: JSON-safe `json` (options without data or
 * functions, loss, optimizer config and step counts, callback and schedule state, epoch, step,
 * history, seed and where the epoch stands, engine) and the optimizer's slot tensors (and early
 * stopping's best weights) copied out by stable name. Weights are not part of it: the model's
 * are saved with the model.
 *
 * The epoch order needs no RNG state: it is a pure function of (seed, epoch, data size), see
 * `epochOrder`; the cursor's offset says how far into the epoch the run was.
 */
import { describe, ReactNNError } from '../errors';
import type { CallbackState } from './callbacks';
import type { EngineInfo } from './engines/types';
import type { ExportedParamState, Slot } from './optimizers';
import type { EngineName } from './trainerOptions';
import type { TrainerStatus } from './trainerStatus';
import type { SavedTensor } from './weights';

/** A history value: a number, or 'NaN' / 'Infinity' / '-Infinity' (JSON has none of those). */
export type SavedNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export interface TrainerStateJSON {
  kind: 'react-nn.trainer';
  options: {
    batchSize: number | 'full';
    epochs: number;
    metrics: string[];
    regularization: { l1?: number; l2?: number } | null;
    clipGradNorm: number | null;
    clipGradValue: number | null;
    seed: number;
    shuffle: boolean;
    validationSplit: number | null;
  };
  /** The built-in loss's name, or the custom function's. */
  loss: string;
  optimizer: {
    /** The config in effect (a schedule's latest lr included), defaults filled in. */
    config: Record<string, unknown>;
    /** Per parameter: torch's `state['step']`, its shape, and which slots `tensors` holds for it. */
    params: { key: string; step: number; shape: number[]; slots: Slot[] }[];
  };
  /** One entry per callback, in order; `state` null for a callback that keeps none. */
  callbacks: { name: string | null; state: Record<string, unknown> | null; tensors: string[] }[];
  epoch: number;
  step: number;
  history: Record<string, SavedNumber[]>;
  /** Where the current epoch stands: rows trained and their loss sum (0 and 0 at an epoch boundary). */
  cursor: { offset: number; lossSum: number; dataSize: number };
  engine: { requested: EngineName; name: EngineInfo['name'] };
  /**
   * Each seeded Dropout layer's random state, by layer name: its seed and the seeds drawn so far
   * (a call's seed is a pure function of the two). Absent in states without Dropout.
   */
  dropout?: Record<string, { seed: number; draws: number }>;
  status: TrainerStatus;
  stopReason: string | null;
}

export interface TrainerState {
  version: 1;
  /** JSON-safe: `JSON.parse(JSON.stringify(json))` gives an equal object. */
  json: TrainerStateJSON;
  /** Optimizer slot tensors (`optimizer/<weight>/<slot>`) and callback tensors (`callbacks/<i>/<name>`), copied out. */
  tensors: Record<string, SavedTensor>;
}

/**
 * What `createTrainer(net, { resume })` accepts: a TrainerState, or anything carrying one (a
 * checkpoint, whose state was read from a file and so is typed loosely: `parseResume` checks it).
 */
export type ResumeSource =
  | TrainerState
  | { readonly trainerState?: { version: number; json: unknown; tensors: Record<string, SavedTensor> } };

const PATH = 'createTrainer > resume';

export const optimizerTensorKey = (key: string, slot: string) => `optimizer/${key}/${slot}`;
export const callbackTensorKey = (index: number, name: string) => `callbacks/${index}/${name}`;

export function saveNumber(x: number): SavedNumber {
  return Number.isFinite(x) ? x : (String(x) as SavedNumber);
}

export function loadNumber(x: SavedNumber): number {
  return typeof x === 'number' ? x : Number(x);
}

function bad(message: string): never {
  throw new ReactNNError(
    'state',
    PATH,
    `${message} — pass what trainer.exportState() returned (or a checkpoint with trainer state)`,
  );
}

const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

/**
 * The TrainerState in `source`, checked for form (every field of the right type, every tensor
 * the JSON names present with the size its shape gives), or a ReactNNError saying what is wrong.
 * Whether it fits a given model, data set and options is the trainer's check.
 */
export function parseResume(source: unknown): TrainerState {
  const state = isObject(source) && 'trainerState' in source && !('json' in source) ? source.trainerState : source;
  if (!isObject(state)) bad(`expected a TrainerState (got ${describe(state)})`);
  if (state.version !== 1) bad(`unknown trainer state version ${describe(state.version)} (this version reads 1)`);
  const json = state.json;
  const tensors = state.tensors;
  if (!isObject(json) || json.kind !== 'react-nn.trainer')
    bad(`json is not a react-nn trainer state (got ${describe(json)})`);
  if (!isObject(tensors)) bad(`tensors must be an object of { shape, data } (got ${describe(tensors)})`);
  const j = json as unknown as TrainerStateJSON;
  if (!isObject(j.options) || !Number.isInteger(j.options.seed)) bad('options.seed is missing');
  if (typeof j.loss !== 'string') bad(`loss must be a name (got ${describe(j.loss)})`);
  if (!isCount(j.epoch) || !isCount(j.step)) bad(`epoch and step must be integers ≥ 0 (got ${j.epoch}, ${j.step})`);
  if (!isObject(j.history) || !Array.isArray(j.history.loss) || j.history.loss.length !== j.epoch) {
    bad(`history.loss must hold one value per epoch (${j.epoch})`);
  }
  for (const [k, v] of Object.entries(j.history)) {
    if (
      !Array.isArray(v) ||
      v.some((x) => typeof x !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(x as string))
    )
      bad(`history.${k} must be an array of numbers`);
  }
  const c = j.cursor;
  if (
    !isObject(c) ||
    !isCount(c.offset) ||
    !isCount(c.dataSize) ||
    typeof c.lossSum !== 'number' ||
    c.offset > c.dataSize
  ) {
    bad(`cursor must be { offset, lossSum, dataSize } with offset ≤ dataSize (got ${describe(c)})`);
  }
  if (!isObject(j.optimizer) || !isObject(j.optimizer.config) || !Array.isArray(j.optimizer.params)) {
    bad('optimizer must be { config, params }');
  }
  for (const p of j.optimizer.params) {
    if (
      !isObject(p) ||
      typeof p.key !== 'string' ||
      !isCount(p.step) ||
      !Array.isArray(p.shape) ||
      !p.shape.every(isCount)
    )
      bad(`optimizer.params holds a malformed entry (${describe(p)})`);
    if (!Array.isArray(p.slots)) bad(`optimizer.params[${p.key}].slots must be an array`);
    for (const slot of p.slots) checkTensor(tensors, optimizerTensorKey(p.key, slot), p.shape);
  }
  if (!Array.isArray(j.callbacks)) bad('callbacks must be an array');
  j.callbacks.forEach((cb, i) => {
    if (!isObject(cb) || !Array.isArray(cb.tensors)) bad(`callbacks[${i}] is malformed (${describe(cb)})`);
    for (const name of cb.tensors) checkTensor(tensors, callbackTensorKey(i, name), null);
  });
  if (!isObject(j.engine) || typeof j.engine.requested !== 'string') bad('engine must be { requested, name }');
  if (
    j.dropout !== undefined &&
    (!isObject(j.dropout) ||
      !Object.values(j.dropout).every((d) => isObject(d) && Number.isInteger(d.seed) && isCount(d.draws)))
  ) {
    bad(`dropout must map layer names to { seed, draws } (integers; draws ≥ 0) (got ${describe(j.dropout)})`);
  }
  return { version: 1, json: j, tensors: tensors as Record<string, SavedTensor> };
}

function checkTensor(tensors: Record<string, unknown>, key: string, shape: number[] | null): void {
  const t = tensors[key];
  if (!isObject(t) || !Array.isArray(t.shape) || !(t.data instanceof Float32Array)) {
    bad(`the tensor ${JSON.stringify(key)} is missing or not { shape, data: Float32Array }`);
  }
  const size = (t.shape as number[]).reduce((a, b) => a * b, 1);
  if ((t.data as Float32Array).length !== size)
    bad(`the tensor ${JSON.stringify(key)} has ${(t.data as Float32Array).length} values for shape [${t.shape}]`);
  if (
    shape &&
    (shape.length !== (t.shape as number[]).length || shape.some((d, i) => d !== (t.shape as number[])[i]))
  ) {
    bad(`the tensor ${JSON.stringify(key)} has shape [${t.shape}] but its parameter [${shape}]`);
  }
}

/** The optimizer state in a TrainerState, in the form `Optimizer.importState` takes. */
export function optimizerStates(state: TrainerState): ExportedParamState[] {
  return state.json.optimizer.params.map((p) => ({
    key: p.key,
    step: p.step,
    shape: [...p.shape],
    slots: Object.fromEntries(
      p.slots.map((s) => [s, (state.tensors[optimizerTensorKey(p.key, s)] as SavedTensor).data.slice()]),
    ),
  }));
}

/** A callback's saved part of a TrainerState. */
export function callbackState(state: TrainerState, index: number): CallbackState | null {
  const entry = state.json.callbacks[index];
  if (!entry || entry.state === null) return null;
  const tensors: Record<string, SavedTensor> = {};
  for (const name of entry.tensors) tensors[name] = state.tensors[callbackTensorKey(index, name)] as SavedTensor;
  return { json: entry.state, tensors };
}

/** Copies tensors (a state handed on must not share buffers with the trainer that made it). */
export function copyTensors(tensors: Record<string, SavedTensor>): Record<string, SavedTensor> {
  return Object.fromEntries(
    Object.entries(tensors).map(([k, t]) => [k, { shape: [...t.shape], data: t.data.slice() }]),
  );
}
