// Whole compiled models: parameter totals against tfjs, PyTorch initialisation, seeding,
// save/load of the custom tfjs layers, training-mode plumbing and tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../graph/summary';
import type { GraphNode, Shape } from '../../graph/types';
import { analyze, compileGraph } from '../../runtime/compile';
import { el, expectClose, seq, tfLayer } from './util';

const models: tf.LayersModel[] = [];
function compile(net: GraphNode, inputShape: Shape, seed = 1): tf.LayersModel {
  const model = compileGraph(analyze(net, inputShape), { seed });
  models.push(model);
  return model;
}
const values = (model: tf.LayersModel, id: string, i: number) =>
  Array.from(tfLayer(model, id).getWeights()[i]?.dataSync() ?? []);
const maxAbs = (xs: number[]) => xs.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const std = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

/** Every built-in layer type in one model. */
const everything = () =>
  seq(
    el('Conv2d', { outChannels: 8, kernelSize: 3, padding: 1 }),
    el('BatchNorm2d', { numFeatures: 8 }),
    el('PReLU', { numParameters: 8 }),
    el('MaxPool2d', { kernelSize: 3, stride: 2, padding: 1 }),
    seq(
      el('Conv2d', { outChannels: 4, kernelSize: 3, padding: 'same', bias: false }),
      el('AvgPool2d', { kernelSize: 3, stride: 1, padding: 1 }),
      el('ELU', { alpha: 0.5 }),
      el('GELU'),
      el('LeakyReLU'),
      el('BentIdentity'),
    ),
    el('Dropout', { p: 0.25 }),
    el('Flatten'),
    el('Linear', { outFeatures: 16 }),
    el('BatchNorm1d', { trainable: false }),
    el('PReLU'),
    el('ReLU'),
    el('Identity'),
    el('Linear', { outFeatures: 3, bias: false }),
    el('Tanh'),
    el('Sigmoid'),
    el('Softmax', { dim: -1 }),
  );

describe('parameter totals', () => {
  it('tfjs countParams() equals the analysed (PyTorch) totals, every layer type', () => {
    const graph = analyze(everything(), [8, 8, 3]);
    const model = compileGraph(graph, { seed: 3 });
    models.push(model);
    // Conv 8·3·9 + 8 = 224; BN2d 16 + 16; PReLU 8; Conv 4·8·9 = 288; Linear 4·4·4·16 + 16 = 1040;
    // BN1d 32 + 32 (frozen: all non-trainable); PReLU 1; Linear 16·3 = 48
    expect(graph.totalParams).toBe(224 + 32 + 8 + 288 + 1040 + 64 + 1 + 48);
    expect(graph.trainableParams).toBe(224 + 16 + 8 + 288 + 1040 + 1 + 48);
    expect(model.countParams()).toBe(graph.totalParams);
    const trainable = model.trainableWeights.reduce((n, w) => n + tf.util.sizeFromShape(w.shape as number[]), 0);
    expect(trainable).toBe(graph.trainableParams);
    expect(model.outputs[0]?.shape).toEqual([null, 3]);
    // And the summary agrees row by row with the tfjs layers of each node
    const rows = summarize(graph).layers;
    for (const row of rows.filter((r) => r.type !== 'Sequential')) {
      const id = findId(graph.root, row.path);
      const own = model.layers.filter((l) => l.name === id || l.name.startsWith(`${id}.`));
      expect(
        own.reduce((n, l) => n + l.countParams(), 0),
        row.path,
      ).toBe(row.params);
    }
  });
});

function findId(node: ReturnType<typeof analyze>['root'], path: string): string | undefined {
  if (node.path === path) return node.id;
  for (const c of node.children) {
    const id = findId(c, path);
    if (id) return id;
  }
  return undefined;
}

