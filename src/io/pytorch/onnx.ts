/**
 * `exportONNX`: the model as an ONNX inference graph (opset 17), NCHW input like the PyTorch
 * export. Weights come from the same `state_dict` (PyTorch layouts, flatten permutation included),
 * so ONNX's Gemm/Conv take them as they are; recurrent gates are reordered to ONNX's own order.
 */

import type { onnx as OnnxTypes } from 'onnx-proto';
import onnxProto from 'onnx-proto';
import { ReactNNError } from '../../errors';
import type { AnalyzedNode } from '../../graph/types';
import type { SafeTensor } from '../safetensors';
import { convPads, pairOf, type TorchModule, torchAxis, torchInputShape } from './names';
import { type ExportSource, resolveSource } from './source';
import { stateDictOf } from './stateDict';

// onnx-proto is CommonJS (`module.exports = $root`): plain Node's ESM loader sees only its default export.
const { onnx } = onnxProto;

const PATH = 'exportONNX';
const OPSET = 17;

export interface ExportONNXOptions {
  /** The graph's name in the file (Netron shows it). Default `'react-nn'`. */
  name?: string;
}

type Attr = OnnxTypes.IAttributeProto;
const A = onnx.AttributeProto.AttributeType;
const int = (name: string, i: number): Attr => ({ name, type: A.INT, i });
const float = (name: string, f: number): Attr => ({ name, type: A.FLOAT, f });
const ints = (name: string, values: number[]): Attr => ({ name, type: A.INTS, ints: values });
const str = (name: string, s: string): Attr => ({ name, type: A.STRING, s: new TextEncoder().encode(s) });
const strs = (name: string, values: string[]): Attr => ({
  name,
  type: A.STRINGS,
  strings: values.map((s) => new TextEncoder().encode(s)),
});

/** Nodes and initializers of one graph, with unique names. */
class Graph {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  #count = 0;

  fresh(hint: string): string {
    return `${hint}_${this.#count++}`;
  }

  floats(hint: string, dims: number[], data: Float32Array): string {
    const name = this.fresh(hint);
    const raw = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw });
    return name;
  }

  int64s(hint: string, values: number[]): string {
    const name = this.fresh(hint);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({
      name,
      dims: [values.length],
      dataType: onnx.TensorProto.DataType.INT64,
      rawData: new Uint8Array(data.buffer),
    });
    return name;
  }

  scalar(value: number): string {
    return this.floats('const', [], Float32Array.of(value));
  }

  op(type: string, inputs: string[], attrs: Attr[] = [], outputCount = 1): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(type.toLowerCase()));
    this.nodes.push({ opType: type, input: inputs, output: outputs, attribute: attrs, name: this.fresh(type) });
    return outputs;
  }

  one(type: string, inputs: string[], attrs: Attr[] = []): string {
    return this.op(type, inputs, attrs)[0] as string;
  }
}

/** The types exportONNX maps, each to the function that emits its nodes. */
const CONTAINERS = new Set(['Sequential', 'Residual', 'Add', 'Concat', 'Parallel']);
const LEAVES = new Set([
  'Linear',
  'Conv2d',
  'BatchNorm1d',
  'BatchNorm2d',
  'MaxPool2d',
  'AvgPool2d',
  'Flatten',
  'Dropout',
  'Identity',
  'ReLU',
  'Sigmoid',
  'Tanh',
  'LeakyReLU',
  'ELU',
  'PReLU',
  'GELU',
  'Softmax',
  'BentIdentity',
  'Embedding',
  'RNN',
  'LSTM',
  'GRU',
]);

function unmapped(m: TorchModule, out: AnalyzedNode[]): void {
  const type = m.node.node.type;
  if (!m.wrapper && !CONTAINERS.has(type) && !LEAVES.has(type)) out.push(m.node);
  for (const c of m.children) unmapped(c, out);
}

/** Reorders the G gate blocks of each direction's rows: `order[k]` is the PyTorch block ONNX wants k-th. */
function reorderGates(
  data: Float32Array,
  gates: number,
  rowsPerGate: number,
  cols: number,
  order: number[],
): Float32Array {
  const out = new Float32Array(data.length);
  const block = rowsPerGate * cols;
  for (let k = 0; k < gates; k++) out.set(data.subarray(order[k]! * block, (order[k]! + 1) * block), k * block);
  return out;
}

