/**
 * Writing saved weights into a live model, as PyTorch's `load_state_dict` does: every name and
 * shape is checked before anything is written, so a refused load leaves the model exactly as it
 * was; `strict: false` loads what matches and reports the rest.
 */
import * as tf from '@tensorflow/tfjs';
import { ReactNNError } from '../errors';
import type { Net } from '../runtime/net';
import { readNetWeights } from './netWeights';

/** Saved weights by checkpoint name (see `readNetWeights`). */
export type SavedWeights = ReadonlyMap<string, { readonly shape: readonly number[]; readonly data: Float32Array }>;

/** What a load wrote and what it could not, like PyTorch's `missing_keys` / `unexpected_keys`. */
export interface LoadReport {
  /** Weights written. */
  loaded: string[];
  /** Weights of the model that the checkpoint does not have (they keep their values). */
  missing: string[];
  /** Weights in the checkpoint that the model does not have. */
  unexpected: string[];
  /** Names in both, with different shapes (the model's weight keeps its value). */
  mismatched: { name: string; saved: number[]; model: number[] }[];
}

export interface LoadWeightsOptions {
  /** Default true: any missing, unexpected or mismatched name refuses the whole load. */
  strict?: boolean;
}

/**
 * Writes `weights` into the net's current model. Strict (the default): throws a ReactNNError that
 * lists missing, unexpected and shape-mismatched names, having written nothing. Non-strict: writes
 * every weight whose name and shape match and returns the report.
 */
export function loadWeights(
  net: Net,
  weights: SavedWeights,
  options: LoadWeightsOptions = {},
  api = 'loadWeights',
): LoadReport {
  const live = readNetWeights(net, api);
  const report: LoadReport = { loaded: [], missing: [], unexpected: [], mismatched: [] };
  const plan: { variable: tf.LayerVariable; shape: readonly number[]; data: Float32Array }[] = [];
  const names = new Set<string>();
  for (const w of live) {
    names.add(w.name);
    const saved = weights.get(w.name);
    if (!saved) report.missing.push(w.name);
    else if (!sameShape(saved.shape, w.shape))
      report.mismatched.push({ name: w.name, saved: [...saved.shape], model: [...w.shape] });
    else {
      report.loaded.push(w.name);
      plan.push({ variable: w.variable, shape: saved.shape, data: saved.data });
    }
  }
  for (const name of weights.keys()) if (!names.has(name)) report.unexpected.push(name);
  const refused = report.missing.length + report.unexpected.length + report.mismatched.length > 0;
  if (refused && (options.strict ?? true)) {
    throw new ReactNNError(
      'shape',
      api,
      `${describeReport(report)} — nothing was loaded. Load into the architecture the checkpoint was saved from (checkpoint.element), or pass { strict: false } to load the weights that match`,
    );
  }
  for (const { variable, shape, data } of plan) {
    const t = tf.tensor(data, [...shape], 'float32');
    // The variable takes its own reference to the data; ours can go.
    variable.write(t);
    t.dispose();
  }
  return report;
}

const LIST = 8;

function list(names: string[]): string {
  const shown = names
    .slice(0, LIST)
    .map((n) => `"${n}"`)
    .join(', ');
  return names.length > LIST ? `${shown} and ${names.length - LIST} more` : shown;
}

/** A one-paragraph account of what did not match. */
export function describeReport(r: LoadReport): string {
  const parts: string[] = [];
  if (r.missing.length) parts.push(`missing from the checkpoint: ${list(r.missing)}`);
  if (r.unexpected.length) parts.push(`not in the model: ${list(r.unexpected)}`);
  if (r.mismatched.length) {
    const shown = r.mismatched
      .slice(0, LIST)
      .map((m) => `"${m.name}" is [${m.saved.join(', ')}] in the checkpoint but [${m.model.join(', ')}] in the model`);
    if (r.mismatched.length > LIST) shown.push(`and ${r.mismatched.length - LIST} more`);
    parts.push(`shape mismatches: ${shown.join('; ')}`);
  }
  return parts.length ? `the checkpoint does not fit this model — ${parts.join('; ')}` : 'every weight matches';
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Calls `apply` once, as soon as the net has a model (at once when it has one already) — how
 * `<Model checkpoint>` and share links put saved weights into the first model built. A throw from
 * `apply` becomes the net's error; the model keeps running. Returns the unsubscribe function.
 */
export function whenBuilt(net: Net, apply: () => void): () => void {
  let done = false;
  const run = () => {
    if (done || !net.getSnapshot().model) return;
    done = true;
    try {
      apply();
    } catch (e) {
      net.reportError(e);
    }
  };
  const unsubscribe = net.subscribe(run);
  run();
  return unsubscribe;
}
