// Residual, Add, Concat and Parallel: shapes, parameter counts, forward values with fixed
// weights, errors that name both branches, and carry-over across edits.
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { summarize } from '../../graph/summary';
import type { GraphNode, Shape } from '../../graph/types';
import { carryOverWeights } from '../../runtime/carryOver';
import { analyze, compileGraph } from '../../runtime/compile';
import { analyze as analyzeOnly, el, errorOf, expectClose, run, seq, tfLayer } from './util';

const TOL = 1e-5;
const models: tf.LayersModel[] = [];
function compile(net: GraphNode, inputShape: Shape, seed = 1): tf.LayersModel {
  const model = compileGraph(analyze(net, inputShape), { seed });
  models.push(model);
  return model;
}
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

/** A ResNet-style MLP block: x + Linear(ReLU(Linear(x))). */
const block = (width: number, key?: string) =>
  el(
    'Residual',
    key ? { key } : {},
    el('Linear', { outFeatures: width }),
    el('ReLU'),
    el('Linear', { outFeatures: width }),
  );

describe('Residual', () => {
  it('a block’s parameter count and output shape', () => {
    const graph = analyzeOnly(seq(el('Linear', { outFeatures: 16 }), block(16), el('Linear', { outFeatures: 3 })), [4]);
    // Residual itself has no parameters; its two Linear(16 → 16): 2 · (16·16 + 16) = 544
    const residual = graph.root.children[1];
    expect(residual?.outputShape).toEqual([16]);
    expect(residual?.params).toEqual({ trainable: 0, nonTrainable: 0 });
    const inside = (residual?.children ?? []).reduce((a, c) => a + c.params.trainable, 0);
    expect(inside).toBe(544);
    // 4·16 + 16 = 80, then 544, then 16·3 + 3 = 51
    expect(graph.totalParams).toBe(80 + 544 + 51);
    expect(graph.outputShape).toEqual([3]);
    const model = compile(seq(el('Linear', { outFeatures: 16 }), block(16), el('Linear', { outFeatures: 3 })), [4]);
    expect(model.countParams()).toBe(graph.totalParams);
    // The summary lists the block and its layers
    expect(summarize(graph).layers.map((l) => l.path)).toContain('Sequential > Residual[0] > Linear[1]');
  });

  it('computes x + f(x) with fixed weights', () => {
    const model = compile(seq(el('Residual', {}, el('Linear', { outFeatures: 2, weightInit: 0.5, biasInit: 1 }))), [2]);
    // f(x) = 0.5·(x0 + x1) + 1 in both outputs; x = [1, 3] → f = [3, 3], y = [4, 6]
    expectClose(run(model, [1, 3]), [4, 6], TOL);
    expect(tfLayer(model, 'Sequential/Residual_0.add').getClassName()).toBe('Add');
  });

  it('works on images (Conv2d padding same keeps the shape)', () => {
    const graph = analyzeOnly(
      seq(el('Residual', {}, el('Conv2d', { outChannels: 3, kernelSize: 3, padding: 'same' }), el('ReLU'))),
      [5, 5, 3],
    );
    expect(graph.outputShape).toEqual([5, 5, 3]);
    expect(graph.totalParams).toBe(3 * 3 * 3 * 3 + 3);
  });

  it('a shape change names both shapes and suggests a projection', () => {
    const e = errorOf(() =>
      analyzeOnly(seq(el('Linear', { outFeatures: 8 }), el('Residual', {}, el('Linear', { outFeatures: 4 }))), [2]),
    );
    expect(e.code).toBe('shape');
    expect(e.path).toBe('Sequential > Residual[0]');
    expect(e.message).toContain('the input is [8] (from Linear, Sequential > Linear[0])');
    expect(e.message).toContain('the output is [4] (from Sequential > Residual[0] > Linear[0])');
    expect(e.message).toContain('projection');
    expect(e.message).toContain('outFeatures={8}');
    expect(errorOf(() => analyzeOnly(seq(el('Residual')), [2])).code).toBe('structure');
  });
});

describe('Add', () => {
  it('sums branches applied to the same input', () => {
    const net = seq(
      el(
        'Add',
        {},
        el('Identity'),
        el('Linear', { outFeatures: 2, weightInit: 1, biasInit: 0 }),
        el('Sequential', {}, el('Linear', { outFeatures: 2, weightInit: -1, biasInit: 0.5 }), el('ReLU')),
      ),
    );
    const graph = analyzeOnly(net, [2]);
    expect(graph.outputShape).toEqual([2]);
    expect(graph.totalParams).toBe(12);
    const model = compile(net, [2]);
    // x = [1, −3]: identity [1, −3] + [−2, −2] + relu([2.5, 2.5]) = [1.5, −2.5]
    expectClose(run(model, [1, -3]), [1.5, -2.5], TOL);
  });

  it('mismatched branches: names both branches’ paths and shapes', () => {
    const e = errorOf(() =>
      analyzeOnly(
        seq(
          el(
            'Add',
            {},
            el('Sequential', {}, el('Linear', { outFeatures: 8 }), el('ReLU')),
            el('Linear', { outFeatures: 4, name: 'skip' }),
          ),
        ),
        [3],
      ),
    );
    expect(e.code).toBe('shape');
    expect(e.path).toBe('Sequential > Add[0]');
    expect(e.message).toContain('branch Sequential > Add[0] > Sequential[0] gives [8]');
    expect(e.message).toContain('branch Sequential > Add[0] > Linear(skip) gives [4]');
    expect(e.message).toContain('<Concat>');
  });

  it('a projection shortcut: Add of a block and a Linear', () => {
    const net = seq(
      el(
        'Add',
        {},
        el('Sequential', {}, el('Linear', { outFeatures: 6 }), el('ReLU')),
        el('Linear', { outFeatures: 6 }),
      ),
    );
    expect(analyzeOnly(net, [3]).totalParams).toBe(2 * (3 * 6 + 6));
    expect(compile(net, [3]).countParams()).toBe(48);
  });
});

