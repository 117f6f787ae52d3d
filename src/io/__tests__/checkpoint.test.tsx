// Checkpoints in Node: bit-exact round trips of every built-in layer type (after training, so
// BatchNorm statistics and PReLU/SoftExponential parameters have moved), toJSX re-rendered,
// custom layers, files on disk, and a trainer state carried through the file unchanged.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as React from 'react';
import { transform } from 'sucrase';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import type { AnalyzedNode } from '../../graph/types';
import { defineLayer, getLayer, layerTypes } from '../../layers/define';
import * as layers from '../../layers/index';
import { prop } from '../../layers/props';
import { renderModel } from '../../react/renderModel';
import { Net } from '../../runtime/net';
import { createTrainer } from '../../training/trainer';
import { loadCheckpoint, restoreCheckpoint, saveCheckpoint } from '../checkpoint';
import { REACT_NN_VERSION } from '../modelFile';
import { readNetWeights } from '../netWeights';
import type { TrainerStateLike } from '../trainerState';
import { IMAGE_INPUT, imageModel, randomExamples, SEQUENCE_INPUT, sequenceModel } from './fixtures';

let start = 0;
beforeEach(() => {
  start = tf.memory().numTensors;
});
afterEach(async () => {
  // Nets dispose replaced models on the next macrotask.
  await new Promise((r) => setTimeout(r, 0));
  expect(tf.memory().numTensors).toBe(start);
});

/** Every weight of a net as plain arrays, by checkpoint name. */
async function weightValues(net: Net): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const w of readNetWeights(net)) out[w.name] = Array.from(await w.variable.read().data());
  return out;
}

async function predictValues(net: { predict(x: tf.Tensor): tf.Tensor }, x: tf.Tensor): Promise<Float32Array> {
  const y = net.predict(x);
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}

/** The node tree without React's noise, for comparing architectures. */
function plainTree(n: AnalyzedNode): unknown {
  return { type: n.node.type, key: n.node.key, props: n.node.props, children: n.children.map(plainTree) };
}

async function trained(element: React.ReactNode, inputShape: number[], outputs: number, ids = 0) {
  const net = await renderModel(element, { inputShape, seed: 3 });
  const ex = randomExamples(inputShape, 24, outputs, 5, ids);
  const data = ex.data();
  const trainer = createTrainer(net, {
    data,
    loss: 'mse',
    optimizer: { type: 'adam', lr: 0.05 },
    epochs: 2,
    batchSize: 8,
    seed: 1,
  });
  await trainer.fit();
  trainer.dispose();
  data.dispose();
  return { net, x: ex.x };
}

