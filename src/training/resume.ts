/**
 * Taking a trainer's state out (exportTrainerState) and checking a saved one against the trainer
 * that is to continue it (checkResume) — everything checked before anything is installed, as
 * PyTorch's `load_state_dict` checks every key and shape before it copies.
 */
import * as tf from '@tensorflow/tfjs';
import { ReactNNError } from '../errors';
import { DropoutLayer } from '../layers/tfLayers';
import type { Callback } from './callbacks';
import type { CursorPosition } from './epochCursor';
import type { ExportedParamState, Optimizer, Slot } from './optimizers';
import type { ResolvedOptions, TrainerOptions } from './trainerOptions';
import {
  callbackState,
  callbackTensorKey,
  copyTensors,
  loadNumber,
  optimizerTensorKey,
  type SavedNumber,
  saveNumber,
  type TrainerState,
  type TrainerStateJSON,
} from './trainerState';
import type { TrainerStatus } from './trainerStatus';
import type { SavedTensor } from './weights';

const PATH = 'createTrainer > resume';

export interface StateParts {
  /** The model trained (its Dropout layers' random state is part of the run's). */
  model?: tf.LayersModel | null;
  options: TrainerOptions;
  resolved: ResolvedOptions;
  loss: string;
  optimizer: Optimizer;
  /** The optimizer state from the engine that holds it. */
  params: ExportedParamState[];
  callbacks: Callback[];
  epoch: number;
  step: number;
  history: Record<string, number[]>;
  cursor: CursorPosition;
  dataSize: number;
  engine: TrainerStateJSON['engine'];
  status: TrainerStatus;
  stopReason: string | null;
}

/** A TrainerState from a trainer's parts; every array and tensor copied. */
export async function exportTrainerState(p: StateParts): Promise<TrainerState> {
  const tensors: Record<string, SavedTensor> = {};
  const params = p.params.map((e) => {
    const slots = Object.keys(e.slots) as Slot[];
    for (const slot of slots) {
      tensors[optimizerTensorKey(e.key, slot)] = { shape: [...e.shape], data: (e.slots[slot] as Float32Array).slice() };
    }
    return { key: e.key, step: e.step, shape: [...e.shape], slots };
  });
  const callbacks: TrainerStateJSON['callbacks'] = [];
  for (const [i, cb] of p.callbacks.entries()) {
    const saved = cb.exportState ? await cb.exportState() : null;
    const names = saved ? Object.keys(saved.tensors) : [];
    for (const name of names) tensors[callbackTensorKey(i, name)] = saved?.tensors[name] as SavedTensor;
    callbacks.push({ name: cb.name ?? null, state: saved ? structuredJSON(saved.json) : null, tensors: names });
  }
  const r = p.resolved;
  const json: TrainerStateJSON = {
    kind: 'react-nn.trainer',
    options: {
      batchSize: r.batchSize,
      epochs: r.epochs,
      metrics: [...r.metrics],
      regularization: r.regularization ? { ...r.regularization } : null,
      clipGradNorm: r.clipGradNorm ?? null,
      clipGradValue: r.clipGradValue ?? null,
      seed: r.seed,
      shuffle: r.shuffle,
      validationSplit: p.options.validationSplit ?? null,
    },
    loss: p.loss,
    optimizer: { config: structuredJSON({ ...p.optimizer.config }), params },
    callbacks,
    epoch: p.epoch,
    step: p.step,
    history: Object.fromEntries(Object.entries(p.history).map(([k, v]) => [k, v.map(saveNumber)])),
    cursor: { offset: p.cursor.offset, lossSum: p.cursor.lossSum, dataSize: p.dataSize },
    engine: { ...p.engine },
    ...dropoutState(p.model ?? null),
    status: p.status,
    stopReason: p.stopReason,
  };
  return { version: 1, json, tensors: copyTensors(tensors) };
}

/** Numbers of a history as a trainer keeps them. */
export function loadHistory(saved: Record<string, SavedNumber[]>): { loss: number[] } & Record<string, number[]> {
  const out: Record<string, number[]> = { loss: [] };
  for (const [k, v] of Object.entries(saved)) out[k] = v.map(loadNumber);
  return out as { loss: number[] } & Record<string, number[]>;
}

export interface ResumeTarget {
  model: tf.LayersModel | null;
  dataSize: number;
  loss: string;
  optimizerType: string;
  callbacks: Callback[];
}

