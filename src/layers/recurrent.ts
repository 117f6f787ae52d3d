import * as tf from '@tensorflow/tfjs';
import { describe } from '../errors';
import type { RuleContext, ShapeContext } from '../graph/rules';
import type { Shape } from '../graph/types';
import { deriveSeed } from '../random';
import type { CommonProps, LayerDefinition, Resolved, WeightProps } from './define';
import { defineLayer } from './define';
import { resolveInit } from './init';
import { type InitSpec, prop } from './props';
import { FoldTimeLayer, GATES, RecurrentLayer, type RecurrentMode, UnfoldTimeLayer } from './tfRecurrent';

/**
 * Sequence layers: RNN, LSTM, GRU (PyTorch's equations, parameters and initialisation, with
 * `batch_first=True`), Embedding, and TimeDistributed for applying layers step by step.
 */

/** Props shared by `<RNN>`, `<LSTM>` and `<GRU>`. */
export interface RecurrentProps extends WeightProps {
  /** Features of the hidden state h (PyTorch `hidden_size`). */
  hiddenSize: number;
  /** Stacked recurrent layers, each reading the previous one's outputs. Default 1. */
  numLayers?: number;
  /** Also run the sequence backwards and concatenate both directions on the feature axis. Default false. */
  bidirectional?: boolean;
  /**
   * `true`: output every step, `[time, hidden·directions]` (PyTorch's `output`, many-to-many).
   * `false` (default): the final state `[hidden·directions]` (PyTorch's `h_n[-directions:]`, many-to-one).
   */
  returnSequences?: boolean;
  /** Dropout on each layer's outputs except the last, while training (needs numLayers ≥ 2). Default 0. */
  dropout?: number;
  /** Learn the biases b_ih and b_hh. Default true. */
  bias?: boolean;
  /**
   * Initialiser of the recurrent weights `weight_hh_l*` — e.g. `'orthogonal'`. Default: `weightInit`
   * when set, else PyTorch's U(−1/√hidden, 1/√hidden).
   */
  recurrentInit?: InitSpec;
}

/** Props of `<RNN>`. */
export interface RNNProps extends RecurrentProps {
  /** h' = nonlinearity(W_ih x + b_ih + W_hh h + b_hh). Default `'tanh'`. */
  nonlinearity?: 'tanh' | 'relu';
}
/** Props of `<LSTM>`. */
export interface LSTMProps extends RecurrentProps {}
/** Props of `<GRU>`. */
export interface GRUProps extends RecurrentProps {}

/**
 * Parameters of a PyTorch recurrent module: for every layer l and direction,
 * G·H·(in_l + H) weights plus 2·G·H biases, where in_0 = features and in_l = H·directions above.
 */
export function recurrentParams(
  gates: number,
  features: number,
  p: { hiddenSize: number; numLayers: number; bidirectional: boolean; bias: boolean },
): number {
  const H = p.hiddenSize;
  const D = p.bidirectional ? 2 : 1;
  let total = 0;
  for (let l = 0; l < p.numLayers; l++) {
    const inSize = l === 0 ? features : H * D;
    total += D * (gates * H * (inSize + H) + (p.bias ? 2 * gates * H : 0));
  }
  return total;
}

const from = (ctx: ShapeContext) => (ctx.source ? ` from ${ctx.source.type} (${ctx.source.path})` : '');

/** The input check every recurrent layer shares: one example is `[time, features]`. */
function sequenceShape(type: string, input: Shape, ctx: ShapeContext): [number, number] {
  if (input.length === 1) {
    const [n] = input as [number];
    ctx.fail(
      `${type} expects input of shape [batch, time, features] — [time, features] per example — but gets [${n}] per example (data of shape [batch, ${n}], 2-D)${from(ctx)}. ` +
        `For a series of ${n} steps with one value each use inputShape={[${n}, 1]} and reshape x to [batch, ${n}, 1]; for token ids put an <Embedding> before the ${type}`,
      'shape',
    );
  }
  if (input.length !== 2) {
    ctx.fail(
      `${type} expects input of shape [batch, time, features] — [time, features] per example — but gets ${describe(input)} per example${from(ctx)}; ` +
        `flatten each step first, e.g. <TimeDistributed><Flatten /></TimeDistributed>`,
      'shape',
    );
  }
  return input as unknown as [number, number];
}

