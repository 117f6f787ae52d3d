// RNN, LSTM, GRU against PyTorch: parameter counts, names and shapes (state_dict one to one),
// hand-computed steps, a float64 reference of PyTorch's equations (layers × directions × steps),
// initialisation, errors; Embedding and TimeDistributed; save/load and tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { GraphNode, Shape } from '../../graph/types';
import { analyze, compileGraph } from '../../runtime/compile';
import { analyze as analyzeOnly, el, errorOf, expectClose, run, seq, tfLayer } from './util';

const TOL = 1e-5;
const models: tf.LayersModel[] = [];
function compile(layers: GraphNode[], inputShape: Shape, seed = 1): tf.LayersModel {
  const model = compileGraph(analyze(seq(...layers), inputShape), { seed });
  models.push(model);
  return model;
}
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe('parameter counts equal PyTorch’s', () => {
  // Per layer and direction: G·H·(in + H) + 2·G·H (two bias vectors, b_ih and b_hh), G gate blocks
  // (RNN 1, GRU 3, LSTM 4); in = features for layer 0, H·directions above. H = 20, features = 10.
  const cases: [string, Record<string, unknown>, number, string][] = [
    ['RNN', {}, 640, '20·(10+20) + 2·20 = 600 + 40'],
    ['GRU', {}, 1920, '3·20·(10+20) + 6·20 = 1800 + 120'],
    ['LSTM', {}, 2560, '4·20·(10+20) + 8·20 = 2400 + 160'],
    ['RNN', { numLayers: 2 }, 1480, '640 + [20·(20+20) + 40 = 840]'],
    ['GRU', { numLayers: 2 }, 4440, '1920 + [3·20·40 + 120 = 2520]'],
    ['LSTM', { numLayers: 2 }, 5920, '2560 + [4·20·40 + 160 = 3360]'],
    ['RNN', { bidirectional: true }, 1280, '2 · 640'],
    ['GRU', { bidirectional: true }, 3840, '2 · 1920'],
    ['LSTM', { bidirectional: true }, 5120, '2 · 2560'],
    ['RNN', { numLayers: 2, bidirectional: true }, 3760, '1280 + 2·[20·(40+20) + 40 = 1240]'],
    ['GRU', { numLayers: 2, bidirectional: true }, 11280, '3840 + 2·[3·20·60 + 120 = 3720]'],
    ['LSTM', { numLayers: 2, bidirectional: true }, 15040, '5120 + 2·[4·20·60 + 160 = 4960]'],
    ['LSTM', { bias: false }, 2400, '4·20·(10+20), no biases'],
  ];
  for (const [type, props, expected, arithmetic] of cases) {
    it(`${type}(10, 20, ${JSON.stringify(props)}) = ${expected} (${arithmetic})`, () => {
      const node = el(type, { hiddenSize: 20, ...props });
      const graph = analyzeOnly(seq(node), [7, 10]);
      expect(graph.totalParams).toBe(expected);
      expect(graph.trainableParams).toBe(expected);
      // tfjs holds exactly these parameters
      const model = compile([node], [7, 10]);
      expect(model.countParams()).toBe(expected);
    });
  }

  it('weights carry PyTorch’s names, shapes and order (state_dict maps one to one)', () => {
    const model = compile([el('LSTM', { hiddenSize: 2, numLayers: 2, bidirectional: true })], [5, 3]);
    const layer = tfLayer(model, 'Sequential/LSTM_0');
    const named = layer.weights.map((w) => [w.originalName.replace('Sequential/LSTM_0/', ''), w.shape]);
    // torch.nn.LSTM(3, 2, num_layers=2, bidirectional=True).named_parameters()
    expect(named).toEqual([
      ['weight_ih_l0', [8, 3]],
      ['weight_hh_l0', [8, 2]],
      ['bias_ih_l0', [8]],
      ['bias_hh_l0', [8]],
      ['weight_ih_l0_reverse', [8, 3]],
      ['weight_hh_l0_reverse', [8, 2]],
      ['bias_ih_l0_reverse', [8]],
      ['bias_hh_l0_reverse', [8]],
      ['weight_ih_l1', [8, 4]],
      ['weight_hh_l1', [8, 2]],
      ['bias_ih_l1', [8]],
      ['bias_hh_l1', [8]],
      ['weight_ih_l1_reverse', [8, 4]],
      ['weight_hh_l1_reverse', [8, 2]],
      ['bias_ih_l1_reverse', [8]],
      ['bias_hh_l1_reverse', [8]],
    ]);
  });
});

