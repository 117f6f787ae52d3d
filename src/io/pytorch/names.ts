/**
 * The one mapping between a react-nn model and a PyTorch `state_dict`, read by export and import
 * alike: which key each weight has, its PyTorch shape, and how its values are laid out on each side.
 *
 * Keys: a container's children are numbered as in `nn.Sequential` (activations count), and a layer
 * with a `name` prop uses that name instead — `<LSTM name="lstm">` → `lstm.weight_ih_l0`. The root
 * Sequential is the model itself, so its children's keys have no prefix (`0.weight`, `2.bias`); any
 * other root layer is the model's only child (`0.weight_ih_l0`).
 *
 * Layouts: tfjs keeps Linear kernels `[in, out]` and Conv2d kernels `[kh, kw, in, out]`; PyTorch
 * `[out, in]` and `[out, in, kh, kw]`. Images are NHWC here and NCHW there, so a `Flatten` of a
 * feature map orders its features differently; the layers that read those features by position
 * (the next Linear, a BatchNorm1d or a per-feature PReLU) get their columns permuted, so that
 * PyTorch's own `nn.Flatten` gives the same results.
 */
import { ReactNNError } from '../../errors';
import type { AnalyzedGraph, AnalyzedNode, Shape } from '../../graph/types';
import { getLayer } from '../../layers/define';

/** How one tensor's values are arranged in tfjs compared with PyTorch. */
export type Layout =
  /** Same shape, same order (biases, recurrent weights, embeddings). */
  | { kind: 'same' }
  /** Linear: tfjs `[in, out]`, PyTorch `[out, in]`; `order` maps PyTorch input features to tfjs ones. */
  | { kind: 'linear'; inFeatures: number; outFeatures: number; order: Int32Array | null }
  /** Conv2d: tfjs `[kh, kw, in, out]`, PyTorch `[out, in, kh, kw]`. */
  | { kind: 'conv'; kh: number; kw: number; inC: number; outC: number }
  /** A per-feature vector read in a flattened feature map's order. */
  | { kind: 'vector'; order: Int32Array };

/** One entry of the `state_dict`. */
export interface TorchTensor {
  /** The PyTorch key: `0.weight`, `features.3.running_mean`, `lstm.bias_hh_l1_reverse`. */
  readonly key: string;
  /** The layer's path, for messages: `Sequential > Linear[0]`. */
  readonly path: string;
  /** The tfjs weight's full name (`LayerVariable.originalName`), or null for a buffer react-nn does not keep. */
  readonly tfName: string | null;
  readonly shape: readonly number[];
  readonly dtype: 'F32' | 'I64';
  readonly layout: Layout;
}

/** A node of the tree as PyTorch sees it: its attribute name in its parent and its key prefix. */
export interface TorchModule {
  readonly node: AnalyzedNode;
  /** Its attribute in the parent module: the child index (`'0'`) or its `name` prop; '' for the root. */
  readonly attr: string;
  /** Dotted prefix of its keys (`'3'`, `'encoder.1'`); '' for the root. */
  readonly prefix: string;
  readonly children: readonly TorchModule[];
  /** The model itself around a root that is not a Sequential (which becomes its child `0`, as in model.py). */
  readonly wrapper?: boolean;
}

export interface TorchLayout {
  readonly root: TorchModule;
  readonly tensors: readonly TorchTensor[];
}

/** Layers that act on each feature alone: a flattened feature map's order passes through them unchanged. */
const ORDER_PRESERVING = new Set([
  'ReLU',
  'Sigmoid',
  'Tanh',
  'BentIdentity',
  'LeakyReLU',
  'ELU',
  'GELU',
  'Identity',
  'Dropout',
  'Softmax',
  'PReLU',
  'BatchNorm1d',
]);

/** The attribute a child gets in its parent: its `name` prop, or its index. */
function attrOf(node: AnalyzedNode, index: number): string {
  const name = node.props.name;
  if (typeof name !== 'string') return String(index);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new ReactNNError(
      'prop',
      node.path,
      `name ${JSON.stringify(name)} cannot be a PyTorch attribute (state_dict keys are dotted attribute names) — use letters, digits and _ only, e.g. name="encoder"`,
    );
  }
  return name;
}