function recurrent<P extends RecurrentProps>(
  type: string,
  description: string,
  mode: (p: Resolved<P>) => RecurrentMode,
  extraProps: Record<string, unknown>,
): LayerDefinition<P> {
  return {
    type,
    description,
    hasWeights: true,
    props: {
      hiddenSize: prop.positiveInt(),
      numLayers: prop.positiveInt().optional_(1),
      bidirectional: prop.boolean().optional_(false),
      returnSequences: prop.boolean().optional_(false),
      dropout: prop.probability().optional_(0),
      bias: prop.boolean().optional_(true),
      recurrentInit: prop.init().optional_(),
      ...extraProps,
    } as LayerDefinition<P>['props'],
    normalize: (p: Resolved<P>, ctx: RuleContext) => {
      if (!p.bias && p.biasInit !== undefined) ctx.fail('biasInit is set but bias={false} — remove one of them');
      if (p.dropout > 0 && p.numLayers === 1) {
        ctx.fail(
          `dropout={${p.dropout}} applies between stacked layers, so with numLayers={1} it would do nothing (PyTorch warns the same) — set numLayers={2} or more, or put a <Dropout> after the ${type}`,
        );
      }
      return p;
    },
    outputShape: (p, input, ctx) => {
      const [time] = sequenceShape(type, input, ctx);
      const units = p.hiddenSize * (p.bidirectional ? 2 : 1);
      return p.returnSequences ? [time, units] : [units];
    },
    params: (p, input) => recurrentParams(GATES[mode(p)], input[input.length - 1] as number, p),
    build: (p, ctx) => {
      const H = p.hiddenSize;
      // Each weight gets its own seed (two directions must not start identical), and its own fans
      // as PyTorch computes them for a [out, in] matrix; unset, everything is U(−1/√H, 1/√H).
      const initializer = (name: string, shape: number[]) => {
        const spec: InitSpec | undefined = name.startsWith('bias')
          ? p.biasInit
          : name.startsWith('weight_hh')
            ? (p.recurrentInit ?? p.weightInit)
            : p.weightInit;
        const fans =
          spec === undefined
            ? { fanIn: H, fanOut: H }
            : shape.length === 2
              ? { fanIn: shape[1] as number, fanOut: shape[0] as number }
              : { fanIn: H, fanOut: shape[0] as number };
        return resolveInit(spec, fans, deriveSeed(ctx.seed, name));
      };
      const layer = new RecurrentLayer({
        mode: mode(p),
        hiddenSize: H,
        numLayers: p.numLayers,
        bidirectional: p.bidirectional,
        returnSequences: p.returnSequences,
        dropout: p.dropout,
        bias: p.bias,
        seed: ctx.seed,
        initializer,
        trainable: ctx.trainable,
        name: ctx.name(),
      });
      return (x) => layer.apply(x) as tf.SymbolicTensor;
    },
  };
}

/**
 * Elman RNN, h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu) — PyTorch `nn.RNN(input_size,
 * hidden_size, num_layers, nonlinearity, bias, batch_first=True, dropout, bidirectional)`.
 * Parameters per layer and direction: H·(in + H) + 2H, e.g. RNN(10 → 20) = 20·30 + 40 = 640.
 *
 * Input shape: `[time, features]`.
 * Output shape: `[hidden·directions]`, or `[time, hidden·directions]` with returnSequences.
 * @example <RNN hiddenSize={32} nonlinearity="relu" />
 * @see https://pytorch.org/docs/stable/generated/torch.nn.RNN.html
 */
export const RNN = defineLayer<RNNProps>(
  recurrent<RNNProps>('RNN', 'Elman recurrent layer', (p) => (p.nonlinearity === 'relu' ? 'rnnRelu' : 'rnnTanh'), {
    nonlinearity: prop.oneOf('tanh', 'relu').optional_('tanh'),
  }),
  { builtin: true },
);

/**
 * Long short-term memory — PyTorch `nn.LSTM(input_size, hidden_size, num_layers, bias,
 * batch_first=True, dropout, bidirectional)`:
 * i, f, g, o = σ, σ, tanh, σ of (W_i· x + b_i· + W_h· h + b_h·); c' = f⊙c + i⊙g; h' = o⊙tanh(c').
 * Weights stack the gates in PyTorch's order (i, f, g, o), with both bias vectors, so
 * `state_dict()` tensors copy over unchanged. Parameters per layer and direction:
 * 4H·(in + H) + 8H, e.g. LSTM(10 → 20) = 4·20·30 + 8·20 = 2560.
 *
 * Input shape: `[time, features]`.
 * Output shape: `[hidden·directions]` (final state h_n), or `[time, hidden·directions]` with returnSequences.
 * @example <Sequential><LSTM hiddenSize={32} /><Linear outFeatures={1} /></Sequential>
 * @see https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html
 */
export const LSTM = defineLayer<LSTMProps>(
  recurrent<LSTMProps>('LSTM', 'Long short-term memory', () => 'lstm', {}),
  {
    builtin: true,
  },
);

