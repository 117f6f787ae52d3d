/**
 * Moving weights between a tf.LayersModel (the public model) and a fused engine's flat
 * parameter buffer, by `LayerVariable.originalName` — the same key carry-over uses.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelSpec } from './plan';

function variablesByName(model: tf.LayersModel): Map<string, tf.LayerVariable> {
  const out = new Map<string, tf.LayerVariable>();
  for (const w of model.weights) out.set(w.originalName, w);
  return out;
}

/** Reads every planned weight of `model` into one flat buffer (asynchronously: no GPU stall). */
export async function readParams(model: tf.LayersModel, spec: KernelSpec): Promise<Float32Array> {
  const vars = variablesByName(model);
  const flat = new Float32Array(spec.totalParams);
  const values = await Promise.all(
    spec.params.map((p) => {
      const v = vars.get(p.name);
      if (!v) throw new Error(`the model has no weight ${p.name}`);
      return v.read().data();
    }),
  );
  spec.params.forEach((p, i) => {
    flat.set(values[i] as ArrayLike<number> as Float32Array, p.offset);
  });
  return flat;
}

/** Reads every planned weight synchronously (CPU backend, or where a stall is acceptable). */
export function readParamsSync(model: tf.LayersModel, spec: KernelSpec): Float32Array {
  const vars = variablesByName(model);
  const flat = new Float32Array(spec.totalParams);
  for (const p of spec.params) {
    const v = vars.get(p.name);
    if (!v) throw new Error(`the model has no weight ${p.name}`);
    flat.set(v.read().dataSync() as Float32Array, p.offset);
  }
  return flat;
}

/**
 * Writes a flat buffer into the model's weights. With `only`, writes just those names (after a
 * live edit during a chunk: the weights the edit kept). Weights whose shape differs are skipped.
 * Returns how many were written.
 */
export function writeParams(
  model: tf.LayersModel,
  spec: KernelSpec,
  flat: Float32Array,
  only?: ReadonlySet<string>,
): number {
  const vars = variablesByName(model);
  let written = 0;
  for (const p of spec.params) {
    if (only && !only.has(p.name)) continue;
    const v = vars.get(p.name);
    if (!v || v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i])) continue;
    // tf.tensor keeps the array it is given: pass a copy, never a view of the engine's buffer.
    const t = tf.tensor(flat.slice(p.offset, p.offset + p.size), p.shape, 'float32');
    v.write(t);
    t.dispose();
    written++;
  }
  return written;
}

/**
 * The identity of each planned weight's current value. tfjs gives a variable a new `dataId` on
 * every write, so comparing these tells whether anyone (early stopping restoring the best
 * weights, a user's setWeights) wrote the model since the engine last synced it.
 */
export function valueIds(model: tf.LayersModel, spec: KernelSpec): Map<string, unknown> {
  const vars = variablesByName(model);
  const out = new Map<string, unknown>();
  for (const p of spec.params) out.set(p.name, vars.get(p.name)?.read().dataId);
  return out;
}

/** Whether any planned weight was written since `ids` were taken. */
export function writtenSince(model: tf.LayersModel, spec: KernelSpec, ids: Map<string, unknown>): boolean {
  const vars = variablesByName(model);
  return spec.params.some((p) => vars.get(p.name)?.read().dataId !== ids.get(p.name));
}