/**
 * For a flattened NHWC map `[h, w, c]`: for each PyTorch (NCHW) feature index, the tfjs (NHWC) one.
 * One function serves both directions of every permuted tensor.
 */
export function nchwToNhwcOrder(h: number, w: number, c: number): Int32Array {
  const order = new Int32Array(h * w * c);
  for (let ci = 0; ci < c; ci++)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) order[(ci * h + y) * w + x] = (y * w + x) * c + ci;
  return order;
}

function isIdentity(order: Int32Array | null): boolean {
  return !order || order.every((v, i) => v === i);
}

const F32 = 'F32' as const;

/** The tensors of one node (children excluded), given the feature order its input arrives in. */
function tensorsOf(n: AnalyzedNode, prefix: string, order: Int32Array | null): TorchTensor[] {
  const p = n.props as Record<string, unknown>;
  const key = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const tf = (name: string) => `${n.id}/${name}`;
  const same: Layout = { kind: 'same' };
  const vector: Layout = order && !isIdentity(order) ? { kind: 'vector', order } : same;
  const t = (name: string, tfName: string | null, shape: number[], layout: Layout = same): TorchTensor => ({
    key: key(name),
    path: n.path,
    tfName: tfName && tf(tfName),
    shape,
    dtype: F32,
    layout,
  });
  const inShape = n.inputShape;
  const last = inShape[inShape.length - 1] as number;
  switch (n.node.type) {
    case 'Linear': {
      const out = p.outFeatures as number;
      const layout: Layout = {
        kind: 'linear',
        inFeatures: last,
        outFeatures: out,
        order: order && !isIdentity(order) ? order : null,
      };
      return [t('weight', 'kernel', [out, last], layout), ...(p.bias ? [t('bias', 'bias', [out])] : [])];
    }
    case 'Conv2d': {
      const out = p.outChannels as number;
      const [kh, kw] = pairOf(p.kernelSize);
      const layout: Layout = { kind: 'conv', kh, kw, inC: last, outC: out };
      return [t('weight', 'kernel', [out, last, kh, kw], layout), ...(p.bias ? [t('bias', 'bias', [out])] : [])];
    }
    case 'BatchNorm1d':
    case 'BatchNorm2d': {
      const v = n.node.type === 'BatchNorm1d' ? vector : same;
      return [
        ...(p.affine ? [t('weight', 'gamma', [last], v), t('bias', 'beta', [last], v)] : []),
        t('running_mean', 'moving_mean', [last], v),
        t('running_var', 'moving_variance', [last], v),
        { key: key('num_batches_tracked'), path: n.path, tfName: null, shape: [], dtype: 'I64', layout: same },
      ];
    }
    case 'PReLU': {
      const count = p.numParameters as number;
      return [t('weight', 'alpha', [count], count > 1 ? vector : same)];
    }
    case 'Embedding':
      return [t('weight', 'embeddings', [p.numEmbeddings as number, p.embeddingDim as number])];
    case 'RNN':
    case 'LSTM':
    case 'GRU': {
      const gates = n.node.type === 'LSTM' ? 4 : n.node.type === 'GRU' ? 3 : 1;
      const H = p.hiddenSize as number;
      const dirs = p.bidirectional ? 2 : 1;
      const out: TorchTensor[] = [];
      for (let l = 0; l < (p.numLayers as number); l++) {
        const inSize = l === 0 ? last : H * dirs;
        for (let d = 0; d < dirs; d++) {
          const s = `_l${l}${d === 1 ? '_reverse' : ''}`;
          out.push(t(`weight_ih${s}`, `weight_ih${s}`, [gates * H, inSize]));
          out.push(t(`weight_hh${s}`, `weight_hh${s}`, [gates * H, H]));
          if (p.bias) {
            out.push(t(`bias_ih${s}`, `bias_ih${s}`, [gates * H]));
            out.push(t(`bias_hh${s}`, `bias_hh${s}`, [gates * H]));
          }
        }
      }
      return out;
    }
    case 'Pretrained':
      throw new ReactNNError(
        'structure',
        n.path,
        '<Pretrained> wraps a tfjs model whose layers have no PyTorch names — export its architecture as JSX layers instead, or export the base model with tfjs tools',
      );
    default:
      return [];
  }
}