describe('output shapes', () => {
  const out = (props: Record<string, unknown>, type = 'LSTM') =>
    analyzeOnly(seq(el(type, { hiddenSize: 6, ...props })), [9, 4]).outputShape;
  it('many-to-one by default; many-to-many with returnSequences; directions concatenated', () => {
    expect(out({})).toEqual([6]);
    expect(out({ bidirectional: true })).toEqual([12]);
    expect(out({ returnSequences: true })).toEqual([9, 6]);
    expect(out({ returnSequences: true, bidirectional: true, numLayers: 3 }, 'GRU')).toEqual([9, 12]);
    const model = compile([el('GRU', { hiddenSize: 6, returnSequences: true, bidirectional: true })], [9, 4]);
    expect(model.outputs[0]?.shape).toEqual([null, 9, 12]);
  });
});

/** Sets one recurrent layer's weights from PyTorch-layout arrays, in parameters() order. */
function setWeights(model: tf.LayersModel, id: string, values: number[][]): void {
  const layer = tfLayer(model, id);
  tf.tidy(() => layer.setWeights(layer.weights.map((w, i) => tf.tensor(values[i] as number[], w.shape as number[]))));
}

describe('one step with fixed weights equals a hand computation', () => {
  // One step from h0 = c0 = 0 with x = [1, 2] and H = 1, so W_hh·h0 = 0 and only the biases of
  // the hidden half remain. Gate rows are stacked in PyTorch's order.
  it('LSTM (gates i, f, g, o; c = f⊙c0 + i⊙g; h = o⊙tanh(c))', () => {
    const model = compile([el('LSTM', { hiddenSize: 1 })], [1, 2]);
    setWeights(model, 'Sequential/LSTM_0', [
      [0.5, -0.5, 0.1, 0.2, 0.3, 0.4, -0.2, 0.6], // weight_ih [4, 2]: rows i, f, g, o
      [1, 1, 1, 1], // weight_hh [4, 1] (times h0 = 0)
      [0.1, 0.2, 0.3, 0.4], // bias_ih
      [0, 0.1, -0.1, 0.2], // bias_hh
    ]);
    // i = σ(0.5 − 1 + 0.1 + 0) = σ(−0.4); f = σ(0.8); g = tanh(0.3 + 0.8 + 0.3 − 0.1) = tanh(1.3);
    // o = σ(−0.2 + 1.2 + 0.4 + 0.2) = σ(1.6). c = σ(−0.4)·tanh(1.3) = 0.3458201373993133,
    // h = σ(1.6)·tanh(c) = 0.2767820892552274
    expectClose(run(model, [[1, 2]]), [0.2767820892552274], TOL);
    expectClose(run(model, [[1, 2]]), [sigmoid(1.6) * Math.tanh(sigmoid(-0.4) * Math.tanh(1.3))], TOL);
  });

  it('GRU (gates r, z, n; n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)), h = (1 − z)⊙n + z⊙h0)', () => {
    const model = compile([el('GRU', { hiddenSize: 1 })], [1, 2]);
    setWeights(model, 'Sequential/GRU_0', [
      [0.2, -0.1, 0.4, 0.3, -0.5, 0.6], // weight_ih [3, 2]: rows r, z, n
      [1, 1, 1], // weight_hh [3, 1]
      [0.1, -0.2, 0.05], // bias_ih
      [0.3, 0.1, -0.4], // bias_hh — b_hn = −0.4 sits inside the reset gate's product
    ]);
    // r = σ(0.2 − 0.2 + 0.1 + 0.3) = σ(0.4) = 0.598687660112452; z = σ(0.4 + 0.6 − 0.2 + 0.1) = σ(0.9);
    // n = tanh(−0.5 + 1.2 + 0.05 + r·(−0.4)) = 0.4703541026645608; h = (1 − σ(0.9))·n = 0.13595608731756129.
    // (tfjs' GRU with resetAfter would give tanh(… + r·0 …) patterns of its own — PyTorch's is this one.)
    expectClose(run(model, [[1, 2]]), [0.13595608731756129], TOL);
  });

  it('RNN (h = tanh(W_ih x + b_ih + W_hh h0 + b_hh)) and relu', () => {
    const weights = [[0.5, -0.25], [2], [0.1], [0.2]];
    const model = compile([el('RNN', { hiddenSize: 1 })], [1, 2]);
    setWeights(model, 'Sequential/RNN_0', weights);
    expectClose(run(model, [[1, 2]]), [0.2913126124515909], TOL); // tanh(0.5 − 0.5 + 0.3)
    const relu = compile([el('RNN', { hiddenSize: 1, nonlinearity: 'relu' })], [1, 2]);
    setWeights(relu, 'Sequential/RNN_0', weights);
    expectClose(run(relu, [[-1, 2]]), [0], TOL); // relu(−0.5 − 0.5 + 0.3)
  });
});