describe('checkpoint round trip', () => {
  it('the test models use every built-in layer type (Pretrained in its own test below), plus the SoftExponential custom layers', () => {
    const used = new Set<string>();
    const visit = (el: React.ReactElement) => {
      used.add(el.type as string);
      React.Children.forEach((el.props as { children?: React.ReactNode }).children, (c) => {
        if (React.isValidElement(c)) visit(c);
      });
    };
    visit(sequenceModel);
    visit(imageModel);
    const builtins = layerTypes().filter((t) => getLayer(t)?.builtin && t !== 'Pretrained');
    expect(builtins.filter((t) => !used.has(t))).toEqual([]);
    expect(used.has('SoftExponential') && used.has('SoftExponential2')).toBe(true);
  });

  for (const [label, element, inputShape, outputs, ids] of [
    [
      'sequence model (Embedding, RNN, LSTM/GRU bidirectional, BatchNorm1d, PReLU, frozen Linear, composition)',
      sequenceModel,
      SEQUENCE_INPUT,
      2,
      10,
    ],
    ['image model (Conv2d, BatchNorm2d, pools, SoftExponential2)', imageModel, IMAGE_INPUT, 3, 0],
  ] as const) {
    it(`${label}: trained, saved, loaded into a fresh model — every weight and prediction bit-identical`, async () => {
      const { net, x } = await trained(element, [...inputShape], outputs, ids);
      const before = await weightValues(net.net);
      const predicted = await predictValues(net, x);
      // Training moved the statistics and parameters the issue names: they must not be at their initial values.
      const bn = Object.keys(before).find((k) => k.endsWith('moving_mean')) as string;
      expect(before[bn]?.some((v) => v !== 0)).toBe(true);

      const bytes = await saveCheckpoint(net);
      const cp = await loadCheckpoint(bytes);
      expect(cp.inputShape).toEqual([...inputShape]);
      expect(cp.meta.reactNN).toBe(REACT_NN_VERSION);
      expect(cp.meta.totalParams).toBe(net.summary().totalParams);
      // A different seed: only the checkpoint can make the weights equal.
      const copy = await renderModel(cp.element, { checkpoint: cp, seed: 99 });
      expect(await weightValues(copy.net)).toEqual(before);
      expect(await predictValues(copy, x)).toEqual(predicted);
      expect(plainTree(copy.net.graph?.root as AnalyzedNode)).toEqual(plainTree(net.net.graph?.root as AnalyzedNode));
      // The frozen layer is still frozen, since `trainable` is a prop like any other.
      expect(copy.summary().trainableParams).toBe(net.summary().trainableParams);
      cp.dispose();
      copy.dispose();
      net.dispose();
      x.dispose();
    });
  }

  it('a model with <Pretrained> (fine-tuned base, frozen Linear head): the file holds its architecture, not a reference; predictions equal', async () => {
    // The source: a tfjs model with a BatchNorm (running statistics), as in-memory artefacts.
    const source = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3], units: 5, activation: 'relu', name: 'hidden' }),
        tf.layers.batchNormalization({ name: 'bn' }),
        tf.layers.dense({ units: 4, activation: 'tanh', name: 'features' }),
        tf.layers.dense({ units: 1, name: 'old_head' }),
      ],
    });
    let artifacts: tf.io.ModelArtifacts | null = null;
    await source.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    source.dispose();
    const src = artifacts as unknown as tf.io.ModelArtifacts;
    const element = (
      <layers.Sequential>
        <layers.Pretrained src={src} upTo="features" />
        <layers.Linear outFeatures={2} trainable={false} />
      </layers.Sequential>
    );
    const { net, x } = await trained(element, [3], 2);
    const before = await weightValues(net.net);
    const predicted = await predictValues(net, x);
    // Fine-tuning moved the base: its weights are not the source's any more, so only the file has them.
    const hidden = Object.keys(before).find((k) => k.includes('hidden') && k.endsWith('kernel')) as string;
    expect(hidden).toBeDefined();
    expect(before[hidden]).not.toEqual(Array.from(new Float32Array(src.weightData as ArrayBuffer, 0, 15)));
    expect(Object.keys(before).some((k) => k.endsWith('moving_mean'))).toBe(true);

    const bytes = await saveCheckpoint(net);
    const cp = await loadCheckpoint(bytes);
    // model.json holds the source's topology as weightless artefacts; no weight data is duplicated.
    const stored = (cp.tree.children[0]?.props as { src: tf.io.ModelArtifacts } | undefined)?.src ?? {};
    expect(Object.keys(stored).sort()).toEqual(['format', 'modelTopology']);
    expect(JSON.stringify(stored.modelTopology)).toContain('"features"');
    // toJSX gives pasteable code holding the same: the topology as an object literal.
    expect(cp.toJSX()).toMatch(/^<Sequential>\n {2}<Pretrained src=\{\{"modelTopology":\{.*\}\} upTo="features" \/>/);
    // Self-contained: the original source is forgotten before loading.
    layers.clearPretrainedCache(src);
    const copy = await renderModel(cp.element, { checkpoint: cp, seed: 99 });
    expect(await weightValues(copy.net)).toEqual(before);
    expect(await predictValues(copy, x)).toEqual(predicted);
    expect(copy.summary().trainableParams).toBe(net.summary().trainableParams);
    expect(copy.summary().totalParams).toBe(net.summary().totalParams);
    cp.dispose();
    copy.dispose();
    net.dispose();
    x.dispose();
  });

  it('toJSX() is JSX source that, evaluated (sucrase, as the docs site does) and rendered, gives the same node tree', async () => {
    const net = await renderModel(sequenceModel, { inputShape: SEQUENCE_INPUT });
    const cp = await loadCheckpoint(await saveCheckpoint(net));
    const source = cp.toJSX();
    expect(source).toMatch(/^<Sequential>\n {2}<Embedding numEmbeddings=\{10\} embeddingDim=\{4\} \/>/);
    expect(source).toContain('<LSTM hiddenSize={3} numLayers={2} bidirectional returnSequences />');
    expect(source).toContain('<Linear key="b" outFeatures={6} />');
    expect(source).toContain('<Linear outFeatures={6} trainable={false} />');
    const code = transform(`return (${source});`, { transforms: ['jsx'], production: true }).code;
    const scope = { React, ...layers };
    const element = new Function(...Object.keys(scope), code)(...Object.values(scope)) as React.ReactElement;
    const again = await renderModel(element, { inputShape: cp.inputShape });
    expect(plainTree(again.net.graph?.root as AnalyzedNode)).toEqual(plainTree(net.net.graph?.root as AnalyzedNode));
    again.dispose();
    net.dispose();
  });

  it('a defineLayer layer round-trips when registered; an unregistered type is named in the error', async () => {
    const CkptScale = defineLayer<{ factor: number }>({
      type: 'CkptScale',
      props: { factor: prop.number() },
      hasWeights: false,
      outputShape: (_p, input) => input,
      build: (p, ctx) => (x) =>
        tf.layers
          .dense({
            units: ctx.outputShape.at(-1) as number,
            useBias: false,
            name: ctx.name(),
            kernelInitializer: tf.initializers.constant({ value: p.factor }),
          })
          .apply(x) as tf.SymbolicTensor,
    });
    const net = await renderModel(
      <layers.Sequential>
        <CkptScale factor={0.5} />
        <layers.Linear outFeatures={1} />
      </layers.Sequential>,
      { inputShape: [2] },
    );
    const bytes = await saveCheckpoint(net);
    const cp = await loadCheckpoint(bytes);
    expect(cp.toJSX()).toContain('<CkptScale factor={0.5} />');
    const copy = await renderModel(cp.element, { checkpoint: cp });
    expect(await weightValues(copy.net)).toEqual(await weightValues(net.net));
    copy.dispose();
    net.dispose();

    // The same file with the type renamed to one nobody registered.
    const { zipSync, unzipSync, strFromU8, strToU8 } = await import('fflate');
    const files = unzipSync(bytes);
    files['model.json'] = strToU8(strFromU8(files['model.json'] as Uint8Array).replaceAll('CkptScale', 'NobodysLayer'));
    const err = await loadCheckpoint(zipSync(files)).catch((e) => e);
    expect(err).toBeInstanceOf(ReactNNError);
    expect(err.message).toMatch(/"NobodysLayer", which is not registered — import the module that calls defineLayer/);
    expect(err.path).toBe('Sequential > NobodysLayer[0]');
  });

  it('function initialisers are left out (listed in meta) — the weights they made are saved', async () => {
    const net = await renderModel(
      <layers.Sequential>
        <layers.Linear outFeatures={2} weightInit={(shape) => new Array(shape.reduce((a, b) => a * b, 1)).fill(0.25)} />
      </layers.Sequential>,
      { inputShape: [3] },
    );
    const cp = await loadCheckpoint(await saveCheckpoint(net));
    expect(cp.meta.omittedProps).toEqual(['Sequential > Linear[0] > weightInit']);
    const copy = await renderModel(cp.element, { checkpoint: cp });
    expect((await weightValues(copy.net))['Sequential > Linear[0] > kernel']).toEqual(new Array(6).fill(0.25));
    copy.dispose();
    net.dispose();
  });

  it('saves to and loads from a file path in Node; the file is the returned bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-'));
    try {
      const net = await renderModel(imageModel, { inputShape: IMAGE_INPUT });
      const path = join(dir, 'cnn.rnn');
      const bytes = await saveCheckpoint(net, path);
      expect(new Uint8Array(await readFile(path))).toEqual(bytes);
      const cp = await loadCheckpoint(path);
      const copy = await renderModel(cp.element, { checkpoint: cp, seed: 7 });
      expect(await weightValues(copy.net)).toEqual(await weightValues(net.net));
      copy.dispose();
      net.dispose();
      const err = await loadCheckpoint(join(dir, 'missing.rnn')).catch((e) => e);
      expect(err).toBeInstanceOf(ReactNNError);
      expect(err.message).toMatch(/could not read ".*missing\.rnn": ENOENT/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('a Blob, an ArrayBuffer and a data: URL load the same checkpoint', async () => {
    const net = await renderModel(<layers.Linear outFeatures={2} />, { inputShape: [2] });
    const bytes = await saveCheckpoint(net);
    const url = `data:application/zip;base64,${Buffer.from(bytes).toString('base64')}`;
    for (const source of [new Blob([bytes]), bytes.slice().buffer, url]) {
      const cp = await loadCheckpoint(source);
      expect([...cp.weights.keys()]).toEqual(
        ['Linear[0] > kernel', 'Linear[0] > bias'].map((k) => k.replace('Linear[0]', 'Linear')),
      );
    }
    net.dispose();
  });

  it('weight names are the summary paths plus the weight name', async () => {
    const net = await renderModel(sequenceModel, { inputShape: SEQUENCE_INPUT });
    const paths = new Set(net.summary().layers.map((l) => l.path));
    const names = readNetWeights(net.net).map((w) => w.name);
    expect(names).toContain('Sequential > LSTM[0] > weight_hh_l1_reverse');
    expect(names).toContain('Sequential > BatchNorm1d[0] > moving_variance');
    expect(names).toContain('Sequential > Linear(head) > bias');
    expect(names).toContain('Sequential > Parallel[0] > Linear#b > kernel');
    for (const n of names) expect(paths.has(n.slice(0, n.lastIndexOf(' > ')))).toBe(true);
    net.dispose();
  });
});