/** PyTorch gate order → ONNX's: LSTM (i, f, g, o) → (i, o, f, c); GRU (r, z, n) → (z, r, h). */
const GATE_ORDER: Record<string, number[]> = { LSTM: [0, 3, 1, 2], GRU: [1, 0, 2], RNN: [0] };

interface Ctx {
  g: Graph;
  weights: Record<string, SafeTensor>;
}

function weight(ctx: Ctx, m: TorchModule, name: string): SafeTensor {
  const key = m.prefix ? `${m.prefix}.${name}` : name;
  const t = ctx.weights[key];
  if (!t) throw new ReactNNError('state', `${PATH} > ${m.node.path}`, `weight "${key}" is missing`);
  return t;
}

function init(ctx: Ctx, m: TorchModule, name: string): string {
  const t = weight(ctx, m, name);
  return ctx.g.floats(name, [...t.shape], t.data as Float32Array);
}

function transpose2d(t: SafeTensor): Float32Array {
  const [rows, cols] = t.shape as [number, number];
  const out = new Float32Array(rows * cols);
  const d = t.data as Float32Array;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = d[r * cols + c]!;
  return out;
}

function recurrent(ctx: Ctx, m: TorchModule, x: string): string {
  const { g } = ctx;
  const n = m.node;
  const p = n.props as Record<string, unknown>;
  const type = n.node.type;
  const H = p.hiddenSize as number;
  const D = p.bidirectional ? 2 : 1;
  const gates = GATE_ORDER[type]!.length;
  const order = GATE_ORDER[type]!;
  // ONNX recurrences take [time, batch, features] (layout 0).
  let seq = g.one('Transpose', [x], [ints('perm', [1, 0, 2])]);
  let lastH = '';
  for (let l = 0; l < (p.numLayers as number); l++) {
    const W: Float32Array[] = [];
    const R: Float32Array[] = [];
    const B: Float32Array[] = [];
    let inSize = 0;
    for (let d = 0; d < D; d++) {
      const s = `_l${l}${d === 1 ? '_reverse' : ''}`;
      const wih = weight(ctx, m, `weight_ih${s}`);
      inSize = wih.shape[1] as number;
      W.push(reorderGates(wih.data as Float32Array, gates, H, inSize, order));
      R.push(reorderGates(weight(ctx, m, `weight_hh${s}`).data as Float32Array, gates, H, H, order));
      const bias = (name: string) =>
        p.bias
          ? reorderGates(weight(ctx, m, `${name}${s}`).data as Float32Array, gates, H, 1, order)
          : new Float32Array(gates * H);
      const b = new Float32Array(2 * gates * H);
      b.set(bias('bias_ih'), 0);
      b.set(bias('bias_hh'), gates * H);
      B.push(b);
    }
    const cat = (parts: Float32Array[]) => {
      const out = new Float32Array(parts.reduce((s, a) => s + a.length, 0));
      let at = 0;
      for (const a of parts) {
        out.set(a, at);
        at += a.length;
      }
      return out;
    };
    const attrs: Attr[] = [int('hidden_size', H), str('direction', D === 2 ? 'bidirectional' : 'forward')];
    if (type === 'GRU') attrs.push(int('linear_before_reset', 1));
    if (type === 'RNN') attrs.push(strs('activations', Array(D).fill(p.nonlinearity === 'relu' ? 'Relu' : 'Tanh')));
    const inputs = [
      seq,
      g.floats(`W_l${l}`, [D, gates * H, inSize], cat(W)),
      g.floats(`R_l${l}`, [D, gates * H, H], cat(R)),
      g.floats(`B_l${l}`, [D, 2 * gates * H], cat(B)),
    ];
    const [y, yh] = g.op(type, inputs, attrs, 2) as [string, string];
    lastH = yh;
    // Y is [time, directions, batch, hidden]: directions next to hidden, then joined, for the next layer.
    const ty = g.one('Transpose', [y], [ints('perm', [0, 2, 1, 3])]);
    seq = g.one('Reshape', [ty, g.int64s('shape', [0, 0, -1])]);
  }
  if (p.returnSequences) return g.one('Transpose', [seq], [ints('perm', [1, 0, 2])]);
  const th = g.one('Transpose', [lastH], [ints('perm', [1, 0, 2])]);
  return g.one('Reshape', [th, g.int64s('shape', [0, -1])]);
}