/**
 * Checks a parsed state against the trainer that is to continue it — the loss, the optimizer
 * type, the data set's size (the epoch order depends on it), every optimizer slot's weight name
 * and shape in the model, the callbacks — and returns the callbacks' installers. Throws a
 * ReactNNError listing every mismatch; nothing is installed by a check.
 */
export function checkResume(state: TrainerState, t: ResumeTarget): (() => void)[] {
  const j = state.json;
  const problems: string[] = [];
  if (j.loss !== t.loss)
    problems.push(`the run trained with loss ${JSON.stringify(j.loss)}, this trainer has ${JSON.stringify(t.loss)}`);
  if (j.optimizer.config.type !== t.optimizerType) {
    problems.push(
      `the run's optimizer was ${JSON.stringify(j.optimizer.config.type)}, this trainer's is ${JSON.stringify(t.optimizerType)}`,
    );
  }
  if (j.cursor.dataSize !== t.dataSize) {
    problems.push(
      `the run's training set had ${j.cursor.dataSize} rows, this one has ${t.dataSize} (the epoch order depends on it)`,
    );
  }
  if (t.model) {
    const shapes = new Map(t.model.weights.map((w) => [w.originalName, w.shape as number[]]));
    const missing: string[] = [];
    const mismatched: string[] = [];
    for (const p of j.optimizer.params) {
      const shape = shapes.get(p.key);
      if (!shape) missing.push(p.key);
      else if (shape.length !== p.shape.length || shape.some((d, i) => d !== p.shape[i]))
        mismatched.push(`${p.key}: saved [${p.shape}], model [${shape}]`);
    }
    if (missing.length) problems.push(`optimizer state for weights the model does not have: ${missing.join(', ')}`);
    if (mismatched.length) problems.push(`shape mismatches: ${mismatched.join('; ')}`);
  }
  const dropouts = dropoutLayers(t.model);
  const unknownDropout = t.model ? Object.keys(j.dropout ?? {}).filter((name) => !dropouts.has(name)) : [];
  if (unknownDropout.length)
    problems.push(`Dropout state for layers the model does not have: ${unknownDropout.join(', ')}`);
  if (j.callbacks.length !== t.callbacks.length) {
    problems.push(`the run had ${j.callbacks.length} callbacks, this trainer has ${t.callbacks.length}`);
  }
  if (problems.length) {
    throw new ReactNNError(
      'state',
      PATH,
      `the saved trainer state does not fit: ${problems.join('; ')} — resume with the model, data, loss, optimizer type and callbacks it was saved with`,
    );
  }
  const installers: (() => void)[] = [];
  // Every Dropout layer the state names continues the saved run's seed stream (its seed came from
  // that run's <Model seed>, which a model built from the file need not share).
  installers.push(() => {
    for (const [name, saved] of Object.entries(j.dropout ?? {})) {
      const layer = dropouts.get(name) as DropoutLayer;
      layer.seed = saved.seed;
      layer.draws = saved.draws;
    }
  });
  t.callbacks.forEach((cb, i) => {
    const saved = callbackState(state, i);
    if (!saved) return;
    if (!cb.prepareState) {
      throw new ReactNNError(
        'state',
        PATH,
        `callbacks[${i}] (${cb.name ?? 'unnamed'}) cannot take the state saved for it — give the callbacks the run was saved with, in the same order`,
      );
    }
    installers.push(cb.prepareState(saved));
  });
  return installers;
}

/** The seeded Dropout layers of a model, nested models included, by name. */
function dropoutLayers(model: tf.LayersModel | null): Map<string, DropoutLayer> {
  const out = new Map<string, DropoutLayer>();
  const visit = (layers: tf.layers.Layer[]) => {
    for (const layer of layers) {
      if (layer instanceof DropoutLayer && layer.seed !== undefined) out.set(layer.name, layer);
      else if (layer instanceof tf.LayersModel) visit(layer.layers);
    }
  };
  if (model) visit(model.layers);
  return out;
}

/** The `dropout` field of a state: seeds drawn per seeded Dropout layer (none without Dropout). */
function dropoutState(model: tf.LayersModel | null): Pick<TrainerStateJSON, 'dropout'> {
  const layers = dropoutLayers(model);
  if (layers.size === 0) return {};
  return {
    dropout: Object.fromEntries(
      [...layers].map(([name, layer]) => [name, { seed: layer.seed as number, draws: layer.draws }]),
    ),
  };
}

/** A JSON-safe copy (arrays and plain objects of numbers, strings, booleans and null). */
function structuredJSON<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