// ---- a float64 reference of PyTorch's equations ----

type Mode = 'RNN' | 'LSTM' | 'GRU';
const GATES: Record<Mode, number> = { RNN: 1, LSTM: 4, GRU: 3 };

/** y = W·x + b for W [rows, cols] flat. */
function affine(w: Float32Array, x: number[], rows: number, b?: Float32Array): number[] {
  const cols = x.length;
  return Array.from({ length: rows }, (_r, r) => {
    let s = b ? (b[r] as number) : 0;
    for (let c = 0; c < cols; c++) s += (w[r * cols + c] as number) * (x[c] as number);
    return s;
  });
}

/** PyTorch's forward for one example [T][F] → { output [T][H·D], hN [layers·D][H] }. */
function reference(mode: Mode, xs: number[][], weights: Float32Array[], H: number, layers: number, D: number) {
  const G = GATES[mode];
  let input = xs;
  const hN: number[][] = [];
  let k = 0;
  for (let l = 0; l < layers; l++) {
    const outs: number[][][] = [];
    for (let d = 0; d < D; d++) {
      const [wih, whh, bih, bhh] = weights.slice(k, k + 4) as Float32Array[];
      k += 4;
      let h = new Array(H).fill(0);
      let c = new Array(H).fill(0);
      const out: number[][] = new Array(input.length);
      for (let s = 0; s < input.length; s++) {
        const t = d === 0 ? s : input.length - 1 - s;
        const gi = affine(wih as Float32Array, input[t] as number[], G * H, bih);
        const gh = affine(whh as Float32Array, h, G * H, bhh);
        const at = (g: number[], gate: number, j: number) => g[gate * H + j] as number;
        if (mode === 'RNN') h = h.map((_v, j) => Math.tanh(at(gi, 0, j) + at(gh, 0, j)));
        else if (mode === 'LSTM') {
          const next = h.map((_v, j) => {
            const i = sigmoid(at(gi, 0, j) + at(gh, 0, j));
            const f = sigmoid(at(gi, 1, j) + at(gh, 1, j));
            const g = Math.tanh(at(gi, 2, j) + at(gh, 2, j));
            const o = sigmoid(at(gi, 3, j) + at(gh, 3, j));
            const cj = f * (c[j] as number) + i * g;
            return [cj, o * Math.tanh(cj)] as const;
          });
          c = next.map((v) => v[0]);
          h = next.map((v) => v[1]);
        } else {
          h = h.map((hj, j) => {
            const r = sigmoid(at(gi, 0, j) + at(gh, 0, j));
            const z = sigmoid(at(gi, 1, j) + at(gh, 1, j));
            const n = Math.tanh(at(gi, 2, j) + r * at(gh, 2, j));
            return (1 - z) * n + z * hj;
          });
        }
        out[t] = h;
      }
      outs.push(out);
      hN.push(h);
    }
    input = input.map((_x, t) => outs.flatMap((o) => o[t] as number[]));
  }
  return { output: input, hN };
}