function gelu(g: Graph, x: string, approximate: boolean): string {
  const half = g.one('Mul', [x, g.scalar(0.5)]);
  if (!approximate) {
    const erf = g.one('Erf', [g.one('Mul', [x, g.scalar(Math.SQRT1_2)])]);
    return g.one('Mul', [half, g.one('Add', [erf, g.scalar(1)])]);
  }
  const cube = g.one('Mul', [g.one('Mul', [x, x]), x]);
  const inner = g.one('Mul', [
    g.one('Add', [x, g.one('Mul', [cube, g.scalar(0.044715)])]),
    g.scalar(Math.sqrt(2 / Math.PI)),
  ]);
  return g.one('Mul', [half, g.one('Add', [g.one('Tanh', [inner]), g.scalar(1)])]);
}

function leaf(ctx: Ctx, m: TorchModule, x: string): string {
  const { g } = ctx;
  const n = m.node;
  const p = n.props as Record<string, unknown>;
  const rank = n.inputShape.length;
  switch (n.node.type) {
    case 'Linear': {
      const w = weight(ctx, m, 'weight');
      if (rank === 1) {
        const inputs = [x, init(ctx, m, 'weight'), ...(p.bias ? [init(ctx, m, 'bias')] : [])];
        return g.one('Gemm', inputs, [int('transB', 1)]);
      }
      const [out, inF] = w.shape as [number, number];
      const y = g.one('MatMul', [x, g.floats('weight_t', [inF, out], transpose2d(w))]);
      return p.bias ? g.one('Add', [y, init(ctx, m, 'bias')]) : y;
    }
    case 'Conv2d': {
      const [t, b, l, r] = convPads(p, n.inputShape);
      const w = weight(ctx, m, 'weight');
      return g.one(
        'Conv',
        [x, init(ctx, m, 'weight'), ...(p.bias ? [init(ctx, m, 'bias')] : [])],
        [
          ints('kernel_shape', [w.shape[2] as number, w.shape[3] as number]),
          ints('strides', pairOf(p.stride)),
          ints('dilations', pairOf(p.dilation)),
          ints('pads', [t, l, b, r]),
        ],
      );
    }
    case 'BatchNorm1d':
    case 'BatchNorm2d': {
      const c = n.inputShape[rank - 1] as number;
      const scale = p.affine ? init(ctx, m, 'weight') : g.floats('ones', [c], new Float32Array(c).fill(1));
      const shift = p.affine ? init(ctx, m, 'bias') : g.floats('zeros', [c], new Float32Array(c));
      const inputs = (v: string) => [v, scale, shift, init(ctx, m, 'running_mean'), init(ctx, m, 'running_var')];
      const attrs = [float('epsilon', p.eps as number)];
      if (n.node.type === 'BatchNorm1d' && rank === 2) {
        // [batch, length, channels]: ONNX normalises axis 1, so channels go there and back.
        const t = g.one('Transpose', [x], [ints('perm', [0, 2, 1])]);
        return g.one('Transpose', [g.one('BatchNormalization', inputs(t), attrs)], [ints('perm', [0, 2, 1])]);
      }
      return g.one('BatchNormalization', inputs(x), attrs);
    }
    case 'MaxPool2d':
    case 'AvgPool2d': {
      const [ph, pw] = pairOf(p.padding);
      const attrs = [
        ints('kernel_shape', pairOf(p.kernelSize)),
        ints('strides', pairOf(p.stride)),
        ints('pads', [ph, pw, ph, pw]),
      ];
      if (n.node.type === 'AvgPool2d') attrs.push(int('count_include_pad', 1));
      return g.one(n.node.type === 'MaxPool2d' ? 'MaxPool' : 'AveragePool', [x], attrs);
    }
    case 'Flatten':
      return g.one('Flatten', [x], [int('axis', 1)]);
    case 'Dropout':
    case 'Identity':
      return x;
    case 'ReLU':
      return g.one('Relu', [x]);
    case 'Sigmoid':
      return g.one('Sigmoid', [x]);
    case 'Tanh':
      return g.one('Tanh', [x]);
    case 'LeakyReLU':
      return g.one('LeakyRelu', [x], [float('alpha', p.negativeSlope as number)]);
    case 'ELU':
      return g.one('Elu', [x], [float('alpha', p.alpha as number)]);
    case 'PReLU': {
      const w = weight(ctx, m, 'weight');
      const count = w.shape[0] as number;
      // The slope broadcasts over [batch, …]: per channel is axis 1 for images (NCHW), the last axis otherwise.
      const dims = count === 1 ? [1] : rank === 3 ? [count, 1, 1] : [count];
      return g.one('PRelu', [x, g.floats('slope', dims, w.data as Float32Array)]);
    }
    case 'GELU':
      return gelu(g, x, p.approximate === 'tanh');
    case 'Softmax':
      return g.one('Softmax', [x], [int('axis', torchAxis(p.dim as number, rank))]);
    case 'BentIdentity': {
      const root = g.one('Sqrt', [g.one('Add', [g.one('Mul', [x, x]), g.scalar(1)])]);
      return g.one('Add', [g.one('Div', [g.one('Sub', [root, g.scalar(1)]), g.scalar(2)]), x]);
    }
    case 'Embedding': {
      const ids = g.one('Cast', [x], [int('to', onnx.TensorProto.DataType.INT64)]);
      return g.one('Gather', [init(ctx, m, 'weight'), ids], [int('axis', 0)]);
    }
    case 'RNN':
    case 'LSTM':
    case 'GRU':
      return recurrent(ctx, m, x);
    default:
      throw new ReactNNError('structure', n.path, `<${n.node.type}> has no ONNX mapping`);
  }
}