function pairOf(v: unknown): [number, number] {
  return Array.isArray(v) ? [v[0] as number, v[1] as number] : [v as number, v as number];
}

/**
 * Walks the analysed tree once: PyTorch key prefixes for every node, every tensor of the
 * `state_dict` with its layout, and the feature order flowing through flattened feature maps.
 * Custom (`defineLayer`) layers' own weights keep their tfjs names under the layer's prefix.
 */
export function torchLayout(
  graph: AnalyzedGraph,
  model?: { weights: readonly { originalName: string; shape: readonly (number | null)[] }[] },
): TorchLayout {
  const tensors: TorchTensor[] = [];
  const visit = (
    n: AnalyzedNode,
    attr: string,
    prefix: string,
    order: Int32Array | null,
  ): { module: TorchModule; order: Int32Array | null } => {
    const builtin = getLayer(n.node.type)?.builtin ?? false;
    if (builtin) tensors.push(...tensorsOf(n, prefix, order));
    else if (model) {
      // A custom layer: its weights under its prefix, by their tfjs names (the stub in model.py says so).
      for (const w of model.weights) {
        if (!w.originalName.startsWith(`${n.id}/`)) continue;
        const name = w.originalName.slice(n.id.length + 1).replace(/[^A-Za-z0-9_]/g, '_');
        tensors.push({
          key: prefix ? `${prefix}.${name}` : name,
          path: n.path,
          tfName: w.originalName,
          shape: w.shape.map((d) => d ?? 0),
          dtype: F32,
          layout: { kind: 'same' },
        });
      }
    }
    const children: TorchModule[] = [];
    let out: Int32Array | null = null;
    const childPrefix = (a: string) => (prefix ? `${prefix}.${a}` : a);
    const type = n.node.type;
    if (type === 'Sequential' || type === 'Residual' || type === 'TimeDistributed') {
      let o = type === 'TimeDistributed' ? null : order;
      n.children.forEach((c, i) => {
        const a = attrOf(c, i);
        const r = visit(c, a, childPrefix(a), o);
        children.push(r.module);
        o = r.order;
      });
      out = type === 'Residual' ? order : type === 'Sequential' ? o : null;
    } else if (n.children.length > 0) {
      // Branching containers: each branch reads the same input; concatenated features keep each branch's order.
      const orders: (Int32Array | null)[] = [];
      n.children.forEach((c, i) => {
        const a = attrOf(c, i);
        const r = visit(c, a, childPrefix(a), order);
        children.push(r.module);
        orders.push(r.order);
      });
      out = mergeOrders(n, orders);
    } else if (type === 'Flatten' && n.inputShape.length === 3) {
      const [h, w, c] = n.inputShape as [number, number, number];
      out = nchwToNhwcOrder(h, w, c);
    } else if (ORDER_PRESERVING.has(type) && n.inputShape.length === 1) {
      out = order;
    }
    return { module: { node: n, attr, prefix, children }, order: out };
  };
  // The model is an nn.Sequential: a root that is not one becomes its only child, so its keys start `0.`.
  const top = graph.root;
  const root: TorchModule =
    top.node.type === 'Sequential'
      ? visit(top, '', '', null).module
      : {
          node: top,
          attr: '',
          prefix: '',
          children: [visit(top, attrOf(top, 0), attrOf(top, 0), null).module],
          wrapper: true,
        };
  const keys = new Set<string>();
  for (const t of tensors) {
    if (keys.has(t.key)) {
      throw new ReactNNError(
        'structure',
        t.path,
        `two tensors would share the PyTorch key "${t.key}" — rename one layer`,
      );
    }
    keys.add(t.key);
  }
  return { root, tensors };
}

