// Forward passes with fixed weights against hand-computed values (tfjs' "Layer: Tensor" tests).
// Every comparison uses an absolute tolerance of 1e-5.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GraphNode, Shape } from '../../graph/types';
import { analyze, compileGraph } from '../../runtime/compile';
import { el, expectClose, run, seq, tfLayer, tfLayersOf } from './util';

const TOL = 1e-5;
const models: tf.LayersModel[] = [];

function compile(layers: GraphNode[], inputShape: Shape, seed = 1): tf.LayersModel {
  const model = compileGraph(analyze(seq(...layers), inputShape), { seed });
  models.push(model);
  return model;
}

/** Sets the weights of the node `Sequential/<child>` from plain arrays. */
function setWeights(model: tf.LayersModel, child: string, values: { data: number[]; shape: number[] }[]): void {
  tf.tidy(() => tfLayer(model, `Sequential/${child}`).setWeights(values.map((v) => tf.tensor(v.data, v.shape))));
}

/** A single-channel H×W image `[[[v]], …]` from rows of numbers. */
const image = (rows: number[][]) => rows.map((r) => r.map((v) => [v]));
/** x[i][j] = start + n·i + j for an n×n image: 1…16 for n = 4. */
const ramp = (n: number, sign = 1) =>
  Array.from({ length: n }, (_r, i) => Array.from({ length: n }, (_c, j) => sign * (n * i + j + 1)));

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

describe('Linear', () => {
  it('y = x·W + b with fixed weights', () => {
    const model = compile([el('Linear', { outFeatures: 2 })], [2]);
    // tfjs kernel is [in, out]: column j holds the weights of output j.
    setWeights(model, 'Linear_0', [
      { data: [1, 2, 3, 4], shape: [2, 2] },
      { data: [0.5, -1], shape: [2] },
    ]);
    // x = [1, −1]: y0 = 1·1 + (−1)·3 + 0.5 = −1.5; y1 = 1·2 + (−1)·4 − 1 = −3
    expectClose(run(model, [1, -1]), [-1.5, -3], TOL);
    // On [T, F] each row is transformed: rows [1, 0] and [0, 1] give W's rows + b
    const seqModel = compile([el('Linear', { outFeatures: 2, name: 'l' })], [2, 2]);
    tf.tidy(() =>
      tfLayer(seqModel, 'Sequential/Linear-nl').setWeights([tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor1d([0.5, -1])]),
    );
    expectClose(
      run(seqModel, [
        [1, 0],
        [0, 1],
      ]),
      [
        [1.5, 1],
        [3.5, 3],
      ],
      TOL,
    );
  });

  it('weightInit / biasInit constants', () => {
    const model = compile([el('Linear', { outFeatures: 3, weightInit: 0.5, biasInit: 1 })], [2]);
    // y = 0.5·(2 + 4) + 1 = 4 for every output
    expectClose(run(model, [2, 4]), [4, 4, 4], TOL);
  });
});

describe('Conv2d', () => {
  it('padding 1, stride 2 on a 5×5 image', () => {
    const model = compile([el('Conv2d', { outChannels: 1, kernelSize: 3, padding: 1, stride: 2 })], [5, 5, 1]);
    expect(tfLayersOf(model, 'Sequential/Conv2d_0').map((l) => l.name)).toEqual([
      'Sequential/Conv2d_0.pad',
      'Sequential/Conv2d_0',
    ]);
    // Kernel K = [[1, 0, 0], [0, 2, 0], [0, 0, −1]], bias 0.5; tfjs layout [kh, kw, inC, outC].
    setWeights(model, 'Conv2d_0', [
      { data: [1, 0, 0, 0, 2, 0, 0, 0, -1], shape: [3, 3, 1, 1] },
      { data: [0.5], shape: [1] },
    ]);
    // x[i][j] = 5i + j + 1 (1…25), zero outside. Output (a, b) centres on r = 2a, c = 2b:
    // y = x[r−1][c−1] + 2·x[r][c] − x[r+1][c+1] + 0.5
    // (0,0): 0 + 2·1 − 7 = −5   (0,1): 0 + 2·3 − 9 = −3   (0,2): 0 + 2·5 − 0 = 10
    // (1,0): 0 + 2·11 − 17 = 5  (1,1): 7 + 2·13 − 19 = 14 (1,2): 9 + 2·15 − 0 = 39
    // (2,0): 0 + 2·21 − 0 = 42  (2,1): 17 + 2·23 − 0 = 63 (2,2): 19 + 2·25 − 0 = 69
    const out = run(model, image(ramp(5)));
    expectClose(
      out,
      image([
        [-4.5, -2.5, 10.5],
        [5.5, 14.5, 39.5],
        [42.5, 63.5, 69.5],
      ]),
      TOL,
    );
  });

  it("'same' and dilation agree with the analysed shapes", () => {
    for (const props of [
      { padding: 'same', stride: 2 },
      { dilation: 2 },
      { dilation: 2, padding: 'same' },
      { kernelSize: [3, 1], padding: [1, 0], stride: [1, 2] },
    ]) {
      const graph = analyze(seq(el('Conv2d', { outChannels: 2, kernelSize: 3, ...props })), [7, 6, 1]);
      const model = compileGraph(graph, { seed: 1 });
      models.push(model);
      expect(model.outputs[0]?.shape.slice(1)).toEqual([...graph.outputShape]);
    }
  });

  it('dilation 2 reads every other pixel', () => {
    const model = compile(
      [el('Conv2d', { outChannels: 1, kernelSize: 2, dilation: 2, weightInit: 1, biasInit: 0 })],
      [3, 3, 1],
    );
    // Taps at (0,0), (0,2), (2,0), (2,2) of 1…9: 1 + 3 + 7 + 9 = 20
    expectClose(run(model, image(ramp(3))), [[[20]]], TOL);
  });
});