describe('initialisation follows PyTorch', () => {
  it('default Linear and Conv2d weights and biases ~ U(−1/√fanIn, 1/√fanIn)', () => {
    const model = compile(seq(el('Linear', { outFeatures: 50 })), [100]);
    const w = values(model, 'Sequential/Linear_0', 0);
    const b = values(model, 'Sequential/Linear_0', 1);
    // fanIn 100 → bound 0.1
    expect(w).toHaveLength(5000);
    expect(maxAbs(w)).toBeLessThanOrEqual(0.1);
    expect(maxAbs(b)).toBeLessThanOrEqual(0.1);
    expect(new Set(w).size).toBeGreaterThan(4000);
    // A uniform on ±0.1 has std 0.1/√3 = 0.0577; 5000 samples: within 5%
    expect(Math.abs(std(w) / (0.1 / Math.sqrt(3)) - 1)).toBeLessThan(0.05);

    // Conv2d fanIn = inC·kh·kw = 3·3·3 = 27 → bound 1/√27 = 0.19245
    const conv = compile(seq(el('Conv2d', { outChannels: 16, kernelSize: 3 })), [5, 5, 3]);
    const k = values(conv, 'Sequential/Conv2d_0', 0);
    expect(maxAbs(k)).toBeLessThanOrEqual(1 / Math.sqrt(27));
    expect(maxAbs(k)).toBeGreaterThan(0.9 / Math.sqrt(27));
  });

  it('constants, heNormal, and BatchNorm γ = 1, β = 0', () => {
    const c = compile(seq(el('Linear', { outFeatures: 4, weightInit: 0.5, biasInit: 'zeros' })), [3]);
    expect(values(c, 'Sequential/Linear_0', 0)).toEqual(Array(12).fill(0.5));
    expect(values(c, 'Sequential/Linear_0', 1)).toEqual(Array(4).fill(0));

    // kaiming_normal_(nonlinearity='relu'): std √(2/fanIn) = √(2/1000) = 0.04472; 500k samples: within 2%
    const he = compile(seq(el('Linear', { outFeatures: 500, weightInit: 'heNormal' })), [1000]);
    const w = values(he, 'Sequential/Linear_0', 0);
    expect(Math.abs(std(w) / Math.sqrt(2 / 1000) - 1)).toBeLessThan(0.02);
    // Not truncated (tfjs' own heNormal is): some draws lie beyond 2σ
    expect(maxAbs(w)).toBeGreaterThan(2.5 * Math.sqrt(2 / 1000));

    const bn = compile(seq(el('BatchNorm1d')), [3]);
    expect(values(bn, 'Sequential/BatchNorm1d_0', 0)).toEqual([1, 1, 1]);
    expect(values(bn, 'Sequential/BatchNorm1d_0', 1)).toEqual([0, 0, 0]);
    expect(values(bn, 'Sequential/BatchNorm1d_0', 3)).toEqual([1, 1, 1]);

    // PReLU: init, and weightInit overriding it
    expect(values(compile(seq(el('PReLU', { init: 0.1 })), [3]), 'Sequential/PReLU_0', 0)).toEqual([
      expect.closeTo(0.1, 7),
    ]);
    expect(values(compile(seq(el('PReLU', { weightInit: 0.3 })), [3]), 'Sequential/PReLU_0', 0)).toEqual([
      expect.closeTo(0.3, 7),
    ]);
  });

  it('the same seed gives identical weights; another seed does not', () => {
    const net = () =>
      seq(el('Conv2d', { outChannels: 4, kernelSize: 3 }), el('Flatten'), el('Linear', { outFeatures: 3 }));
    const a = compile(net(), [5, 5, 2], 42);
    const b = compile(net(), [5, 5, 2], 42);
    const c = compile(net(), [5, 5, 2], 43);
    const all = (m: tf.LayersModel) => m.getWeights().map((t) => Array.from(t.dataSync()));
    expect(all(a)).toEqual(all(b));
    expect(all(a)).not.toEqual(all(c));
    // Weight and bias of one layer are independent streams
    expect(values(a, 'Sequential/Linear_0', 1)).not.toEqual(values(a, 'Sequential/Linear_0', 0).slice(0, 3));
  });
});

describe('compiled models', () => {
  it('save and load through tfjs serialization (custom layers registered)', async () => {
    const model = compile(everything(), [8, 8, 3]);
    const x = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 7);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    models.push(loaded);
    const [y1, y2] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
    expectClose(y2?.arraySync(), y1?.arraySync(), 1e-5);
    tf.dispose([x, y1, y2]);
  });

  it('fit() runs BatchNorm and Dropout in training mode', async () => {
    const model = compile(
      seq(el('Linear', { outFeatures: 4 }), el('BatchNorm1d'), el('Dropout'), el('Linear', { outFeatures: 1 })),
      [2],
    );
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    const y = tf.tensor2d([[1], [2], [3], [4]]);
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    // Running mean moved from 0 by one momentum-0.1 step
    const mean = values(model, 'Sequential/BatchNorm1d_0', 2);
    expect(mean.some((m) => m !== 0)).toBe(true);
    tf.dispose([x, y]);
  });

  it('build, predict and dispose leak no tensors', () => {
    // Warm up tfjs' own caches (backend scalars) before taking the baseline.
    compileGraph(analyze(everything(), [8, 8, 3]), { seed: 1 }).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const model = compileGraph(analyze(everything(), [8, 8, 3]), { seed: i });
      tf.tidy(() => {
        model.predict(tf.ones([2, 8, 8, 3]));
      });
      tf.tidy(() => {
        // Training-mode calls too (BatchNorm writes running statistics, Dropout draws masks)
        model.apply(tf.ones([2, 8, 8, 3]), { training: true });
      });
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