describe('many steps, stacked and bidirectional, equal PyTorch’s equations (float64 reference)', () => {
  const xs = [
    [0.5, -1, 2],
    [1.5, 0.25, -0.5],
    [-1, 1, 0],
    [0.3, 0.3, -2],
  ];
  for (const mode of ['RNN', 'GRU', 'LSTM'] as const) {
    it(`${mode}: 2 layers × 2 directions × 4 steps, output and h_n`, () => {
      const type = mode;
      const props = { hiddenSize: 3, numLayers: 2, bidirectional: true };
      const seqModel = compile([el(type, { ...props, returnSequences: true })], [4, 3], 7);
      const lastModel = compile([el(type, props)], [4, 3], 7);
      const weights = tfLayer(seqModel, `Sequential/${type}_0`)
        .getWeights()
        .map((w) => w.dataSync() as Float32Array);
      const ref = reference(mode, xs, weights, 3, 2, 2);
      expectClose(run(seqModel, xs), ref.output, TOL);
      // h_n of the last layer: forward after the last step, backward after the first
      expectClose(run(lastModel, xs), [...(ref.hN[2] as number[]), ...(ref.hN[3] as number[])], TOL);
      // The backward direction's final state is its output at t = 0, not at t = T − 1
      expectClose((ref.output[0] as number[]).slice(3), ref.hN[3], 1e-12);
    });
  }
});

describe('initialisation', () => {
  it('default: every weight and bias ~ U(−1/√H, 1/√H), each tensor drawn separately', () => {
    const H = 16;
    const model = compile([el('GRU', { hiddenSize: H, bidirectional: true })], [5, 4]);
    const ws = tfLayer(model, 'Sequential/GRU_0')
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
    const bound = 1 / Math.sqrt(H);
    for (const w of ws) {
      expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.8 * bound);
    }
    // forward and reverse directions do not start as copies
    expect(ws[1]).not.toEqual(ws[5]);
  });

  it("recurrentInit 'orthogonal': weight_hh has orthonormal columns; weightInit 'xavierUniform' bounds weight_ih", () => {
    const H = 4;
    const model = compile(
      [el('LSTM', { hiddenSize: H, recurrentInit: 'orthogonal', weightInit: 'xavierUniform', biasInit: 0 })],
      [5, 6],
    );
    const [wih, whh, bih] = tfLayer(model, 'Sequential/LSTM_0').getWeights() as tf.Tensor[];
    // weight_hh [4H, H]: WᵀW = I
    const gram = tf.tidy(() => tf.matMul(whh as tf.Tensor, whh as tf.Tensor, true, false).arraySync());
    expectClose(
      gram,
      Array.from({ length: H }, (_r, i) => Array.from({ length: H }, (_c, j) => (i === j ? 1 : 0))),
      1e-4,
    );
    // xavier bound √(6 / (fanIn + fanOut)) with PyTorch's fans of a [4H, in] matrix: in = 6, out = 16
    const bound = Math.sqrt(6 / (6 + 16));
    expect(Math.max(...Array.from((wih as tf.Tensor).dataSync()).map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Array.from((bih as tf.Tensor).dataSync())).toEqual(new Array(16).fill(0));
  });
});

describe('dropout between stacked layers', () => {
  it('acts only while training, and seeded models repeat their masks', () => {
    const layers = [el('LSTM', { hiddenSize: 8, numLayers: 2, dropout: 0.5 })];
    const a = compile(layers, [6, 2], 3);
    const b = compile(layers, [6, 2], 3);
    const x = tf.randomNormal([4, 6, 2], 0, 1, 'float32', 1);
    const [inferA, inferB, trainA, trainA2, trainB] = tf.tidy(() => [
      (a.predict(x) as tf.Tensor).arraySync(),
      (a.apply(x, { training: false }) as tf.Tensor).arraySync(),
      (a.apply(x, { training: true }) as tf.Tensor).arraySync(),
      (a.apply(x, { training: true }) as tf.Tensor).arraySync(),
      (b.apply(x, { training: true }) as tf.Tensor).arraySync(),
    ]);
    x.dispose();
    expect(inferA).toEqual(inferB);
    expect(trainA).not.toEqual(inferA);
    // A new mask on every call, the same stream for the same seed
    expect(trainA2).not.toEqual(trainA);
    expect(trainB).toEqual(trainA);
  });
});