describe('pooling', () => {
  it('MaxPool2d 2×2 and AvgPool2d 2×2', () => {
    // x = 1…16 in a 4×4; 2×2 blocks {1,2,5,6} {3,4,7,8} {9,10,13,14} {11,12,15,16}
    const max = compile([el('MaxPool2d', { kernelSize: 2 })], [4, 4, 1]);
    expectClose(
      run(max, image(ramp(4))),
      image([
        [6, 8],
        [14, 16],
      ]),
      TOL,
    );
    const avg = compile([el('AvgPool2d', { kernelSize: 2 })], [4, 4, 1]);
    // (1+2+5+6)/4 = 3.5, (3+4+7+8)/4 = 5.5, (9+10+13+14)/4 = 11.5, (11+12+15+16)/4 = 13.5
    expectClose(
      run(avg, image(ramp(4))),
      image([
        [3.5, 5.5],
        [11.5, 13.5],
      ]),
      TOL,
    );
  });

  it('MaxPool2d pads with −∞: negative inputs never become 0', () => {
    const model = compile([el('MaxPool2d', { kernelSize: 3, stride: 2, padding: 1 })], [4, 4, 1]);
    // x = −1…−16; windows cover rows/cols 2a−1…2a+1, clipped to the image:
    // (0,0): {−1,−2,−5,−6} → −1   (0,1): {−2,−3,−4,−6,−7,−8} → −2
    // (1,0): {−5,−6,−9,−10,−13,−14} → −5   (1,1): {−6…−16 without col 0} → −6
    // Zero padding would have given 0 at every window touching the border.
    expectClose(
      run(model, image(ramp(4, -1))),
      image([
        [-1, -2],
        [-5, -6],
      ]),
      TOL,
    );
  });

  it('AvgPool2d counts padded zeros (count_include_pad=True)', () => {
    const model = compile([el('AvgPool2d', { kernelSize: 3, stride: 2, padding: 1 })], [4, 4, 1]);
    // Sums over the clipped windows, always divided by 9:
    // (0,0): 1+2+5+6 = 14 → 14/9   (0,1): 2+3+4+6+7+8 = 30 → 30/9
    // (1,0): 5+6+9+10+13+14 = 57 → 57/9   (1,1): 6+7+8+10+11+12+14+15+16 = 99 → 11
    expectClose(
      run(model, image(ramp(4))),
      image([
        [14 / 9, 30 / 9],
        [57 / 9, 11],
      ]),
      TOL,
    );
  });
});

