import * as tf from '@tensorflow/tfjs';
import { createRng } from '../random';
import type { Initializer } from './init';

/**
 * Custom tfjs layers behind the sequence and composition built-ins. tfjs' own LSTM/GRU keep
 * one bias per gate set (PyTorch keeps two, b_ih and b_hh), order their gates differently,
 * and its GRU's `resetAfter` is not PyTorch's n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn));
 * so the recurrences here are written from PyTorch's equations, with PyTorch's parameter
 * names, shapes and order — a `state_dict()` maps one to one.
 */

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type TfShape = tf.Shape;
type Kwargs = Record<string, unknown>;

function one(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
}

function oneShape(shape: TfShape | TfShape[]): TfShape {
  return Array.isArray(shape[0]) ? (shape[0] as TfShape) : (shape as TfShape);
}

// ---------------------------------------------------------------------------------------------

/** PyTorch's `mode` names: `nn.RNN(nonlinearity='tanh'|'relu')`, `nn.LSTM`, `nn.GRU`. */
export type RecurrentMode = 'rnnTanh' | 'rnnRelu' | 'lstm' | 'gru';

/** Gate blocks stacked in each weight: LSTM (i, f, g, o), GRU (r, z, n), plain RNN one. */
export const GATES: Readonly<Record<RecurrentMode, number>> = { rnnTanh: 1, rnnRelu: 1, lstm: 4, gru: 3 };

export interface RecurrentLayerArgs extends LayerArgs {
  mode: RecurrentMode;
  hiddenSize: number;
  numLayers?: number;
  bidirectional?: boolean;
  /** Output every step `[batch, time, hidden·directions]` instead of the final state `[batch, hidden·directions]`. */
  returnSequences?: boolean;
  /** Dropout on the outputs of every layer but the last, while training (PyTorch's `dropout`). */
  dropout?: number;
  /** Learn b_ih and b_hh. Default true. */
  bias?: boolean;
  /** Seeds the dropout masks. */
  seed?: number;
  /** Initialiser per weight, by PyTorch name (`weight_ih_l0`, `bias_hh_l1_reverse`); default U(−1/√hidden, 1/√hidden). */
  initializer?: (weightName: string, shape: number[]) => Initializer;
}

interface DirectionWeights {
  ih: tf.LayerVariable;
  hh: tf.LayerVariable;
  bih: tf.LayerVariable | null;
  bhh: tf.LayerVariable | null;
}

/**
 * A stack of `numLayers` recurrent layers, optionally bidirectional, exactly as PyTorch's
 * `nn.RNN` / `nn.LSTM` / `nn.GRU` with `batch_first=True` and a zero initial state.
 *
 * Weights, in PyTorch's `parameters()` order, for each layer l and direction (suffix
 * `_reverse` for the backward one): `weight_ih_l{l}` [G·H, in], `weight_hh_l{l}` [G·H, H],
 * `bias_ih_l{l}` [G·H], `bias_hh_l{l}` [G·H] — G gate blocks stacked in PyTorch's order, the
 * input size `in` being the features for l = 0 and H·directions above.
 *
 * Input shape: `[batch, time, features]`.
 * Output shape: `[batch, time, H·directions]` with `returnSequences`, else `[batch, H·directions]`:
 * PyTorch's `h_n` of the last layer, both directions concatenated (forward's state after the
 * last step, backward's after the first).
 */
export class RecurrentLayer extends tf.layers.Layer {
  static className = 'ReactNNRecurrent';
  readonly mode: RecurrentMode;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly returnSequences: boolean;
  readonly dropout: number;
  readonly bias: boolean;
  readonly seed: number | undefined;
  readonly #initializer: RecurrentLayerArgs['initializer'];
  readonly #nextSeed: () => number;
  /** cells[layer][direction] */
  #cells: DirectionWeights[][] = [];