/**
 * Gated recurrent unit — PyTorch `nn.GRU`: r = σ(W_ir x + b_ir + W_hr h + b_hr),
 * z = σ(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)),
 * h' = (1 − z)⊙n + z⊙h. Gates stacked (r, z, n). Parameters per layer and direction:
 * 3H·(in + H) + 6H, e.g. GRU(10 → 20) = 3·20·30 + 6·20 = 1920.
 *
 * Input shape: `[time, features]`.
 * Output shape: `[hidden·directions]`, or `[time, hidden·directions]` with returnSequences.
 * @see https://pytorch.org/docs/stable/generated/torch.nn.GRU.html
 */
export const GRU = defineLayer<GRUProps>(
  recurrent<GRUProps>('GRU', 'Gated recurrent unit', () => 'gru', {}),
  {
    builtin: true,
  },
);

// ---------------------------------------------------------------------------------------------

/** Props of `<Embedding>`. */
export interface EmbeddingProps extends WeightProps {
  /** Size of the vocabulary: ids run 0 … numEmbeddings − 1. */
  numEmbeddings: number;
  /** Size of each embedding vector. */
  embeddingDim: number;
}

/**
 * A lookup table from token ids to learnt vectors — PyTorch `nn.Embedding(num_embeddings,
 * embedding_dim)`, initialised N(0, 1) as PyTorch. Ids arrive as numbers (data sets are
 * float32) and are truncated to integers; an id outside the table fails at run time.
 * The tfjs weight `embeddings` is PyTorch's `weight`, same shape.
 *
 * Input shape: `[time]` of ids (any shape).
 * Output shape: `[time, embeddingDim]` (input shape + embeddingDim).
 * @example <Sequential><Embedding numEmbeddings={30} embeddingDim={8} /><LSTM hiddenSize={16} /></Sequential>
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Embedding.html
 */
export const Embedding = defineLayer<EmbeddingProps>(
  {
    type: 'Embedding',
    description: 'Lookup table of learnt vectors for token ids',
    hasWeights: true,
    props: {
      numEmbeddings: prop.positiveInt(),
      embeddingDim: prop.positiveInt(),
    },
    normalize: (p, ctx) => {
      if (p.biasInit !== undefined) ctx.fail('Embedding has no bias, so no biasInit — set its table with weightInit');
      return p;
    },
    outputShape: (p, input) => [...input, p.embeddingDim],
    params: (p) => p.numEmbeddings * p.embeddingDim,
    build: (p, ctx) => {
      // PyTorch: weight [num, dim] ~ N(0, 1); as a 2-D tensor its fan_in is dim, fan_out num.
      const fans = { fanIn: p.embeddingDim, fanOut: p.numEmbeddings };
      const layer = tf.layers.embedding({
        inputDim: p.numEmbeddings,
        outputDim: p.embeddingDim,
        embeddingsInitializer: ctx.initializer('weight', fans, p.weightInit ?? 'normal'),
        trainable: ctx.trainable,
        name: ctx.name(),
      });
      return (x) => layer.apply(x) as tf.SymbolicTensor;
    },
  },
  { builtin: true },
);

// ---------------------------------------------------------------------------------------------

/** Props of `<TimeDistributed>`: its children run on every step. */
export interface TimeDistributedProps extends CommonProps {}

/**
 * Applies its children (in order, as a Sequential) to every time step separately, with the
 * same weights — Keras' `TimeDistributed`; in PyTorch, folding time into the batch
 * (`x.view(B*T, …)`) around the layers. Handy for per-frame convolutions or flattening each
 * step before an LSTM. (`<Linear>` already acts on the last axis of `[time, features]`.)
 *
 * Input shape: `[time, …step]`.
 * Output shape: `[time, …children's output for one step]`.
 * @example <TimeDistributed><Conv2d outChannels={4} kernelSize={3} /><Flatten /></TimeDistributed>
 */
export const TimeDistributed = defineLayer<TimeDistributedProps>(
  {
    type: 'TimeDistributed',
    description: 'Applies its children to every time step',
    container: true,
    props: {},
    outputShape: (_p, input, ctx) => {
      if (ctx.childCount === 0) {
        ctx.fail(
          '<TimeDistributed> needs at least one layer to apply to each step, e.g. <TimeDistributed><Flatten /></TimeDistributed>',
          'structure',
        );
      }
      if (input.length < 2) {
        ctx.fail(
          `TimeDistributed expects input of shape [batch, time, …] — at least [time, features] per example — but gets ${describe(input)}${from(ctx)}`,
          'shape',
        );
      }
      const [time, ...step] = input as [number, ...number[]];
      return [time, ...ctx.chain(step)];
    },
    build: (_p, ctx) => {
      const fold = new FoldTimeLayer({ name: ctx.name('fold') });
      const unfold = new UnfoldTimeLayer({ steps: ctx.inputShape[0] as number, name: ctx.name('unfold') });
      return (x) => unfold.apply(ctx.chain(fold.apply(x) as tf.SymbolicTensor)) as tf.SymbolicTensor;
    },
  },
  { builtin: true },
);