/** A stand-in with the trainer's exportState() shape, until the trainer's own lands. */
function fakeTrainer(net: Net, state: TrainerStateLike) {
  return { net, exportState: async () => state };
}

describe('trainer state in a checkpoint', () => {
  const state: TrainerStateLike = {
    version: 1,
    json: {
      epoch: 50,
      step: 400,
      history: { loss: [0.7, 0.5, 0.31], val_loss: [0.8, 0.6, 0.4] },
      optimizer: { type: 'adam', lr: 0.01, betas: [0.9, 0.999], step: 400 },
      cursor: { order: [3, 1, 2, 0], at: 2 },
      seed: 7,
    },
    tensors: {
      'Sequential > Linear[0] > kernel/m': {
        shape: [2, 3],
        data: Float32Array.from([1e-8, -2, 3.5, Math.PI, -0, 1e30]),
      },
      'Sequential > Linear[0] > kernel/v': { shape: [2, 3], data: new Float32Array(6).fill(0.125) },
      scalar: { shape: [], data: Float32Array.from([42]) },
    },
  };

  it('is written as trainer.json + optimizer.safetensors and read back exactly', async () => {
    const net = await renderModel(<layers.Linear outFeatures={3} />, { inputShape: [2] });
    const bytes = await saveCheckpoint(fakeTrainer(net.net, state));
    const { unzipSync } = await import('fflate');
    expect(Object.keys(unzipSync(bytes)).sort()).toEqual([
      'model.json',
      'optimizer.safetensors',
      'trainer.json',
      'weights.safetensors',
    ]);
    const cp = await loadCheckpoint(bytes);
    expect(cp.meta.hasTrainerState).toBe(true);
    expect(cp.trainerState?.version).toBe(1);
    expect(cp.trainerState?.json).toEqual(state.json);
    expect(Object.keys(cp.trainerState?.tensors ?? {})).toEqual(Object.keys(state.tensors));
    for (const [k, t] of Object.entries(state.tensors)) {
      const got = cp.trainerState?.tensors[k];
      expect(got?.shape).toEqual(t.shape);
      // Bit for bit, -0 included.
      expect(new Uint32Array((got as { data: Float32Array }).data.buffer)).toEqual(
        new Uint32Array(t.data.slice().buffer),
      );
    }
    cp.dispose();
    expect(cp.trainerState).toBeUndefined();
    expect(() => cp.weights).toThrow(/disposed/);
    net.dispose();
  });

  it('a model saved alone has no trainer state', async () => {
    const net = await renderModel(<layers.Linear outFeatures={3} />, { inputShape: [2] });
    const cp = await loadCheckpoint(await saveCheckpoint(net));
    expect(cp.trainerState).toBeUndefined();
    expect(cp.meta.hasTrainerState).toBe(false);
    net.dispose();
  });
});

describe('restoring', () => {
  it('restoreCheckpoint into a Net built from cp.tree works without React', async () => {
    const src = await renderModel(imageModel, { inputShape: IMAGE_INPUT, seed: 1 });
    const cp = await loadCheckpoint(await saveCheckpoint(src));
    const net = new Net({ inputShape: cp.inputShape, seed: 2 });
    net.commit(cp.tree);
    await net.ready();
    const report = restoreCheckpoint(net, cp);
    expect(report.loaded.length).toBe(readNetWeights(net).length);
    expect(await weightValues(net)).toEqual(await weightValues(src.net));
    net.dispose();
    src.dispose();
  });

  it("REACT_NN_VERSION is package.json's version", async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(REACT_NN_VERSION).toBe(pkg.version);
  });
});