  constructor(args: RecurrentLayerArgs) {
    super(args);
    this.mode = args.mode;
    this.hiddenSize = args.hiddenSize;
    this.numLayers = args.numLayers ?? 1;
    this.bidirectional = args.bidirectional ?? false;
    this.returnSequences = args.returnSequences ?? false;
    this.dropout = args.dropout ?? 0;
    this.bias = args.bias ?? true;
    this.seed = args.seed;
    this.#initializer = args.initializer;
    const rng = args.seed === undefined ? Math.random : createRng(args.seed);
    this.#nextSeed = () => Math.floor(rng() * 2 ** 31);
  }

  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  override build(inputShape: TfShape | TfShape[]): void {
    const shape = oneShape(inputShape);
    const features = shape[2];
    if (shape.length !== 3 || features == null) {
      throw new Error(
        `${this.mode} needs [batch, time, features] input with known features (got ${JSON.stringify(shape)})`,
      );
    }
    const H = this.hiddenSize;
    const GH = GATES[this.mode] * H;
    const bound = 1 / Math.sqrt(H);
    const pytorchDefault = () => tf.initializers.randomUniform({ minval: -bound, maxval: bound });
    const add = (name: string, shape: number[]) =>
      this.addWeight(name, shape, 'float32', this.#initializer?.(name, shape) ?? pytorchDefault(), undefined, true);
    this.#cells = [];
    for (let l = 0; l < this.numLayers; l++) {
      const inSize = l === 0 ? features : H * this.directions;
      const row: DirectionWeights[] = [];
      for (let d = 0; d < this.directions; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        // PyTorch's order within a layer and direction: weight_ih, weight_hh, bias_ih, bias_hh.
        const ih = add(`weight_ih${sfx}`, [GH, inSize]);
        const hh = add(`weight_hh${sfx}`, [GH, H]);
        const bih = this.bias ? add(`bias_ih${sfx}`, [GH]) : null;
        const bhh = this.bias ? add(`bias_hh${sfx}`, [GH]) : null;
        row.push({ ih, hh, bih, bhh });
      }
      this.#cells.push(row);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    const [batch, time] = oneShape(inputShape);
    const units = this.hiddenSize * this.directions;
    return this.returnSequences ? [batch ?? null, time ?? null, units] : [batch ?? null, units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const training = kwargs.training === true;
    // Drawn outside tidy: the stream advances once per training call, as DropoutLayer's does.
    const seeds =
      training && this.dropout > 0 ? Array.from({ length: this.numLayers - 1 }, () => this.#nextSeed()) : [];
    return tf.tidy(() => {
      // Internally time-major with features first, [T, features, B], and states [H, B]: every
      // per-step slice (a step, a gate block) is then a contiguous block of rows, which tfjs
      // slices without copying element by element — slicing columns costs more than the maths.
      let seq = tf.transpose(one(inputs), [1, 2, 0]);
      let finals: tf.Tensor[] = [];
      for (let l = 0; l < this.numLayers; l++) {
        const last = l === this.numLayers - 1;
        // The last layer's per-step outputs are only needed when the caller wants them.
        const needSequence = !last || this.returnSequences;
        const runs = (this.#cells[l] as DirectionWeights[]).map((w, d) => this.#run(seq, w, d === 1, needSequence));
        finals = runs.map((r) => r.final);
        if (needSequence) {
          const seqs = runs.map((r) => r.sequence as tf.Tensor);
          // Both directions side by side on the feature axis, forward first (PyTorch's output layout).
          seq = seqs.length === 1 ? (seqs[0] as tf.Tensor) : tf.concat(seqs, 1);
          if (!last && training && this.dropout > 0) seq = tf.dropout(seq, this.dropout, undefined, seeds[l]);
        }
      }
      if (this.returnSequences) return tf.transpose(seq, [2, 0, 1]);
      return tf.transpose(finals.length === 1 ? (finals[0] as tf.Tensor) : tf.concat(finals, 0));
    });
  }

  /** One direction of one layer over every step of `seq` [T, in, B], from a zero state; states are [H, B]. */
  #run(
    seq: tf.Tensor,
    w: DirectionWeights,
    reverse: boolean,
    needSequence: boolean,
  ): { sequence: tf.Tensor | null; final: tf.Tensor } {
    const [T, inSize, B] = seq.shape as [number, number, number];
    const H = this.hiddenSize;
    const flat = tf.reshape(tf.transpose(seq, [1, 0, 2]), [inSize, T * B]);
    // The input half of gate rows [from, from + rows) for all steps in one matMul: W_ih·x → [T, rows, B].
    const project = (weight: tf.Tensor, rows: number) =>
      tf.transpose(tf.reshape(tf.matMul(weight, flat), [rows, T, B]), [1, 0, 2]);
    const column = (b: tf.Tensor) => tf.reshape(b, [-1, 1]);
    const bih = w.bih?.read();
    const bhh = w.bhh?.read();
    const h0 = tf.zeros([H, B]);
    const outputs: tf.Tensor[] = new Array(T);
    const order = Array.from({ length: T }, (_v, k) => (reverse ? T - 1 - k : k));
    let h = h0;

    if (this.mode === 'gru') {
      // r and z take b_ih + b_hh together; the new gate keeps b_hn inside r ⊙ (W_hn h + b_hn).
      const [wihRZ, wihN] = tf.split(w.ih.read(), [2 * H, H], 0) as [tf.Tensor, tf.Tensor];
      const [whhRZ, whhN] = tf.split(w.hh.read(), [2 * H, H], 0) as [tf.Tensor, tf.Tensor];
      let xRZ = project(wihRZ, 2 * H);
      let xN = project(wihN, H);
      let bhn: tf.Tensor | null = null;
      if (bih && bhh) {
        const [bihRZ, bihN] = tf.split(bih, [2 * H, H]) as [tf.Tensor, tf.Tensor];
        const [bhhRZ, bhhN] = tf.split(bhh, [2 * H, H]) as [tf.Tensor, tf.Tensor];
        xRZ = tf.add(xRZ, column(tf.add(bihRZ, bhhRZ)));
        xN = tf.add(xN, column(bihN));
        bhn = column(bhhN);
      }
      const stepsRZ = tf.unstack(xRZ);
      const stepsN = tf.unstack(xN);
      for (const t of order) {
        const rz = tf.sigmoid(tf.add(stepsRZ[t] as tf.Tensor, tf.matMul(whhRZ, h)));
        const [r, z] = tf.split(rz, 2, 0) as [tf.Tensor, tf.Tensor];
        let hn = tf.matMul(whhN, h);
        if (bhn) hn = tf.add(hn, bhn);
        const n = tf.tanh(tf.add(stepsN[t] as tf.Tensor, tf.mul(r, hn)));
        // h' = (1 − z) ⊙ n + z ⊙ h, written as n + z ⊙ (h − n)
        h = tf.add(n, tf.mul(z, tf.sub(h, n)));
        outputs[t] = h;
      }
    } else {
      const GH = GATES[this.mode] * H;
      // Plain RNN and LSTM: b_ih + b_hh is one constant per gate row, added once for all steps.
      let xp = project(w.ih.read(), GH);
      if (bih && bhh) xp = tf.add(xp, column(tf.add(bih, bhh)));
      const steps = tf.unstack(xp);
      const whh = w.hh.read();
      let c = h0;
      for (const t of order) {
        const pre = tf.add(steps[t] as tf.Tensor, tf.matMul(whh, h));
        if (this.mode === 'lstm') {
          // PyTorch's gate order: input, forget, cell (g), output.
          const [i, f, g, o] = tf.split(pre, 4, 0) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
          c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
          h = tf.mul(tf.sigmoid(o), tf.tanh(c));
        } else {
          h = this.mode === 'rnnRelu' ? tf.relu(pre) : tf.tanh(pre);
        }
        outputs[t] = h;
      }
    }
    // After the loop h is the direction's final state: the last step forwards, the first backwards.
    return { sequence: needSequence ? tf.stack(outputs) : null, final: h };
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      mode: this.mode,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      bidirectional: this.bidirectional,
      returnSequences: this.returnSequences,
      dropout: this.dropout,
      bias: this.bias,
    };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}
tf.serialization.registerClass(RecurrentLayer);

// ---------------------------------------------------------------------------------------------

/**
 * `[batch, time, …]` → `[batch·time, …]`: folds the steps into the batch so that the layers
 * inside `<TimeDistributed>` see one step at a time. Paired with {@link UnfoldTimeLayer}.
 */
export class FoldTimeLayer extends tf.layers.Layer {
  static className = 'ReactNNFoldTime';

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return [null, ...oneShape(inputShape).slice(2)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      return tf.reshape(x, [-1, ...x.shape.slice(2)]);
    });
  }
}
tf.serialization.registerClass(FoldTimeLayer);

export interface UnfoldTimeArgs extends LayerArgs {
  steps: number;
}

/** `[batch·time, …]` → `[batch, time, …]`, undoing {@link FoldTimeLayer}. */
export class UnfoldTimeLayer extends tf.layers.Layer {
  static className = 'ReactNNUnfoldTime';
  readonly steps: number;

  constructor(args: UnfoldTimeArgs) {
    super(args);
    this.steps = args.steps;
  }

  override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape {
    return [null, this.steps, ...oneShape(inputShape).slice(1)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      return tf.reshape(x, [-1, this.steps, ...x.shape.slice(1)]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), steps: this.steps };
  }
}
tf.serialization.registerClass(UnfoldTimeLayer);
