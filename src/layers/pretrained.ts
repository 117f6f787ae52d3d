import * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../errors';
import type { ShapeContext } from '../graph/rules';
import type { ParamCount } from '../graph/types';
import type { CommonProps } from './define';
import { defineLayer } from './define';
import { PendingResource } from './pending';
import { prop } from './props';

/**
 * Transfer learning: a saved tfjs LayersModel (URL, in-memory artefacts, an IOHandler or a live
 * model) used as a layer, cut below its old head, frozen or fine-tuned.
 *
 * Loading is asynchronous but analysis and compiling are not, so sources load into a
 * module-level cache of plain data (config, per-layer shapes and weight values — no tensors):
 * the first analysis that meets an unloaded source throws {@link PendingResource}, the Net
 * waits, then commits again and finds it cached. At build the kept part of the model is
 * re-created from its config under this node's names and the saved weights are copied in,
 * so the new layers are owned, carried over edits and disposed like any other layer's.
 */

/** Where a pretrained model comes from. */
export type PretrainedSource = string | tf.io.ModelArtifacts | tf.io.IOHandler | tf.LayersModel;

/** One layer of a loaded model, as `loadPretrained` reports it. */
export interface PretrainedLayerInfo {
  /** The layer's name in the saved model — what `upTo` takes. */
  name: string;
  /** tfjs class, e.g. `Dense`, `Conv2D`, `ReactNNBatchNorm`. */
  className: string;
  /** Output shape without the batch dimension (null when the layer has several outputs). */
  outputShape: number[] | null;
  /** Parameters: trainable ones and the rest (e.g. batch-norm running statistics). */
  params: ParamCount;
}

/** What a loaded source holds, without tensors. */
export interface PretrainedInfo {
  /** Shape of one input example, without the batch dimension. */
  inputShape: number[];
  /** Every layer but the input, in topological order. */
  layers: PretrainedLayerInfo[];
}

interface LayerData extends PretrainedLayerInfo {
  /** Names of the layers whose outputs this one reads. */
  inbound: string[];
  weights: { shape: number[]; values: Float32Array }[];
}

interface Loaded {
  inputShape: number[];
  inputName: string;
  layers: LayerData[];
  /** The functional `getConfig()` of the model (tfjs' camelCase form). */
  config: tf.serialization.ConfigDict;
  /** The same model's Keras-style topology JSON (`model.toJSON`), what `tf.io.ModelArtifacts` holds. */
  topology: tf.io.ModelArtifacts['modelTopology'];
}

type Entry =
  | { status: 'pending'; promise: Promise<Loaded> }
  | { status: 'ready'; loaded: Loaded; promise: Promise<Loaded> }
  | { status: 'error'; error: unknown; promise: Promise<Loaded> };

// Strings by value, objects (artefacts, handlers, models) by identity — so keep `src` stable across renders.
const byUrl = new Map<string, Entry>();
const byObject = new WeakMap<object, Entry>();

function isLayersModel(v: unknown): v is tf.LayersModel {
  return v instanceof tf.LayersModel;
}

function isSource(v: unknown): v is PretrainedSource {
  if (typeof v === 'string') return v.length > 0;
  if (!v || typeof v !== 'object') return false;
  return isLayersModel(v) || typeof (v as tf.io.IOHandler).load === 'function' || 'modelTopology' in v;
}

function describeSource(src: PretrainedSource): string {
  if (typeof src === 'string') return JSON.stringify(src);
  if (isLayersModel(src)) return `tf.LayersModel "${src.name}"`;
  if (typeof (src as tf.io.IOHandler).load === 'function') return 'an IOHandler';
  return 'in-memory model artefacts';
}

function entryOf(src: PretrainedSource): Entry {
  const existing = typeof src === 'string' ? byUrl.get(src) : byObject.get(src as object);
  if (existing) return existing;
  const promise = load(src);
  const entry: Entry = { status: 'pending', promise };
  const set = (e: Entry) => (typeof src === 'string' ? byUrl.set(src, e) : byObject.set(src as object, e));
  set(entry);
  promise.then(
    (loaded) => set({ status: 'ready', loaded, promise }),
    (error) => set({ status: 'error', error, promise }),
  );
  return entry;
}