describe('bad input', () => {
  it('2-D data into an LSTM names the expected [batch, time, features] and what it got', () => {
    const e = errorOf(() => analyzeOnly(seq(el('LSTM', { hiddenSize: 8 })), [10]));
    expect(e.code).toBe('shape');
    expect(e.path).toBe('Sequential > LSTM[0]');
    expect(e.message).toContain('[batch, time, features]');
    expect(e.message).toContain('gets [10] per example');
    expect(e.message).toContain('inputShape={[10, 1]}');
    // after a layer, the message names it
    const after = errorOf(() => analyzeOnly(seq(el('Linear', { outFeatures: 4 }), el('GRU', { hiddenSize: 2 })), [3]));
    expect(after.message).toContain('from Linear (Sequential > Linear[0])');
    const images = errorOf(() => analyzeOnly(seq(el('RNN', { hiddenSize: 2 })), [4, 4, 1]));
    expect(images.message).toContain('gets [4, 4, 1] per example');
    expect(images.message).toContain('TimeDistributed');
  });

  it('hiddenSize ≤ 0, dropout without stacking, biasInit without bias', () => {
    for (const hiddenSize of [0, -3]) {
      const e = errorOf(() => analyzeOnly(seq(el('GRU', { hiddenSize })), [5, 2]));
      expect(e.message).toBe(`Sequential > GRU[0]: hiddenSize must be a positive integer (got ${hiddenSize})`);
    }
    expect(errorOf(() => analyzeOnly(seq(el('LSTM')), [5, 2])).message).toContain('hiddenSize is required');
    const drop = errorOf(() => analyzeOnly(seq(el('LSTM', { hiddenSize: 4, dropout: 0.2 })), [5, 2]));
    expect(drop.message).toContain('numLayers={2}');
    const bias = errorOf(() => analyzeOnly(seq(el('RNN', { hiddenSize: 4, bias: false, biasInit: 0 })), [5, 2]));
    expect(bias.message).toContain('bias={false}');
    const nl = errorOf(() => analyzeOnly(seq(el('RNN', { hiddenSize: 4, nonlinearity: 'sigmoid' })), [5, 2]));
    expect(nl.message).toContain('nonlinearity must be one of "tanh", "relu"');
  });
});

describe('Embedding', () => {
  it('looks rows up by id; params num·dim; N(0, 1) init', () => {
    const graph = analyzeOnly(seq(el('Embedding', { numEmbeddings: 5, embeddingDim: 3 })), [4]);
    expect(graph.outputShape).toEqual([4, 3]);
    expect(graph.totalParams).toBe(15);
    const model = compile([el('Embedding', { numEmbeddings: 5, embeddingDim: 3 })], [4]);
    const table = Array.from({ length: 15 }, (_v, i) => i / 10);
    tf.tidy(() => tfLayer(model, 'Sequential/Embedding_0').setWeights([tf.tensor2d(table, [5, 3])]));
    // ids arrive as float32, as in every Dataset
    expectClose(
      run(model, [4, 0, 2, 2]),
      [
        [1.2, 1.3, 1.4],
        [0, 0.1, 0.2],
        [0.6, 0.7, 0.8],
        [0.6, 0.7, 0.8],
      ],
      TOL,
    );

    const big = compile([el('Embedding', { numEmbeddings: 500, embeddingDim: 20 })], [1]);
    const w = Array.from(tfLayer(big, 'Sequential/Embedding_0').getWeights()[0]?.dataSync() ?? []);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(std - 1)).toBeLessThan(0.05);
  });

  it('feeds an LSTM: Embedding → LSTM → Linear', () => {
    const graph = analyzeOnly(
      seq(
        el('Embedding', { numEmbeddings: 30, embeddingDim: 8 }),
        el('LSTM', { hiddenSize: 16 }),
        el('Linear', { outFeatures: 30 }),
      ),
      [12],
    );
    expect(graph.outputShape).toEqual([30]);
    // 30·8 + 4·16·(8+16) + 8·16 + 16·30 + 30
    expect(graph.totalParams).toBe(240 + 1536 + 128 + 480 + 30);
  });
});

