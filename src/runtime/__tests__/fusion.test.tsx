// Activation folding in compileGraph: a Linear/Conv2d followed by ReLU/Sigmoid/Tanh/ELU(α=1) in a chain
// compiles to one tfjs Dense/Conv2D with that activation, plus a pass-through layer under the activation's
// name. Same names, same weights, same numbers as the unfolded model; carry-over unaffected.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GraphNode, Shape } from '../../graph/types';
import { el, expectClose, seq } from '../../layers/__tests__/util';
import { ELU, ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Conv2d } from '../../layers/conv';
import { Flatten, Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { analyze, compileGraph } from '../compile';

const models: tf.LayersModel[] = [];
function compile(root: GraphNode, inputShape: Shape, fuseActivations = true): tf.LayersModel {
  const model = compileGraph(analyze(root, inputShape), { seed: 7, fuseActivations });
  models.push(model);
  return model;
}

/** Class and activation of every tfjs layer, by name. */
function layout(model: tf.LayersModel): string[] {
  return model.layers.map((l) => {
    const activation = (l.getConfig() as { activation?: string }).activation;
    return `${l.name}:${l.getClassName()}${activation ? `(${activation})` : ''}`;
  });
}

const values = (model: tf.LayersModel) =>
  Object.fromEntries(model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));

/** Deterministic inputs in [−2, 2). */
function inputs(shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: size }, (_v, i) => ((i * 7919) % 1000) / 250 - 2),
    shape,
  );
}

const MLP = seq(
  el('Linear', { outFeatures: 16 }),
  el('ReLU'),
  el('Linear', { outFeatures: 12 }),
  el('Sigmoid'),
  el('Linear', { outFeatures: 8 }),
  el('Tanh'),
  el('Linear', { outFeatures: 6 }),
  el('ELU'),
  el('Linear', { outFeatures: 3 }),
);
const CNN = seq(
  el('Conv2d', { outChannels: 4, kernelSize: 3, padding: 1 }),
  el('ReLU'),
  el('MaxPool2d', { kernelSize: 2 }),
  el('Conv2d', { outChannels: 3, kernelSize: 2, stride: 2, bias: false }),
  el('ReLU'),
  el('Flatten'),
  el('Linear', { outFeatures: 5 }),
  el('ReLU'),
  el('Linear', { outFeatures: 2 }),
);

let baseline = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