async function load(src: PretrainedSource): Promise<Loaded> {
  // Let the caller's synchronous analysis finish first; a live model is then read at once.
  await Promise.resolve();
  if (isLayersModel(src)) return extract(src);
  const handler =
    typeof src === 'string' || typeof (src as tf.io.IOHandler).load === 'function'
      ? (src as string | tf.io.IOHandler)
      : tf.io.fromMemory(src as tf.io.ModelArtifacts);
  const model = await tf.loadLayersModel(handler);
  try {
    return await extract(model);
  } finally {
    model.dispose();
  }
}

/** Copies what analysis and build need out of a model: its functional config, shapes and weights. */
async function extract(model: tf.LayersModel): Promise<Loaded> {
  const fn = model instanceof tf.Sequential ? tf.model({ inputs: model.inputs, outputs: model.outputs }) : model;
  if (fn.inputs.length !== 1 || fn.outputs.length !== 1) {
    throw new Error(
      `it has ${fn.inputs.length} inputs and ${fn.outputs.length} outputs; <Pretrained> takes models with one of each`,
    );
  }
  // A JSON round trip detaches the config from the live layers.
  const config = JSON.parse(JSON.stringify(fn.getConfig())) as tf.serialization.ConfigDict;
  const layerConfigs = config.layers as unknown as { name: string; inboundNodes: unknown[][][] }[];
  const inputName = fn.inputLayers[0]?.name as string;
  const layers: LayerData[] = [];
  for (const [i, layer] of fn.layers.entries()) {
    if (layer.name === inputName) continue;
    // tfjs keeps a layer's *kind* of weight (γ, β vs running statistics) in the private
    // _trainableWeights; the public getters also fold in the layer's current freeze.
    const natural = (layer as unknown as { _trainableWeights?: tf.LayerVariable[] })._trainableWeights ?? [];
    const params: ParamCount = { trainable: 0, nonTrainable: 0 };
    const weights: LayerData['weights'] = [];
    for (const w of layer.weights) {
      const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      if (natural.includes(w)) params.trainable += size;
      else params.nonTrainable += size;
      weights.push({ shape: w.shape.map((d) => d ?? 1), values: Float32Array.from(await w.read().data()) });
    }
    let outputShape: number[] | null = null;
    try {
      const s = layer.outputShape;
      if (!Array.isArray(s[0])) outputShape = (s as (number | null)[]).slice(1) as number[];
    } catch {
      // Several inbound nodes with different shapes: not usable as a cut point.
    }
    const inbound = new Set<string>();
    for (const node of layerConfigs[i]?.inboundNodes ?? []) for (const edge of node) inbound.add(edge[0] as string);
    layers.push({
      name: layer.name,
      className: layer.getClassName(),
      outputShape,
      params,
      inbound: [...inbound],
      weights,
    });
  }
  const inputShape = (fn.inputs[0]?.shape ?? []).slice(1) as number[];
  const topology = fn.toJSON(null, false) as tf.io.ModelArtifacts['modelTopology'];
  return { inputShape, inputName, layers, config, topology };
}

/**
 * Starts loading a pretrained source (or returns the cached load) and reports its layers —
 * handy to pick the `upTo` cut, and to preload before rendering.
 * @example const { layers } = await loadPretrained('https://…/model.json'); layers.map((l) => l.name)
 */
export async function loadPretrained(src: PretrainedSource): Promise<PretrainedInfo> {
  if (!isSource(src)) {
    throw new ReactNNError(
      'option',
      'loadPretrained',
      `src must be a URL, tf.io.ModelArtifacts, an IOHandler or a tf.LayersModel (got ${describe(src)})`,
    );
  }
  const loaded = await entryOf(src).promise;
  return {
    inputShape: [...loaded.inputShape],
    layers: loaded.layers.map(({ name, className, outputShape, params }) => ({
      name,
      className,
      outputShape,
      params: { ...params },
    })),
  };
}