describe('BatchNorm', () => {
  it('eval mode: y = γ(x − μ)/√(σ² + eps) + β', () => {
    const model = compile([el('BatchNorm1d', { numFeatures: 3 })], [3]);
    // Weights in order γ, β, running mean μ, running var σ².
    setWeights(model, 'BatchNorm1d_0', [
      { data: [1, 2, 0.5], shape: [3] },
      { data: [0, 1, -1], shape: [3] },
      { data: [1, 2, 3], shape: [3] },
      { data: [4, 1, 0.25], shape: [3] },
    ]);
    // x = [3, 2, 4]:
    // y0 = 1·(3 − 1)/√(4 + 1e-5) + 0 = 2/2.0000025 = 0.99999875
    // y1 = 2·(2 − 2)/√(1 + 1e-5) + 1 = 1
    // y2 = 0.5·(4 − 3)/√(0.25 + 1e-5) − 1 = 0.5/0.50001 − 1 = −0.0000199996
    expectClose(run(model, [3, 2, 4]), [0.99999875, 1, -0.0000199996], TOL);
  });

  it('BatchNorm2d normalises per channel (last axis)', () => {
    const model = compile([el('BatchNorm2d')], [1, 2, 2]);
    setWeights(model, 'BatchNorm2d_0', [
      { data: [1, 1], shape: [2] },
      { data: [0, 0], shape: [2] },
      { data: [1, -1], shape: [2] },
      { data: [4, 1], shape: [2] },
    ]);
    // channel 0: (x − 1)/√(4 + 1e-5), channel 1: (x + 1)/√(1 + 1e-5):
    // (3 − 1)/2.0000025 = 0.99999875   (2 + 1)/1.000005 = 2.999985
    // (5 − 1)/2.0000025 = 1.9999975    (0 + 1)/1.000005 = 0.999995
    expectClose(
      run(model, [
        [
          [3, 2],
          [5, 0],
        ],
      ]),
      [
        [
          [0.99999875, 2.999985],
          [1.9999975, 0.999995],
        ],
      ],
      TOL,
    );
  });

  it('training mode matches PyTorch, including the unbiased running variance', () => {
    const model = compile([el('BatchNorm1d')], [1]);
    const layer = tfLayer(model, 'Sequential/BatchNorm1d_0');
    // Batch [1, 3]: mean 2, biased var 1 (normalises), unbiased var 2 (running stats).
    // y = (x − 2)/√(1 + 1e-5) = ±0.999995
    // running_mean = 0.9·0 + 0.1·2 = 0.2; running_var = 0.9·1 + 0.1·2 = 1.1 (PyTorch; tfjs' own layer: 1.0)
    const y = tf.tidy(() => (layer.apply(tf.tensor2d([[1], [3]]), { training: true }) as tf.Tensor).arraySync());
    expectClose(y, [[-0.999995], [0.999995]], TOL);
    const [gamma, beta, mean, variance] = layer.getWeights().map((w) => w.arraySync());
    expectClose([gamma, beta, mean, variance], [1, 0, 0.2, 1.1], TOL);
  });

  it('trainable={false} freezes the running statistics too (inference mode while training)', () => {
    const model = compile([el('BatchNorm1d', { trainable: false })], [1]);
    const layer = tfLayer(model, 'Sequential/BatchNorm1d_0');
    // Running mean 0, var 1: y = x/√(1 + 1e-5) = x·0.999995, and the statistics do not move.
    const y = tf.tidy(() => (layer.apply(tf.tensor2d([[1], [3]]), { training: true }) as tf.Tensor).arraySync());
    expectClose(y, [[0.999995], [2.999985]], TOL);
    expectClose(
      layer.getWeights().map((w) => w.arraySync()),
      [1, 0, 0, 1],
      TOL,
    );
  });

  it('affine={false} has only running statistics and trains without γ/β', () => {
    const model = compile([el('BatchNorm1d', { affine: false })], [2]);
    const layer = tfLayer(model, 'Sequential/BatchNorm1d_0');
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[2], [2]]);
    // Batch [[0, 10], [2, 10]]: channel 0 mean 1, var 1 → ∓1/√(1 + 1e-5); channel 1 constant → 0
    const y = tf.tidy(() =>
      (
        layer.apply(
          tf.tensor2d([
            [0, 10],
            [2, 10],
          ]),
          { training: true },
        ) as tf.Tensor
      ).arraySync(),
    );
    expectClose(
      y,
      [
        [-0.999995, 0],
        [0.999995, 0],
      ],
      TOL,
    );
  });
});