/** The feature order after a branching container, or null when it is the natural one. */
function mergeOrders(n: AnalyzedNode, orders: (Int32Array | null)[]): Int32Array | null {
  if (orders.every(isIdentity)) return null;
  const combine = n.node.type === 'Concat' ? 'concat' : n.node.type === 'Add' ? 'add' : String(n.props.combine);
  if (combine === 'concat' && n.outputShape.length === 1) {
    const parts = n.children.map((c, i) => orders[i] ?? identityOrder(c.outputShape[0] as number));
    const total = parts.reduce((s, o) => s + o.length, 0);
    const out = new Int32Array(total);
    let at = 0;
    for (const o of parts) {
      for (let i = 0; i < o.length; i++) out[at + i] = (o[i] as number) + at;
      at += o.length;
    }
    return out;
  }
  const first = orders[0] as Int32Array | null;
  if (combine !== 'concat' && orders.every((o) => o && first && o.every((v, i) => v === first[i]))) return first;
  throw new ReactNNError(
    'structure',
    n.path,
    'its branches give flattened feature maps in different orders, which have no PyTorch equivalent layout — flatten after merging instead',
  );
}

function identityOrder(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_v, i) => i);
}

/** Index map of a layout: PyTorch element i is tfjs element `map[i]` (null: the same order). */
function indexMap(layout: Layout): Int32Array | null {
  switch (layout.kind) {
    case 'same':
      return null;
    case 'vector':
      return layout.order;
    case 'linear': {
      const { inFeatures: inF, outFeatures: out, order } = layout;
      const map = new Int32Array(inF * out);
      for (let o = 0; o < out; o++)
        for (let j = 0; j < inF; j++) map[o * inF + j] = (order ? (order[j] as number) : j) * out + o;
      return map;
    }
    case 'conv': {
      const { kh, kw, inC, outC } = layout;
      const map = new Int32Array(kh * kw * inC * outC);
      for (let o = 0; o < outC; o++)
        for (let i = 0; i < inC; i++)
          for (let y = 0; y < kh; y++)
            for (let x = 0; x < kw; x++) map[((o * inC + i) * kh + y) * kw + x] = ((y * kw + x) * inC + i) * outC + o;
      return map;
    }
  }
}

/** tfjs values → PyTorch layout. */
export function toTorch(layout: Layout, values: Float32Array): Float32Array {
  const map = indexMap(layout);
  if (!map) return values.slice();
  const out = new Float32Array(map.length);
  for (let i = 0; i < map.length; i++) out[i] = values[map[i] as number] as number;
  return out;
}

/** PyTorch values → tfjs layout (the inverse of {@link toTorch}). */
export function fromTorch(layout: Layout, values: Float32Array): Float32Array {
  const map = indexMap(layout);
  if (!map) return values.slice();
  const out = new Float32Array(map.length);
  for (let i = 0; i < map.length; i++) out[map[i] as number] = values[i] as number;
  return out;
}

/** The shape of one example as PyTorch takes it: images NCHW (`[c, h, w]`), everything else unchanged. */
export function torchInputShape(shape: Shape): number[] {
  return shape.length === 3 ? [shape[2] as number, shape[0] as number, shape[1] as number] : [...shape];
}

/**
 * A dim over a batched react-nn tensor (negative counts from the end) → the same axis in PyTorch's
 * layout: for images (`[h, w, c]` per example) NHWC axes 1, 2, 3 are NCHW axes 2, 3, 1.
 */
export function torchAxis(dim: number, exampleRank: number): number {
  const rank = exampleRank + 1;
  const axis = dim < 0 ? rank + dim : dim;
  if (exampleRank !== 3) return axis;
  return ([0, 2, 3, 1] as const)[axis] as number;
}

/** TensorFlow's 'same' padding along one axis, [before, after]: the extra pixel goes after, as tfjs does. */
export function samePadding(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Conv2d padding as explicit pixels per side: `[top, bottom, left, right]`. */
export function convPads(props: Readonly<Record<string, unknown>>, input: Shape): [number, number, number, number] {
  const pad = props.padding;
  if (pad === 'same') {
    const [kh, kw] = pairOf(props.kernelSize);
    const [sh, sw] = pairOf(props.stride);
    const [dh, dw] = pairOf(props.dilation);
    const [t, b] = samePadding(input[0] as number, kh, sh, dh);
    const [l, r] = samePadding(input[1] as number, kw, sw, dw);
    return [t, b, l, r];
  }
  const [ph, pw] = pad === 'valid' ? [0, 0] : pairOf(pad);
  return [ph, ph, pw, pw];
}

export { pairOf };
