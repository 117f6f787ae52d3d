/**
 * `model.json`, the architecture part of a checkpoint: the node tree as the reconciler commits it
 * (layer types, the props the user wrote, keys, children), the input shape, the react-nn version
 * and the format version. Pure data both ways; reading checks every field and that every layer
 * type is registered, so nothing is built from a file that cannot be.
 */
import { describe, ReactNNError } from '../errors';
import { joinPath, nthOfTypeIndices, segmentLabel } from '../graph/path';
import type { AnalyzedGraph, AnalyzedNode, GraphNode } from '../graph/types';
import { getLayer } from '../layers/define';
import { type PretrainedSource, pretrainedSourceForFile } from '../layers/pretrained';

/** The react-nn release that writes these files (checked against package.json by a test). */
export const REACT_NN_VERSION = '0.1.0';
/** The checkpoint format this release writes and reads. */
export const FORMAT_VERSION = 1;
/** What `model.json`'s `format` field says, to tell a react-nn file from any other JSON. */
export const FORMAT_NAME = 'react-nn.checkpoint';

/** A JSON value, as props are stored. */
export type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };

/** A layer as stored: `{ type: 'Linear', props: { outFeatures: 8 } }`. */
export interface SavedNode {
  type: string;
  props: Record<string, JSONValue>;
  key?: string;
  children?: SavedNode[];
}

/** Facts about a checkpoint that do not change what is built. */
export interface CheckpointMeta {
  /** When it was saved (ISO 8601). */
  savedAt: string;
  /** The react-nn version that saved it. */
  reactNN: string;
  formatVersion: number;
  totalParams: number;
  trainableParams: number;
  /** True when the file holds a trainer's state (`trainer.json` + `optimizer.safetensors`). */
  hasTrainerState: boolean;
  /**
   * Props that could not be written because they are functions (custom initialisers), as
   * `path > prop`. The weights they made are in the file; only re-initialising would differ.
   */
  omittedProps: string[];
}

/** The whole `model.json`. */
export interface ModelJSON {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  reactNN: string;
  inputShape: number[];
  tree: SavedNode;
  meta: CheckpointMeta;
}

const INIT_PROPS = new Set(['weightInit', 'biasInit', 'recurrentInit']);

/** Builds `model.json` from an analysed graph. Throws a ReactNNError naming the layer and prop that cannot be stored. */
export function describeModel(graph: AnalyzedGraph, hasTrainerState: boolean, api: string): ModelJSON {
  const omittedProps: string[] = [];
  const save = (n: AnalyzedNode): SavedNode => {
    const props: Record<string, JSONValue> = {};
    for (const [k, v] of Object.entries(n.node.props)) {
      if (v === undefined) continue;
      if (typeof v === 'function' && INIT_PROPS.has(k)) {
        omittedProps.push(`${n.path} > ${k}`);
        continue;
      }
      props[k] = toJSONValue(fileValue(n.node.type, k, v), `${n.path} > ${k}`, api);
    }
    const out: SavedNode = { type: n.node.type, props };
    if (n.node.key != null) out.key = n.node.key;
    if (n.children.length > 0) out.children = n.children.map(save);
    return out;
  };
  const tree = save(graph.root);
  return {
    format: FORMAT_NAME,
    formatVersion: FORMAT_VERSION,
    reactNN: REACT_NN_VERSION,
    inputShape: [...graph.inputShape],
    tree,
    meta: {
      savedAt: new Date().toISOString(),
      reactNN: REACT_NN_VERSION,
      formatVersion: FORMAT_VERSION,
      totalParams: graph.totalParams,
      trainableParams: graph.trainableParams,
      hasTrainerState,
      omittedProps,
    },
  };
}

/** A prop as the file stores it: `<Pretrained src>` becomes the source's architecture (see pretrainedSourceForFile). */
function fileValue(type: string, prop: string, v: unknown): unknown {
  if (type === 'Pretrained' && prop === 'src') return pretrainedSourceForFile(v as PretrainedSource);
  return v;
}