describe('activations', () => {
  const at = (layer: GraphNode, xs: number[]) => run(compile([layer], [xs.length]), xs);

  it('ReLU, LeakyReLU (PyTorch slope 0.01), Sigmoid, Tanh', () => {
    expectClose(at(el('ReLU'), [-2, 0, 3]), [0, 0, 3], TOL);
    // −2·0.01 = −0.02 (tfjs' default slope would give −0.6)
    expectClose(at(el('LeakyReLU'), [-2, 0, 3]), [-0.02, 0, 3], TOL);
    expectClose(at(el('LeakyReLU', { negativeSlope: 0.2 }), [-2, 3]), [-0.4, 3], TOL);
    // σ(0) = 0.5, σ(2) = 1/(1 + e^−2) = 0.8807970779778823
    expectClose(at(el('Sigmoid'), [0, 2]), [0.5, 0.8807970779778823], TOL);
    // tanh(1) = 0.7615941559557649
    expectClose(at(el('Tanh'), [0, 1, -1]), [0, 0.7615941559557649, -0.7615941559557649], TOL);
  });

  it('PReLU: one shared slope 0.25, or one per channel', () => {
    // −2·0.25 = −0.5
    expectClose(at(el('PReLU'), [-2, 3]), [-0.5, 3], TOL);
    const model = compile([el('PReLU', { numParameters: 2 })], [1, 2]);
    const layer = tfLayer(model, 'Sequential/PReLU_0');
    expect(layer.getWeights()[0]?.shape).toEqual([1, 2]);
    setWeights(model, 'PReLU_0', [{ data: [0.1, 0.5], shape: [1, 2] }]);
    // channel 0: −2·0.1 = −0.2; channel 1: −2·0.5 = −1
    expectClose(run(model, [[-2, -2]]), [[-0.2, -1]], TOL);
    // A shared slope over an image is a single parameter.
    const image2d = compile([el('PReLU', { init: 0.1 })], [2, 2, 3]);
    expect(tfLayer(image2d, 'Sequential/PReLU_0').countParams()).toBe(1);
  });

  it('ELU with alpha 1 and 0.5', () => {
    // e^−1 − 1 = −0.6321205588285577
    expectClose(at(el('ELU'), [-1, 0, 2]), [-0.6321205588285577, 0, 2], TOL);
    // 0.5·(e^−1 − 1) = −0.31606027941427883
    expectClose(at(el('ELU', { alpha: 0.5 }), [-1, 2]), [-0.31606027941427883, 2], TOL);
  });

  it('GELU exact (erf) by default, tanh approximation on request', () => {
    // x·Φ(x): GELU(1) = 0.8413447460685429, GELU(−1) = −0.15865525393145707, GELU(2) = 1.9544997361036416
    expectClose(at(el('GELU'), [1, -1, 0, 2]), [0.8413447460685429, -0.15865525393145707, 0, 1.9544997361036416], TOL);
    // 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))): 0.8411919906082768 at 1, −0.15880800939172324 at −1
    expectClose(at(el('GELU', { approximate: 'tanh' }), [1, -1]), [0.8411919906082768, -0.15880800939172324], TOL);
  });

  it('BentIdentity', () => {
    // (√2 − 1)/2 + 1 = 1.2071067811865475; (√2 − 1)/2 − 1 = −0.7928932188134524; (√10 − 1)/2 + 3 = 4.08113883008419
    expectClose(
      at(el('BentIdentity'), [1, 0, -1, 3]),
      [(Math.SQRT2 - 1) / 2 + 1, 0, -0.7928932188134524, 4.08113883008419],
      TOL,
    );
  });

  it('Softmax: known values, rows sum to 1, and other dims', () => {
    // e^[1,2,3] / Σ = [0.09003057317038046, 0.24472847105479767, 0.6652409557748219]
    const y = at(el('Softmax'), [1, 2, 3]) as number[];
    expectClose(y, [0.09003057317038046, 0.24472847105479767, 0.6652409557748219], TOL);
    expect(Math.abs(y.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(TOL);
    // dim=1 over a [2, 3] input normalises each column: columns [0, 0], [1, 0], [2, 0]
    // → [0.5, 0.5], [e/(e+1), 1/(e+1)] = [0.7310585786300049, 0.2689414213699951], [0.8807970779778823, 0.11920292202211755]
    const cols = run(compile([el('Softmax', { dim: 1 })], [2, 3]), [
      [0, 1, 2],
      [0, 0, 0],
    ]);
    expectClose(
      cols,
      [
        [0.5, 0.7310585786300049, 0.8807970779778823],
        [0.5, 0.2689414213699951, 0.11920292202211755],
      ],
      TOL,
    );
    // dim=-1 and dim=2 are the same axis for a [2, 3] input: rows sum to 1
    for (const dim of [-1, 2]) {
      const rows = run(compile([el('Softmax', { dim })], [2, 3]), [
        [1, 2, 3],
        [0, 0, 0],
      ]) as number[][];
      expectClose(
        rows,
        [
          [0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
          [1 / 3, 1 / 3, 1 / 3],
        ],
        TOL,
      );
    }
  });
});

describe('Flatten, Identity, Dropout', () => {
  it('Flatten keeps NHWC order (h, w, c)', () => {
    const model = compile([el('Flatten')], [2, 1, 2]);
    expectClose(run(model, [[[1, 2]], [[3, 4]]]), [1, 2, 3, 4], TOL);
  });

  it('Identity passes through', () => {
    expectClose(run(compile([el('Identity')], [3]), [1, -2, 3]), [1, -2, 3], TOL);
  });

  it('Dropout: identity at inference; in training zeros or scales by 1/(1 − p), new mask per call, seeded', () => {
    const model = compile([el('Dropout', { p: 0.5 })], [64]);
    const ones = Array.from({ length: 64 }, () => 1);
    expectClose(run(model, ones), ones, TOL);
    const layer = tfLayer(model, 'Sequential/Dropout_0');
    const train = (l: tf.layers.Layer) =>
      tf.tidy(() => Array.from((l.apply(tf.ones([1, 64]), { training: true }) as tf.Tensor).dataSync()));
    const a = train(layer);
    const b = train(layer);
    expect(new Set(a)).toEqual(new Set([0, 2]));
    expect(a).not.toEqual(b);
    // A model compiled with the same seed replays the same masks.
    const again = tfLayer(compile([el('Dropout', { p: 0.5 })], [64]), 'Sequential/Dropout_0');
    expect(train(again)).toEqual(a);
    expect(train(again)).toEqual(b);
  });
});

describe('gradients of the custom tfjs layers', () => {
  const layerOf = (node: GraphNode, inputShape: Shape) =>
    tfLayer(compile([node], inputShape), `Sequential/${node.type}_0`);
  const gradOf = (layer: tf.layers.Layer, x: tf.Tensor, training = false) =>
    tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => (layer.apply(t, { training }) as tf.Tensor).sum())(x)
        .arraySync(),
    );

  it('ELU and BentIdentity have finite, exact derivatives', () => {
    const elu = layerOf(el('ELU', { alpha: 0.5 }), [3]);
    // d/dx: 1 for x > 0 (also at x = 100, where exp would overflow in an unused branch); α·eˣ below 0
    expectClose(gradOf(elu, tf.tensor2d([[100, 2, -1]])), [[1, 1, 0.5 * Math.exp(-1)]], TOL);
    const bent = layerOf(el('BentIdentity'), [2]);
    // d/dx = x / (2√(x² + 1)) + 1: 1/(2√2) + 1 = 1.3535533905932737 at 1; 1 at 0
    expectClose(gradOf(bent, tf.tensor2d([[1, 0]])), [[1 / (2 * Math.SQRT2) + 1, 1]], TOL);
  });

  it('MaxPool2d with −∞ padding routes gradients to the chosen inputs only', () => {
    const model = compile([el('MaxPool2d', { kernelSize: 3, stride: 2, padding: 1 })], [4, 4, 1]);
    const x = tf.tensor4d([image(ramp(4, -1))]);
    const g = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => (model.apply(t) as tf.Tensor).sum())(x)
        .arraySync(),
    );
    // The maxima were x[0][0], x[0][1], x[1][0], x[1][1] (see the forward test above)
    expectClose(
      g,
      [
        image([
          [1, 1, 0, 0],
          [1, 1, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
        ]),
      ],
      TOL,
    );
    x.dispose();
  });

  it('BatchNorm in training mode differentiates like tfjs’ own batchNormalization', () => {
    const ours = layerOf(el('BatchNorm1d'), [3]);
    const theirs = tf.layers.batchNormalization({ epsilon: 1e-5 });
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, -1, 0],
      [2, 2, 5],
      [0, 1, -2],
    ]);
    // A weighted sum, so the gradient is not trivially zero.
    const w = tf.tensor2d([
      [1, -2, 0.5],
      [3, 1, 1],
      [-1, 0, 2],
      [0.5, 1, -3],
    ]);
    const grad = (layer: tf.layers.Layer) =>
      tf.tidy(() =>
        tf
          .grad((t: tf.Tensor) => tf.mul(layer.apply(t, { training: true }) as tf.Tensor, w).sum())(x)
          .arraySync(),
      );
    expectClose(grad(ours), grad(theirs), TOL);
    theirs.dispose();
    tf.dispose([x, w]);
  });
});