describe('Concat and Parallel', () => {
  it('Concat joins along the last axis by default, or a given dim', () => {
    const net = seq(
      el('Concat', {}, el('Linear', { outFeatures: 4 }), el('Linear', { outFeatures: 6 }), el('Identity')),
    );
    expect(analyzeOnly(net, [3]).outputShape).toEqual([13]);
    const model = compile(net, [3]);
    const y = run(model, [1, 2, 3]) as number[];
    expect(y).toHaveLength(13);
    expect(y.slice(10)).toEqual([1, 2, 3]);
    // dim 1 of [batch, time, features] stacks along time
    const byTime = seq(el('Concat', { dim: 1 }, el('Linear', { outFeatures: 2 }), el('Linear', { outFeatures: 2 })));
    expect(analyzeOnly(byTime, [5, 3]).outputShape).toEqual([10, 2]);
    expect(compile(byTime, [5, 3]).outputs[0]?.shape).toEqual([null, 10, 2]);
  });

  it('Concat: branches that differ off the joined axis, and dim 0, are refused', () => {
    const e = errorOf(() =>
      analyzeOnly(
        seq(el('Concat', { dim: 1 }, el('Linear', { outFeatures: 2 }), el('Linear', { outFeatures: 3 }))),
        [5, 3],
      ),
    );
    expect(e.code).toBe('shape');
    expect(e.message).toContain('branch Sequential > Concat[0] > Linear[0] gives [5, 2]');
    expect(e.message).toContain('branch Sequential > Concat[0] > Linear[1] gives [5, 3]');
    const batch = errorOf(() => analyzeOnly(seq(el('Concat', { dim: 0 }, el('Identity'), el('Identity'))), [3]));
    expect(batch.message).toContain('never joins along the batch');
  });

  it('Parallel merges by concat (default), add, mean or max', () => {
    const branches = () => [
      el('Linear', { outFeatures: 2, weightInit: 1, biasInit: 0 }),
      el('Linear', { outFeatures: 2, weightInit: -1, biasInit: 1 }),
    ];
    // x = [1, 2]: branches give [3, 3] and [−2, −2]
    const expected = { concat: [3, 3, -2, -2], add: [1, 1], mean: [0.5, 0.5], max: [3, 3] };
    for (const [combine, y] of Object.entries(expected)) {
      const model = compile(seq(el('Parallel', { combine }, ...branches())), [2]);
      expectClose(run(model, [1, 2]), y, TOL);
    }
    const e = errorOf(() =>
      analyzeOnly(
        seq(el('Parallel', { combine: 'mean' }, el('Linear', { outFeatures: 2 }), el('Linear', { outFeatures: 3 }))),
        [2],
      ),
    );
    expect(e.message).toContain('averages its branches');
  });
});

describe('edits', () => {
  it('keyed residual blocks keep their weights when another block is inserted before them', () => {
    const before = compile(seq(el('Linear', { outFeatures: 8 }), block(8, 'b')), [2], 1);
    const after = compile(seq(el('Linear', { outFeatures: 8 }), block(8, 'a'), block(8, 'b')), [2], 2);
    const report = carryOverWeights(before, after);
    expect(report.kept).toContain('Sequential/Residual-kb/Linear_0/kernel');
    expect(report.reset).toContain('Sequential/Residual-ka/Linear_0/kernel');
    const w = (m: tf.LayersModel) =>
      Array.from(tfLayer(m, 'Sequential/Residual-kb/Linear_1').getWeights()[0]?.dataSync() ?? []);
    expect(w(after)).toEqual(w(before));
  });

  it('build, train-mode gradients and dispose leak no tensors', () => {
    const net = () =>
      seq(
        el('Linear', { outFeatures: 6 }),
        block(6),
        el('Add', {}, el('Identity'), el('Linear', { outFeatures: 6 })),
        el('Parallel', { combine: 'max' }, el('Identity'), el('Dropout', { p: 0.5 })),
        el('Concat', {}, el('Identity'), el('Linear', { outFeatures: 2 })),
      );
    compileGraph(analyze(net(), [3]), { seed: 0 }).dispose();
    const before = tf.memory().numTensors;
    const model = compileGraph(analyze(net(), [3]), { seed: 1 });
    const x = tf.ones([4, 3]);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      model.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    expect(Object.keys(grads)).toHaveLength(model.trainableWeights.length);
    tf.dispose([value, x, ...Object.values(grads)]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
