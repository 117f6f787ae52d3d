import * as tf from '@tensorflow/tfjs';

/** A copy of a model's weights by stable name (`LayerVariable.originalName`), owned by the holder. */
export type WeightSnapshot = Map<string, tf.Tensor>;

/** Clones every weight (trainable or not, so BatchNorm statistics come back too). */
export function snapshotWeights(model: tf.LayersModel): WeightSnapshot {
  const out: WeightSnapshot = new Map();
  for (const w of model.weights) out.set(w.originalName, tf.clone(w.read()));
  return out;
}

/**
 * Writes a snapshot back into a model — which may have been rebuilt since: only weights
 * whose name and shape still match are restored. Returns how many were.
 */
export function restoreWeights(model: tf.LayersModel, snapshot: WeightSnapshot): number {
  let restored = 0;
  for (const w of model.weights) {
    const saved = snapshot.get(w.originalName);
    if (!saved || saved.shape.length !== w.shape.length || saved.shape.some((d, i) => d !== w.shape[i])) continue;
    // Assigning shares the saved data (tfjs counts references), so the snapshot stays reusable.
    w.write(saved);
    restored++;
  }
  return restored;
}

/** A tensor copied out to plain data (float32), for saving. */
export interface SavedTensor {
  shape: number[];
  data: Float32Array;
}

/** Copies a snapshot out (async: a WebGPU read is), keyed by weight name. */
export async function saveSnapshot(snapshot: WeightSnapshot): Promise<Record<string, SavedTensor>> {
  const out: Record<string, SavedTensor> = {};
  for (const [name, t] of snapshot) out[name] = { shape: [...t.shape], data: Float32Array.from(await t.data()) };
  return out;
}

/** A snapshot made from saved tensors (new tensors the caller owns). */
export function loadSnapshot(saved: Record<string, SavedTensor>): WeightSnapshot {
  const out: WeightSnapshot = new Map();
  for (const [name, s] of Object.entries(saved)) out.set(name, tf.tensor(s.data.slice(), s.shape, 'float32'));
  return out;
}

export function disposeSnapshot(snapshot: WeightSnapshot | null | undefined): void {
  if (!snapshot) return;
  for (const t of snapshot.values()) t.dispose();
  snapshot.clear();
}
