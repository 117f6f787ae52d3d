/**
 * `model.py`: the JSX tree as an idiomatic PyTorch module. Containers become `nn.Sequential` (or
 * small subclasses for residual and branching blocks), layers their `torch.nn` classes with the same
 * arguments, so `Model().state_dict()` has exactly the keys {@link torchLayout} gives the weights.
 */
import { ReactNNError } from '../../errors';
import type { AnalyzedGraph, AnalyzedNode, Shape } from '../../graph/types';
import { getLayer } from '../../layers/define';
import { convPads, pairOf, type TorchLayout, type TorchModule, torchAxis, torchInputShape } from './names';
import { py, SAFETENSORS_READER } from './pythonShared';

/** Helper classes model.py defines when the tree needs them, in this order. */
const HELPERS = {
  Residual: `class Residual(nn.Sequential):
    """A skip connection: x + block(x), the block being the layers inside, in order."""

    def forward(self, x):
        return x + super().forward(x)`,
  Branches: `class Branches(nn.Module):
    """Applies every branch to the same input and merges them: concat (along dim), add, mean or max."""

    def __init__(self, branches, combine="concat", dim=-1):
        super().__init__()
        for name, module in branches.items():
            self.add_module(name, module)
        self.combine = combine
        self.dim = dim

    def forward(self, x):
        ys = [branch(x) for branch in self.children()]
        if self.combine == "concat":
            return torch.cat(ys, dim=self.dim)
        stacked = torch.stack(ys)
        if self.combine == "add":
            return stacked.sum(0)
        if self.combine == "mean":
            return stacked.mean(0)
        return stacked.max(0).values`,
  TimeDistributed: `class TimeDistributed(nn.Sequential):
    """Applies the layers inside to every time step: folds time into the batch and back."""

    def forward(self, x):
        batch, steps = x.shape[:2]
        y = super().forward(x.flatten(0, 1))
        return y.unflatten(0, (batch, steps))`,
  Recurrent: `class _LastState:
    """react-nn's recurrent output: every step (return_sequences) or the last layer's final state h_n,
    both directions concatenated."""

    def __init__(self, *args, return_sequences=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.return_sequences = return_sequences

    def forward(self, x):
        out, h = super().forward(x)
        if self.return_sequences:
            return out
        if isinstance(h, tuple):  # LSTM: (h_n, c_n)
            h = h[0]
        return torch.cat([h[-2], h[-1]], dim=1) if self.bidirectional else h[-1]`,
  RNN: `class RNN(_LastState, nn.RNN):
    pass`,
  LSTM: `class LSTM(_LastState, nn.LSTM):
    pass`,
  GRU: `class GRU(_LastState, nn.GRU):
    pass`,
  Embedding: `class Embedding(nn.Embedding):
    """Token ids may arrive as floats (react-nn data sets are float32): truncated to integers."""

    def forward(self, x):
        return super().forward(x.long())`,
  SamePadConv2d: `class SamePadConv2d(nn.Conv2d):
    """TensorFlow's padding='same' with stride > 1 pads one more pixel after than before."""

    def __init__(self, *args, pads=(0, 0, 0, 0), **kwargs):
        super().__init__(*args, **kwargs)
        self.pads = pads  # (left, right, top, bottom), as F.pad takes them

    def forward(self, x):
        return super().forward(F.pad(x, self.pads))`,
  ChannelsLastBatchNorm1d: `class ChannelsLastBatchNorm1d(nn.BatchNorm1d):
    """BatchNorm1d over [batch, length, channels] (react-nn keeps channels last)."""

    def forward(self, x):
        return super().forward(x.transpose(1, 2)).transpose(1, 2)`,
  BentIdentity: `class BentIdentity(nn.Module):
    """(sqrt(x^2 + 1) - 1) / 2 + x"""

    def forward(self, x):
        return (torch.sqrt(x * x + 1) - 1) / 2 + x`,
} as const;

type Helper = keyof typeof HELPERS;

const size = (v: unknown): string => {
  const [a, b] = pairOf(v);
  return a === b ? String(a) : `(${a}, ${b})`;
};

interface Emit {
  helpers: Set<Helper>;
  stubs: Map<string, AnalyzedNode>;
}