describe('TimeDistributed', () => {
  it('applies its children to each step with shared weights', () => {
    const net = [
      el(
        'TimeDistributed',
        {},
        el('Conv2d', { outChannels: 2, kernelSize: 2 }),
        el('Flatten'),
        el('Linear', { outFeatures: 3 }),
      ),
      el('LSTM', { hiddenSize: 4 }),
    ];
    const graph = analyzeOnly(seq(...net), [5, 3, 3, 1]);
    expect(graph.root.children[0]?.outputShape).toEqual([5, 3]);
    expect(graph.outputShape).toEqual([4]);
    const model = compile(net, [5, 3, 3, 1]);
    expect(model.countParams()).toBe(graph.totalParams);
    // The same as running the per-step layers on each frame alone
    const frames = tf.randomNormal([2, 5, 3, 3, 1], 0, 1, 'float32', 2);
    const td = tf.model({
      inputs: model.inputs,
      outputs: tfLayer(model, 'Sequential/TimeDistributed_0.unfold').output,
    });
    const all = tf.tidy(() => (td.predict(frames) as tf.Tensor).arraySync()) as number[][][];
    const conv = tfLayer(model, 'Sequential/TimeDistributed_0/Conv2d_0');
    const flat = tfLayer(model, 'Sequential/TimeDistributed_0/Flatten_0');
    const lin = tfLayer(model, 'Sequential/TimeDistributed_0/Linear_0');
    const step2 = tf.tidy(() => {
      const frame = frames.slice([0, 2], [2, 1]).reshape([2, 3, 3, 1]);
      return (lin.apply(flat.apply(conv.apply(frame))) as tf.Tensor).arraySync();
    }) as number[][];
    frames.dispose();
    expectClose(
      all.map((ex) => ex[2]),
      step2,
      TOL,
    );
  });

  it('needs [time, …] input and at least one child', () => {
    expect(errorOf(() => analyzeOnly(seq(el('TimeDistributed', {}, el('ReLU'))), [4])).message).toContain(
      '[batch, time, …]',
    );
    expect(errorOf(() => analyzeOnly(seq(el('TimeDistributed')), [4, 2])).code).toBe('structure');
  });
});

describe('models with recurrent layers', () => {
  it('save and load again with the same outputs (registered ReactNNRecurrent)', async () => {
    const model = compile(
      [el('GRU', { hiddenSize: 5, numLayers: 2, bidirectional: true, dropout: 0.1 }), el('Linear', { outFeatures: 2 })],
      [6, 3],
    );
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    models.push(loaded);
    const x = tf.randomNormal([3, 6, 3], 0, 1, 'float32', 4);
    const [a, b] = tf.tidy(() => [
      (model.predict(x) as tf.Tensor).arraySync(),
      (loaded.predict(x) as tf.Tensor).arraySync(),
    ]);
    x.dispose();
    expectClose(b, a, 1e-6);
  });

  it('build, predict, train-mode gradients and dispose leak no tensors', () => {
    const net = () =>
      seq(
        el('Embedding', { numEmbeddings: 10, embeddingDim: 4 }),
        el('LSTM', { hiddenSize: 6, numLayers: 2, dropout: 0.2, bidirectional: true, returnSequences: true }),
        el('GRU', { hiddenSize: 3, returnSequences: true }),
        el('RNN', { hiddenSize: 2, nonlinearity: 'relu' }),
      );
    // Warm up tfjs' own caches before the baseline.
    compileGraph(analyze(seq(el('LSTM', { hiddenSize: 2 })), [2, 2]), { seed: 0 }).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const model = compileGraph(analyze(net(), [7]), { seed: i });
      const x = tf.tensor2d([0, 1, 2, 3, 4, 5, 6, 9, 8, 7, 6, 5, 4, 3], [2, 7]);
      tf.tidy(() => {
        model.predict(x);
      });
      const { value, grads } = tf.variableGrads(
        () => tf.sum(model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        model.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      // Every parameter gets a gradient
      expect(Object.keys(grads)).toHaveLength(model.trainableWeights.length);
      value.dispose();
      tf.dispose(Object.values(grads));
      x.dispose();
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
