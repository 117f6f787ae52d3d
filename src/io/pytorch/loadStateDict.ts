import * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../../errors';
import { decodeSafetensors, type SafeTensor } from '../safetensors';
import { fromTorch, torchLayout } from './names';
import { type ExportSource, resolveSource } from './source';
import { weightsByName } from './stateDict';

const PATH = 'loadStateDict';

export interface LoadStateDictOptions {
  /**
   * As PyTorch's `load_state_dict(strict=)`: true (default) refuses a file whose keys differ from the
   * model's; false loads every key that matches and reports the rest. Shape mismatches are refused either way.
   */
  strict?: boolean;
}

/** What a load did, as `load_state_dict`'s result: the keys loaded, and those that did not match. */
export interface StateDictLoadReport {
  loadedKeys: string[];
  /** Keys the model has and the file lacks (left as they were). */
  missingKeys: string[];
  /** Keys the file has and the model lacks (ignored). */
  unexpectedKeys: string[];
}

/** Where a state_dict comes from: bytes, a Blob (a file input), or a URL (browser) / path or URL (Node). */
export type StateDictSource = Uint8Array | ArrayBuffer | Blob | string;

async function readSource(source: StateDictSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  if (typeof source === 'string' && source !== '') {
    const isUrl = /^(https?|blob|data):/.test(source) || typeof document !== 'undefined';
    try {
      if (isUrl) {
        const response = await fetch(source);
        if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
        return new Uint8Array(await response.arrayBuffer());
      }
      const fs = await import(/* @vite-ignore */ 'node:fs/promises');
      return new Uint8Array(await fs.readFile(source));
    } catch (e) {
      throw new ReactNNError('data', PATH, `could not read ${JSON.stringify(source)}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
  throw new ReactNNError(
    'option',
    PATH,
    `expected the bytes of a .safetensors file (Uint8Array, ArrayBuffer, Blob) or its URL/path (got ${describe(source)})`,
  );
}

function asFloat32(t: SafeTensor): Float32Array | null {
  if (t.dtype === 'F32') return t.data;
  if (t.dtype === 'F64') return Float32Array.from(t.data);
  return null;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
const list = (keys: string[]) => keys.map((k) => JSON.stringify(k)).join(', ');

/**
 * Loads a PyTorch `state_dict` (saved with `safetensors.torch.save_file(model.state_dict(), …)`) into a
 * react-nn model, by the names {@link exportPyTorch} writes: `nn.Sequential` indices, or a layer's
 * `name` prop. Layouts are converted (Linear and Conv2d kernels transposed; the Linear after a conv
 * Flatten permuted from NCHW to NHWC order). Like `torch.nn.Module.load_state_dict`, every key and
 * shape is checked before anything is copied: on error, a ReactNNError lists the missing and
 * unexpected keys and the shape mismatches, and the model is left as it was.
 * Load while no training chunk runs (a paused or finished trainer): the fused engines notice weights
 * written between chunks and train on from them, but a chunk in flight writes its own result back.
 *
 * @example
 * const report = await loadStateDict(net, await file.arrayBuffer(), { strict: false });
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.load_state_dict
 */
export async function loadStateDict(
  target: ExportSource,
  source: StateDictSource,
  options: LoadStateDictOptions = {},
): Promise<StateDictLoadReport> {
  if (options === null || typeof options !== 'object') {
    throw new ReactNNError(
      'option',
      PATH,
      `options must be an object such as { strict: false } (got ${describe(options)})`,
    );
  }
  const strict = options.strict ?? true;
  if (typeof strict !== 'boolean')
    throw new ReactNNError('option', PATH, `strict must be true or false (got ${describe(strict)})`);
  resolveSource(target, PATH);
  const bytes = await readSource(source);
  const file = decodeSafetensors(bytes).tensors;
  // Resolved after the (async) read, so the weights written are those of the model built now.
  const { graph, model } = resolveSource(target, PATH);
  const layout = torchLayout(graph, model);
  const weights = weightsByName(model);

  const missing: string[] = [];
  const mismatched: string[] = [];
  const writes: { variable: tf.LayerVariable; values: Float32Array }[] = [];
  const loaded: string[] = [];
  const expected = new Set<string>();
  for (const t of layout.tensors) {
    expected.add(t.key);
    const got = file[t.key];
    if (!got) {
      missing.push(t.key);
      continue;
    }
    if (!sameShape(got.shape, t.shape)) {
      mismatched.push(
        `size mismatch for ${t.key}: the file has shape [${got.shape.join(', ')}], the model's ${t.path} needs [${t.shape.join(', ')}]`,
      );
      continue;
    }
    if (t.tfName === null) {
      // num_batches_tracked: react-nn keeps no batch count; accepted so that PyTorch files load as they are.
      loaded.push(t.key);
      continue;
    }
    const values = asFloat32(got);
    const variable = weights.get(t.tfName);
    if (!values || !variable) {
      mismatched.push(`dtype mismatch for ${t.key}: the file has ${got.dtype}, the model's ${t.path} needs F32`);
      continue;
    }
    writes.push({ variable, values: fromTorch(t.layout, values) });
    loaded.push(t.key);
  }
  const unexpected = Object.keys(file).filter((k) => !expected.has(k));
  const problems = [
    ...(strict && missing.length ? [`missing key(s) in the file: ${list(missing)}`] : []),
    ...(strict && unexpected.length ? [`unexpected key(s) in the file: ${list(unexpected)}`] : []),
    ...mismatched,
  ];
  if (problems.length > 0) {
    const modelKeys = layout.tensors.map((t) => t.key);
    throw new ReactNNError(
      'data',
      PATH,
      `error(s) in loading the state_dict, nothing was loaded: ${problems.join('; ')}. The model's keys are ${list(modelKeys.slice(0, 12))}${modelKeys.length > 12 ? ', …' : ''}` +
        ` — load the state_dict of the same architecture (children numbered as in nn.Sequential, or named by their name props)${strict && !mismatched.length ? ', or pass { strict: false } to load the keys that match' : ''}.`,
    );
  }
  for (const { variable, values } of writes) {
    tf.tidy(() => {
      variable.write(tf.tensor(values, variable.shape as number[], 'float32'));
    });
  }
  return { loadedKeys: loaded, missingKeys: missing, unexpectedKeys: unexpected };
}