describe('activation folding', () => {
  it('compiles Linear + ReLU to one Dense with activation relu, the ReLU to a pass-through of its own name', () => {
    const fused = compile(seq(el('Linear', { outFeatures: 4 }), el('ReLU'), el('Linear', { outFeatures: 1 })), [3]);
    expect(layout(fused)).toEqual([
      'input:InputLayer',
      'Sequential/Linear_0:Dense(relu)',
      'Sequential/ReLU_0:Activation(linear)',
      'Sequential/Linear_1:Dense(linear)',
    ]);
    const plain = compile(
      seq(el('Linear', { outFeatures: 4 }), el('ReLU'), el('Linear', { outFeatures: 1 })),
      [3],
      false,
    );
    expect(layout(plain)).toEqual([
      'input:InputLayer',
      'Sequential/Linear_0:Dense(linear)',
      'Sequential/ReLU_0:Activation(relu)',
      'Sequential/Linear_1:Dense(linear)',
    ]);
    // Same weight names, shapes and (seeded) initial values either way.
    expect(values(fused)).toEqual(values(plain));
  });

  it('folds Sigmoid, Tanh and ELU(alpha 1) into Linear, and ReLU into Conv2d (after its padding layer)', () => {
    expect(layout(compile(MLP, [5]))).toEqual([
      'input:InputLayer',
      'Sequential/Linear_0:Dense(relu)',
      'Sequential/ReLU_0:Activation(linear)',
      'Sequential/Linear_1:Dense(sigmoid)',
      'Sequential/Sigmoid_0:Activation(linear)',
      'Sequential/Linear_2:Dense(tanh)',
      'Sequential/Tanh_0:Activation(linear)',
      'Sequential/Linear_3:Dense(elu)',
      'Sequential/ELU_0:Activation(linear)',
      'Sequential/Linear_4:Dense(linear)',
    ]);
    expect(layout(compile(CNN, [6, 6, 2]))).toEqual([
      'input:InputLayer',
      'Sequential/Conv2d_0.pad:ZeroPadding2D',
      'Sequential/Conv2d_0:Conv2D(relu)',
      'Sequential/ReLU_0:Activation(linear)',
      'Sequential/MaxPool2d_0:MaxPooling2D',
      'Sequential/Conv2d_1:Conv2D(relu)',
      'Sequential/ReLU_1:Activation(linear)',
      'Sequential/Flatten_0:Flatten',
      'Sequential/Linear_0:Dense(relu)',
      'Sequential/ReLU_2:Activation(linear)',
      'Sequential/Linear_1:Dense(linear)',
    ]);
  });

  it('leaves everything else alone: other activations, non-adjacent pairs, nested containers', () => {
    const model = compile(
      seq(
        el('ReLU'),
        el('Linear', { outFeatures: 4 }),
        el('ELU', { alpha: 0.5 }),
        el('Linear', { outFeatures: 4 }),
        el('LeakyReLU'),
        el('Linear', { outFeatures: 4 }),
        el('PReLU'),
        el('Linear', { outFeatures: 4 }),
        el('GELU'),
        el('Linear', { outFeatures: 4 }),
        el('Dropout', { p: 0.1 }),
        el('ReLU'),
        seq(el('Linear', { outFeatures: 4 })),
        el('ReLU'),
        el('Residual', {}, el('Linear', { outFeatures: 4 }), el('Tanh')),
        el('Sigmoid'),
      ),
      [4],
    );
    const byName = Object.fromEntries(layout(model).map((s) => s.split(':') as [string, string]));
    expect(byName).toMatchObject({
      'Sequential/ReLU_0': 'Activation(relu)',
      'Sequential/Linear_0': 'Dense(linear)',
      'Sequential/ELU_0': 'ReactNNELU',
      'Sequential/Linear_1': 'Dense(linear)',
      'Sequential/LeakyReLU_0': 'LeakyReLU',
      'Sequential/Linear_2': 'Dense(linear)',
      'Sequential/PReLU_0': 'PReLU',
      'Sequential/Linear_3': 'Dense(linear)',
      'Sequential/GELU_0': 'Activation(gelu)',
      'Sequential/Linear_4': 'Dense(linear)',
      'Sequential/ReLU_1': 'Activation(relu)',
      // The last layer of a nested Sequential is not a sibling of the ReLU after it.
      'Sequential/Sequential_0/Linear_0': 'Dense(linear)',
      'Sequential/ReLU_2': 'Activation(relu)',
      // Inside a Residual's chain the pair folds; the Sigmoid after the merge does not.
      'Sequential/Residual_0/Linear_0': 'Dense(tanh)',
      'Sequential/Residual_0/Tanh_0': 'Activation(linear)',
      'Sequential/Sigmoid_0': 'Activation(sigmoid)',
    });
  });

  it('computes what the unfolded model computes, forward and gradients, within 1e-6', () => {
    for (const [root, shape] of [
      [MLP, [5]],
      [CNN, [6, 6, 2]],
    ] as const) {
      const fused = compile(root, shape);
      const plain = compile(root, shape, false);
      const x = inputs([4, ...shape]);
      try {
        expectClose(
          tf.tidy(() => (fused.predict(x) as tf.Tensor).arraySync()),
          tf.tidy(() => (plain.predict(x) as tf.Tensor).arraySync()),
          1e-6,
        );
        // Training mode, as the tfjs engine steps: the same loss gradients for every weight.
        const grads = (m: tf.LayersModel) =>
          tf.tidy(() => {
            const { grads } = tf.variableGrads(() =>
              tf.mean(tf.square(m.apply(x, { training: true }) as tf.Tensor)).asScalar(),
            );
            const byName = Object.fromEntries(
              m.trainableWeights.map((w) => [w.originalName, Array.from(grads[w.name]?.dataSync() ?? [])]),
            );
            tf.dispose(grads);
            return byName;
          });
        const a = grads(fused);
        const b = grads(plain);
        expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
        for (const name of Object.keys(b)) expectClose(a[name], b[name], 1e-6);
      } finally {
        x.dispose();
      }
    }
  });

  it("an activation's layer output is still the activation's output (per-node introspection)", () => {
    const fused = compile(CNN, [6, 6, 2]);
    const plain = compile(CNN, [6, 6, 2], false);
    const x = inputs([2, 6, 6, 2]);
    try {
      for (const id of ['Sequential/ReLU_0', 'Sequential/ReLU_1', 'Sequential/ReLU_2']) {
        const probe = (m: tf.LayersModel) =>
          tf.tidy(() =>
            (
              tf
                .model({ inputs: m.inputs, outputs: m.getLayer(id).output as tf.SymbolicTensor })
                .predict(x) as tf.Tensor
            ).arraySync(),
          );
        expectClose(probe(fused), probe(plain), 1e-6);
      }
      // The Conv2d's own layer now yields the activated maps (as a hand-written conv2d with activation 'relu').
      const conv = tf.tidy(() =>
        (
          tf
            .model({ inputs: fused.inputs, outputs: fused.getLayer('Sequential/Conv2d_0').output as tf.SymbolicTensor })
            .predict(x) as tf.Tensor
        )
          .min()
          .arraySync(),
      );
      expect(conv).toBeGreaterThanOrEqual(0);
    } finally {
      x.dispose();
    }
  });

  it('leaks no tensors: compile, predict, train-mode gradients, dispose', () => {
    baseline = tf.memory().numTensors;
    const model = compileGraph(analyze(CNN, [6, 6, 2]), { seed: 1 });
    tf.tidy(() => {
      const x = inputs([2, 6, 6, 2]);
      model.predict(x);
      tf.variableGrads(() => tf.sum(model.apply(x, { training: true }) as tf.Tensor).asScalar());
    });
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('activation folding and live edits', () => {
  const kernel = (net: { model: tf.LayersModel }, id: string) =>
    net.model
      .getLayer(id)
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
  const activationOf = (net: { model: tf.LayersModel }, id: string) =>
    (net.model.getLayer(id).getConfig() as { activation: string }).activation;

  it('inserting and removing the activation after a Linear keeps its weights bit-identical', async () => {
    const start = tf.memory().numTensors;
    const tree = (act: 'none' | 'relu' | 'elu') => (
      <Sequential>
        <Linear outFeatures={8} />
        {act === 'relu' ? <ReLU /> : act === 'elu' ? <ELU /> : null}
        <Linear outFeatures={1} />
        <Sigmoid />
      </Sequential>
    );
    const net = await renderModel(tree('none'), { inputShape: [3], backend: 'cpu', seed: 3 });
    try {
      expect(activationOf(net, 'Sequential/Linear_0')).toBe('linear');
      expect(activationOf(net, 'Sequential/Linear_1')).toBe('sigmoid');
      const first = kernel(net, 'Sequential/Linear_0');
      const second = kernel(net, 'Sequential/Linear_1');

      await net.update(tree('relu'));
      expect(activationOf(net, 'Sequential/Linear_0')).toBe('relu');
      expect(net.net.getSnapshot().lastEdit).toEqual({
        kept: [
          'Sequential/Linear_0/kernel',
          'Sequential/Linear_0/bias',
          'Sequential/Linear_1/kernel',
          'Sequential/Linear_1/bias',
        ],
        reset: [],
      });
      expect(kernel(net, 'Sequential/Linear_0')).toEqual(first);
      expect(kernel(net, 'Sequential/Linear_1')).toEqual(second);

      await net.update(tree('elu'));
      expect(activationOf(net, 'Sequential/Linear_0')).toBe('elu');
      expect(net.net.getSnapshot().lastEdit?.reset).toEqual([]);
      expect(kernel(net, 'Sequential/Linear_0')).toEqual(first);

      await net.update(tree('none'));
      expect(activationOf(net, 'Sequential/Linear_0')).toBe('linear');
      expect(net.net.getSnapshot().lastEdit?.reset).toEqual([]);
      expect(kernel(net, 'Sequential/Linear_0')).toEqual(first);
      expect(kernel(net, 'Sequential/Linear_1')).toEqual(second);
    } finally {
      net.dispose();
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(tf.memory().numTensors).toBe(start);
  });

  it('a Conv2d keeps its weights when the ReLU after it comes and goes', async () => {
    const start = tf.memory().numTensors;
    const tree = (relu: boolean) => (
      <Sequential>
        <Conv2d outChannels={3} kernelSize={3} />
        {relu ? <ReLU /> : null}
        <Flatten />
        <Linear outFeatures={2} />
      </Sequential>
    );
    const net = await renderModel(tree(true), { inputShape: [5, 5, 1], backend: 'cpu', seed: 4 });
    try {
      expect(activationOf(net, 'Sequential/Conv2d_0')).toBe('relu');
      const conv = kernel(net, 'Sequential/Conv2d_0');
      await net.update(tree(false));
      expect(activationOf(net, 'Sequential/Conv2d_0')).toBe('linear');
      expect(net.net.getSnapshot().lastEdit?.reset).toEqual([]);
      expect(kernel(net, 'Sequential/Conv2d_0')).toEqual(conv);
      await net.update(tree(true));
      expect(activationOf(net, 'Sequential/Conv2d_0')).toBe('relu');
      expect(kernel(net, 'Sequential/Conv2d_0')).toEqual(conv);
    } finally {
      net.dispose();
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(tf.memory().numTensors).toBe(start);
  });
});