/**
 * What a checkpoint stores for a `<Pretrained src>`: the source model's architecture as
 * weightless `tf.io.ModelArtifacts` (`{ modelTopology }`, plain JSON), whatever `src` was.
 *
 * A checkpoint is self-contained rather than holding a reference: an artefacts object, an
 * IOHandler or a live model cannot be written to a file at all, and a URL may move or be
 * republished with other layers, silently changing what the file builds. The weights need no
 * second copy: the kept layers' weights are the model's own (fine-tuned or frozen) and are saved
 * under this node's names with every other weight, then restored over the random ones the
 * weightless artefacts build. The cost is the topology JSON (a few KB for small models).
 * Throws when `src` has not been loaded (a model is only saved once it is built).
 */
export function pretrainedSourceForFile(src: PretrainedSource): tf.io.ModelArtifacts {
  const entry = entryOf(src);
  if (entry.status !== 'ready') throw new Error(`the pretrained model ${describeSource(src)} is not loaded`);
  return { modelTopology: entry.loaded.topology, format: 'layers-model' };
}

/** Forgets a cached source (or every one), so the next use loads it again. */
export function clearPretrainedCache(src?: PretrainedSource): void {
  if (src === undefined) {
    byUrl.clear();
    return;
  }
  if (typeof src === 'string') byUrl.delete(src);
  else byObject.delete(src as object);
}

// ---------------------------------------------------------------------------------------------

/** Props of `<Pretrained>`. */
export interface PretrainedProps extends CommonProps {
  /**
   * The model: a `model.json` URL, `tf.io.ModelArtifacts` (e.g. from `model.save(tf.io.withSaveHandler(…))`),
   * an IOHandler, or a live `tf.LayersModel` (its weights are copied when first used).
   * Objects are cached by identity: keep the same object across renders.
   */
  src: PretrainedSource;
  /**
   * The last layer to keep, by name or by index among the non-input layers (negative counts
   * from the end: −2 drops the old head's last layer). Default: the whole model.
   */
  upTo?: string | number;
}

function loadedOrWait(src: PretrainedSource, ctx: ShapeContext): Loaded {
  const entry = entryOf(src);
  if (entry.status === 'pending') {
    throw new PendingResource(ctx.path, `the pretrained model ${describeSource(src)} to load`, entry.promise);
  }
  if (entry.status === 'error') {
    const e = entry.error as Error;
    return ctx.fail(
      `could not load the pretrained model ${describeSource(src)}: ${e?.message ?? String(e)} — check that src points at a tfjs LayersModel (model.json and its weights)`,
    );
  }
  return entry.loaded;
}

/** The layers kept by `upTo`, in topological order, ending with the cut layer. */
function keptLayers(loaded: Loaded, upTo: string | number | undefined, fail: (m: string) => never): LayerData[] {
  const all = loaded.layers;
  const names = () => {
    const list = all.map((l) => JSON.stringify(l.name));
    return list.length > 12 ? `${list.slice(0, 6).join(', ')}, …, ${list.slice(-5).join(', ')}` : list.join(', ');
  };
  let cut: LayerData | undefined;
  if (upTo === undefined) cut = all.at(-1);
  else if (typeof upTo === 'number') {
    cut = all.at(upTo);
    if (!cut) {
      fail(
        `upTo={${upTo}} is outside the model's ${all.length} layers (indices 0 … ${all.length - 1}, or −1 … −${all.length} from the end)`,
      );
    }
  } else {
    cut = all.find((l) => l.name === upTo);
    if (!cut) fail(`upTo=${JSON.stringify(upTo)} is not a layer of the pretrained model; its layers are ${names()}`);
  }
  const last = cut as LayerData;
  const byName = new Map(all.map((l) => [l.name, l]));
  const keep = new Set<string>();
  const stack = [last.name];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (keep.has(name)) continue;
    keep.add(name);
    for (const src of byName.get(name)?.inbound ?? []) stack.push(src);
  }
  return all.filter((l) => keep.has(l.name));
}

/**
 * A saved tfjs LayersModel as one layer: its layers up to `upTo`, with their trained weights.
 * Put the new head after it; `trainable={false}` freezes the whole base (as
 * `requires_grad_(False)` on a torchvision backbone). Each build copies the saved weights into
 * fresh layers named under this node, so fine-tuned weights survive edits like any layer's.
 * While a source loads the model stays 'building' and builds once it arrives.
 *
 * Input shape: the saved model's input shape.
 * Output shape: the output of the `upTo` layer.
 * @example
 * <Sequential>
 *   <Pretrained src="/models/encoder/model.json" upTo="Sequential/ReLU_1" trainable={false} />
 *   <Linear outFeatures={3} />
 * </Sequential>
 */