/** `nn.Linear(2, 8)`-style constructor of one leaf layer. */
function leaf(n: AnalyzedNode, e: Emit): string {
  const p = n.props as Record<string, unknown>;
  const input = n.inputShape;
  const last = input[input.length - 1] as number;
  const use = (h: Helper, text: string) => {
    e.helpers.add(h);
    return text;
  };
  switch (n.node.type) {
    case 'Linear':
      return `nn.Linear(${last}, ${p.outFeatures}${p.bias ? '' : ', bias=False'})`;
    case 'Conv2d': {
      const [t, b, l, r] = convPads(p, input);
      const args = `${last}, ${p.outChannels}, kernel_size=${size(p.kernelSize)}, stride=${size(p.stride)}`;
      const tail = `dilation=${size(p.dilation)}${p.bias ? '' : ', bias=False'}`;
      if (t === b && l === r) return `nn.Conv2d(${args}, padding=${t === l ? t : `(${t}, ${l})`}, ${tail})`;
      return use('SamePadConv2d', `SamePadConv2d(${args}, ${tail}, pads=(${l}, ${r}, ${t}, ${b}))`);
    }
    case 'MaxPool2d':
    case 'AvgPool2d':
      return `nn.${n.node.type}(kernel_size=${size(p.kernelSize)}, stride=${size(p.stride)}, padding=${size(p.padding)})`;
    case 'Flatten':
      return 'nn.Flatten()';
    case 'Dropout':
      return `nn.Dropout(p=${py(p.p)})`;
    case 'Identity':
      return 'nn.Identity()';
    case 'BatchNorm1d':
    case 'BatchNorm2d': {
      const args = `${last}, eps=${py(p.eps)}, momentum=${py(p.momentum)}${p.affine ? '' : ', affine=False'}`;
      if (n.node.type === 'BatchNorm1d' && input.length === 2)
        return use('ChannelsLastBatchNorm1d', `ChannelsLastBatchNorm1d(${args})`);
      return `nn.${n.node.type}(${args})`;
    }
    case 'ReLU':
    case 'Sigmoid':
    case 'Tanh':
      return `nn.${n.node.type}()`;
    case 'LeakyReLU':
      return `nn.LeakyReLU(negative_slope=${py(p.negativeSlope)})`;
    case 'ELU':
      return `nn.ELU(alpha=${py(p.alpha)})`;
    case 'GELU':
      return p.approximate === 'tanh' ? 'nn.GELU(approximate="tanh")' : 'nn.GELU()';
    case 'PReLU':
      return `nn.PReLU(num_parameters=${p.numParameters}, init=${py(p.init)})`;
    case 'Softmax':
      return `nn.Softmax(dim=${torchAxis(p.dim as number, input.length)})`;
    case 'BentIdentity':
      return use('BentIdentity', 'BentIdentity()');
    case 'Embedding':
      return use('Embedding', `Embedding(${p.numEmbeddings}, ${p.embeddingDim})`);
    case 'RNN':
    case 'LSTM':
    case 'GRU': {
      e.helpers.add('Recurrent');
      e.helpers.add(n.node.type);
      const extra = n.node.type === 'RNN' && p.nonlinearity === 'relu' ? ', nonlinearity="relu"' : '';
      return (
        `${n.node.type}(${last}, ${p.hiddenSize}, num_layers=${p.numLayers}${extra}, bias=${py(p.bias)}, batch_first=True, ` +
        `dropout=${py(p.dropout)}, bidirectional=${py(p.bidirectional)}, return_sequences=${py(p.returnSequences)})`
      );
    }
    default: {
      if (getLayer(n.node.type)?.builtin) {
        throw new ReactNNError(
          'structure',
          n.path,
          `<${n.node.type}> has no PyTorch equivalent in react-nn's exporter`,
        );
      }
      e.stubs.set(n.node.type, n);
      const props = Object.entries(p)
        .filter(([k, v]) => k !== 'name' && (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string'))
        .map(([k, v]) => `${k}=${py(v)}`);
      return `${n.node.type}(${props.join(', ')})`;
    }
  }
}

const pad = (depth: number) => '    '.repeat(depth);

/** Arguments of a container's constructor: its children, as a list or (when one is named) an OrderedDict. */
function childArgs(m: TorchModule, depth: number, e: Emit, dict = false): string {
  const named = dict || m.children.some((c) => c.attr !== String(m.children.indexOf(c)));
  const items = m.children.map((c) => {
    const text = moduleExpr(c, depth + (named ? 2 : 1), e);
    return named ? `${pad(depth + 1)}(${JSON.stringify(c.attr)}, ${text}),` : `${pad(depth + 1)}${text},`;
  });
  if (!named) return `\n${items.join('\n')}\n${pad(depth)}`;
  return `OrderedDict([\n${items.map((i) => `    ${i}`).join('\n')}\n${pad(depth + 1)}])`;
}

function moduleExpr(m: TorchModule, depth: number, e: Emit): string {
  const n = m.node;
  switch (n.node.type) {
    case 'Sequential':
      return `nn.Sequential(${childArgs(m, depth, e)})`;
    case 'Residual':
      e.helpers.add('Residual');
      return `Residual(${childArgs(m, depth, e)})`;
    case 'TimeDistributed':
      e.helpers.add('TimeDistributed');
      return `TimeDistributed(${childArgs(m, depth, e)})`;
    case 'Add':
    case 'Concat':
    case 'Parallel': {
      e.helpers.add('Branches');
      const combine = n.node.type === 'Add' ? 'add' : n.node.type === 'Concat' ? 'concat' : String(n.props.combine);
      const dim = combine === 'concat' ? `, dim=${torchAxis(n.props.dim as number, n.outputShape.length)}` : '';
      return `Branches(${childArgs(m, depth, e, true)}, combine="${combine}"${dim})`;
    }
    default:
      return leaf(n, e);
  }
}

/** A stub for a custom layer: the class exists (so weights load) but its forward is the user's to write. */
function stub(type: string, n: AnalyzedNode, weights: { name: string; shape: readonly number[] }[]): string {
  const params = weights.map((w) => `        self.${w.name} = nn.Parameter(torch.zeros(${pyShape(w.shape)}))`);
  return `# ---------------------------------------------------------------------------------------------
# TODO: <${type}> is a custom react-nn layer (defineLayer); react-nn cannot translate its build
# function. Write its forward below. Its weights load from weights.safetensors under the attribute
# names used here (its tfjs weight names). Input per example (NHWC in react-nn): ${fmt(n.inputShape)},
# output: ${fmt(n.outputShape)}.
# ---------------------------------------------------------------------------------------------
class ${type}(nn.Module):
    def __init__(self, **props):
        super().__init__()
        self.props = props
${params.join('\n')}${params.length ? '\n' : ''}
    def forward(self, x):
        raise NotImplementedError("fill in ${type}.forward in model.py (a custom react-nn layer)")`;
}

const fmt = (s: Shape) => `[${s.join(', ')}]`;
const pyShape = (s: readonly number[]) => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`);

/** The text of `model.py` for an analysed graph and its PyTorch layout. */
export function modelPy(graph: AnalyzedGraph, layout: TorchLayout): string {
  const { root } = layout;
  const e: Emit = { helpers: new Set(), stubs: new Map() };
  // The root module is the model, an nn.Sequential (around a root layer that is not one: see torchLayout).
  const body = childArgs(root, 2, e);
  const input = torchInputShape(graph.inputShape);
  const image = graph.inputShape.length === 3;
  const helpers = (Object.keys(HELPERS) as Helper[]).filter((h) => e.helpers.has(h)).map((h) => HELPERS[h]);
  const stubs = [...e.stubs].map(([type, n]) =>
    stub(
      type,
      n,
      layout.tensors
        .filter((t) => t.path === n.path)
        .map((t) => ({ name: t.key.slice(t.key.lastIndexOf('.') + 1), shape: t.shape })),
    ),
  );
  // Any container with a named child (and every Branches) is built from an OrderedDict.
  const named = body.includes('OrderedDict(');
  return `"""A react-nn model, exported for PyTorch.

Input: a float tensor of shape [batch, ${input.join(', ')}]${
    image
      ? ` — NCHW (channels first), as PyTorch expects.\nreact-nn takes the same images NHWC ([batch, ${graph.inputShape.join(', ')}]): x.permute(0, 3, 1, 2) converts one to the other.`
      : '.'
  }
Output: [batch, ${torchInputShape(graph.outputShape).join(', ')}].

    from model import load
    model = load("weights.safetensors")   # eval mode, weights loaded
    y = model(x)
"""
import json
import struct
${named ? 'from collections import OrderedDict\n' : ''}
import torch
import torch.nn.functional as F  # noqa: F401 (used by some helper layers)
from torch import nn

${[...helpers, ...stubs].map((h) => `${h}\n\n`).join('\n')}
class Model(nn.Sequential):
    """The JSX tree, layer for layer: state_dict keys are the nn.Sequential indices (or name props)."""

    def __init__(self):
        super().__init__(${body})


${SAFETENSORS_READER}


def load(path="weights.safetensors") -> Model:
    """Builds the model, loads its weights (with the safetensors package when installed) and sets eval mode."""
    model = Model()
    try:
        from safetensors.torch import load_file
    except ImportError:
        load_file = read_safetensors
    model.load_state_dict(load_file(path))
    return model.eval()
`;
}