function emit(ctx: Ctx, m: TorchModule, x: string): string {
  const { g } = ctx;
  const n = m.node;
  if (m.wrapper) return m.children.reduce((acc, c) => emit(ctx, c, acc), x);
  switch (n.node.type) {
    case 'Sequential':
      return m.children.reduce((acc, c) => emit(ctx, c, acc), x);
    case 'Residual':
      return g.one('Add', [x, m.children.reduce((acc, c) => emit(ctx, c, acc), x)]);
    case 'Add':
    case 'Concat':
    case 'Parallel': {
      const ys = m.children.map((c) => emit(ctx, c, x));
      if (ys.length === 1) return ys[0] as string;
      const combine = n.node.type === 'Add' ? 'add' : n.node.type === 'Concat' ? 'concat' : String(n.props.combine);
      if (combine === 'concat')
        return g.one('Concat', ys, [int('axis', torchAxis(n.props.dim as number, n.outputShape.length))]);
      return g.one(combine === 'add' ? 'Sum' : combine === 'mean' ? 'Mean' : 'Max', ys);
    }
    default:
      return leaf(ctx, m, x);
  }
}

/**
 * Exports the model as an ONNX inference graph (opset 17): input `input` of shape
 * `[batch, …]` — NCHW for images, as the PyTorch export — and output `output`. Dropout is dropped
 * (inference), BatchNorm uses its running statistics. Layers without an ONNX mapping (custom
 * `defineLayer` layers, `TimeDistributed`, `Pretrained`) are all named in one ReactNNError.
 *
 * @example
 * const bytes = await exportONNX(net);   // open in Netron, run with onnxruntime
 * @see https://onnx.ai/onnx/operators/
 */
export async function exportONNX(source: ExportSource, options: ExportONNXOptions = {}): Promise<Uint8Array> {
  if (options === null || typeof options !== 'object') {
    throw new ReactNNError('option', PATH, 'options must be an object such as { name: "moons" }');
  }
  const { graph, model } = resolveSource(source, PATH);
  const { layout, tensors } = stateDictOf(graph, model, PATH);
  const missing: AnalyzedNode[] = [];
  unmapped(layout.root, missing);
  if (missing.length > 0) {
    throw new ReactNNError(
      'structure',
      PATH,
      `no ONNX mapping for ${missing.map((n) => `<${n.node.type}> (${n.path})`).join(', ')} — ONNX export covers the built-in layers ` +
        '(Linear, Conv2d, BatchNorm, pooling, activations, Softmax, Flatten, Dropout, Embedding, RNN/LSTM/GRU, Residual/Add/Concat/Parallel); ' +
        'export to PyTorch (exportPyTorch) and use torch.onnx.export after writing the custom layer there',
    );
  }
  const g = new Graph();
  const output = emit({ g, weights: tensors }, layout.root, 'input');
  // A graph output must be produced by a node: an all-identity model still gets one.
  const last = output === 'input' ? g.one('Identity', ['input']) : output;
  g.nodes.push({ opType: 'Identity', input: [last], output: ['output'], name: 'output_identity' });
  const dims = (shape: number[]) => ({
    dim: [{ dimParam: 'batch' }, ...shape.map((d) => ({ dimValue: d }))],
  });
  const valueInfo = (name: string, shape: number[]): OnnxTypes.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: dims(shape) } },
  });
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'react-nn',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: options.name ?? 'react-nn',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('input', torchInputShape(graph.inputShape))],
      output: [valueInfo('output', torchInputShape(graph.outputShape))],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}