export const Pretrained = defineLayer<PretrainedProps>(
  {
    type: 'Pretrained',
    description: 'A saved tfjs model used as a layer',
    props: {
      src: prop.custom<PretrainedSource>(
        'a model.json URL, tf.io.ModelArtifacts, an IOHandler or a tf.LayersModel',
        isSource,
      ),
      upTo: prop
        .custom<string | number>(
          'a layer name or an integer index (negative counts from the end)',
          (v) => (typeof v === 'string' && v.length > 0) || (typeof v === 'number' && Number.isInteger(v)),
        )
        .optional_(),
    },
    outputShape: (p, input, ctx) => {
      const loaded = loadedOrWait(p.src, ctx);
      const expected = loaded.inputShape;
      if (expected.length !== input.length || expected.some((d, i) => d !== null && d !== input[i])) {
        ctx.fail(
          `the pretrained model takes ${describe(expected)} per example but gets ${describe([...input])}${ctx.source ? ` from ${ctx.source.type} (${ctx.source.path})` : ' (the model input)'} — feed it data shaped as it was trained, e.g. inputShape={${describe(expected)}}`,
          'shape',
        );
      }
      const kept = keptLayers(loaded, p.upTo, (m) => ctx.fail(m));
      const cut = kept.at(-1) as LayerData;
      if (!cut.outputShape) ctx.fail(`layer "${cut.name}" has several outputs; choose another upTo`);
      return cut.outputShape as number[];
    },
    params: (p) => {
      const entry = entryOf(p.src);
      if (entry.status !== 'ready') return 0;
      const kept = keptLayers(entry.loaded, p.upTo, (m) => {
        throw new Error(m);
      });
      return kept.reduce(
        (acc, l) => ({
          trainable: acc.trainable + l.params.trainable,
          nonTrainable: acc.nonTrainable + l.params.nonTrainable,
        }),
        { trainable: 0, nonTrainable: 0 },
      );
    },
    build: (p, ctx) => {
      const entry = entryOf(p.src);
      if (entry.status !== 'ready') {
        throw new ReactNNError(
          'state',
          ctx.path,
          'the pretrained model is not loaded yet (analysis should have waited)',
        );
      }
      const { loaded } = entry;
      const kept = keptLayers(loaded, p.upTo, (m) => {
        throw new ReactNNError('prop', ctx.path, m);
      });
      const keep = new Set([loaded.inputName, ...kept.map((l) => l.name)]);
      const rename = (name: string) => ctx.name(name);
      const cut = kept.at(-1) as LayerData;
      // The saved config trimmed to the kept layers and renamed under this node.
      const source = loaded.config as unknown as {
        layers: { name: string; className: string; config: Record<string, unknown>; inboundNodes: unknown[][][] }[];
        inputLayers: unknown[][];
      };
      const config = {
        name: ctx.name(),
        layers: source.layers
          .filter((l) => keep.has(l.name))
          .map((l) => ({
            ...l,
            name: rename(l.name),
            config: { ...l.config, name: rename(l.name) },
            inboundNodes: l.inboundNodes.map((node) =>
              node.map((edge) => [rename(edge[0] as string), ...edge.slice(1)]),
            ),
          })),
        inputLayers: source.inputLayers.map((e) => [rename(e[0] as string), ...e.slice(1)]),
        outputLayers: [[rename(cut.name), 0, 0]],
      };
      const base = tf.LayersModel.fromConfig(
        tf.LayersModel,
        config as unknown as tf.serialization.ConfigDict,
        {},
        true,
      ) as tf.LayersModel;
      tf.tidy(() => {
        for (const l of kept) {
          if (l.weights.length === 0) continue;
          base.getLayer(rename(l.name)).setWeights(l.weights.map((w) => tf.tensor(w.values, w.shape, 'float32')));
        }
      });
      // The prop decides for the whole base, whatever the saved layers said.
      for (const l of base.layers) l.trainable = ctx.trainable;
      base.trainable = ctx.trainable;
      return (x) => base.apply(x) as tf.SymbolicTensor;
    },
  },
  { builtin: true },
);