function toJSONValue(v: unknown, where: string, api: string): JSONValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
  } else if (Array.isArray(v)) {
    return v.map((x, i) => toJSONValue(x, `${where}[${i}]`, api));
  } else if (isPlainObject(v)) {
    const out: Record<string, JSONValue> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJSONValue(x, `${where}.${k}`, api);
    return out;
  }
  throw new ReactNNError(
    'option',
    api,
    `${where} is ${describe(v)}, which a checkpoint cannot store (props must be numbers, strings, booleans, arrays or plain objects) — use a plain value for it, or save the weights alone with readNetWeights`,
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Parses and checks `model.json`; every layer type must be registered. */
export function parseModel(bytes: Uint8Array, api: string): ModelJSON {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ReactNNError(
      'data',
      api,
      `model.json is not valid JSON (${(e as Error).message}) — the file is corrupted`,
      {
        cause: e,
      },
    );
  }
  const bad = (what: string): never => {
    throw new ReactNNError('data', api, `model.json ${what} — the file is corrupted or was not written by react-nn`);
  };
  if (!isPlainObject(raw)) return bad('is not an object');
  if (raw.format !== FORMAT_NAME) return bad(`has format ${describe(raw.format)}, not "${FORMAT_NAME}"`);
  if (raw.formatVersion !== FORMAT_VERSION) {
    throw new ReactNNError(
      'data',
      api,
      `the checkpoint has format version ${describe(raw.formatVersion)} (saved by react-nn ${describe(raw.reactNN)}); this react-nn (${REACT_NN_VERSION}) reads version ${FORMAT_VERSION} — load it with the react-nn that saved it, or upgrade`,
    );
  }
  if (!isInputShape(raw.inputShape)) {
    return bad(`has inputShape ${describe(raw.inputShape)}; expected a non-empty list of positive integers`);
  }
  const meta = raw.meta;
  if (!isPlainObject(meta)) return bad('has no meta object');
  checkTree(raw.tree, api);
  return raw as unknown as ModelJSON;
}

/** A shape of one example: a non-empty list of positive integers. */
export function isInputShape(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((d) => Number.isInteger(d) && d > 0);
}

/**
 * Checks that `tree` is a stored node tree ({ type, props, key?, children? } all the way down)
 * whose every layer type is registered; throws a ReactNNError naming the first problem.
 */
export function checkTree(tree: unknown, api: string): asserts tree is SavedNode {
  checkNode(tree, '', -1, api);
}

function checkNode(n: unknown, parentPath: string, nth: number, api: string): void {
  if (!isPlainObject(n) || typeof n.type !== 'string' || !isPlainObject(n.props)) {
    throw new ReactNNError(
      'data',
      api,
      `the stored architecture has a layer that is not { type, props } under "${parentPath || 'the root'}"`,
    );
  }
  if (n.key !== undefined && typeof n.key !== 'string') {
    throw new ReactNNError(
      'data',
      api,
      `the stored architecture has a non-string key under "${parentPath || 'the root'}"`,
    );
  }
  const node = n as unknown as SavedNode;
  const label =
    nth < 0 && node.key === undefined && !node.props.name ? node.type : segmentLabel(toGraphNode(node, false), nth);
  const path = joinPath(parentPath, label);
  if (!getLayer(node.type)) {
    throw new ReactNNError(
      'structure',
      path,
      `the saved architecture uses the layer type "${node.type}", which is not registered — import the module that calls defineLayer({ type: '${node.type}', … }) before loading it`,
    );
  }
  const children = n.children;
  if (children === undefined) return;
  if (!Array.isArray(children))
    throw new ReactNNError('data', api, `the stored architecture: children of ${path} is not a list`);
  const indices = nthOfTypeIndices(
    children.map((c) =>
      isPlainObject(c) ? toGraphNode(c as unknown as SavedNode, false) : ({ type: '' } as GraphNode),
    ),
  );
  children.forEach((c, i) => {
    checkNode(c, path, indices[i] as number, api);
  });
}

/** The stored tree as the node tree the runtime compiles. */
export function toGraphNode(n: SavedNode, deep = true): GraphNode {
  return {
    type: n.type,
    props: n.props,
    key: n.key ?? null,
    children: deep ? (n.children ?? []).map((c) => toGraphNode(c)) : [],
  };
}
