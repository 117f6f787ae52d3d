// Transfer learning with <Pretrained>: a small model the test trains and saves itself is
// loaded (in-memory artefacts, an IOHandler, a live LayersModel), cut below its head, frozen
// and given a new head; the Net waits while it loads; errors; no leaks.
import * as tf from '@tensorflow/tfjs';
import type { ReactElement } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { ReactNNError } from '../../errors';
import { renderModel } from '../../react/renderModel';
import { Net } from '../../runtime/net';
import { createTrainer } from '../../training/trainer';
import { ReLU, Sigmoid } from '../activation';
import { Sequential } from '../containers';
import { Linear } from '../core';
import { clearPretrainedCache, loadPretrained, Pretrained } from '../pretrained';
import { LSTM } from '../recurrent';
import { el, expectClose, seq } from './util';

const cleanup: { dispose(): void }[] = [];
const own = <T extends { dispose(): void }>(x: T): T => {
  cleanup.push(x);
  return x;
};
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c.dispose();
});

const values = (ws: tf.LayerVariable[]) => ws.map((w) => Array.from(w.read().dataSync()));

/** Saves a model into memory, as `model.save('downloads://…')` would to files. */
async function saveToMemory(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved as unknown as tf.io.ModelArtifacts;
}

// The "pretrained" model: an MLP trained on moons, saved once for the whole file.
let artifacts: tf.io.ModelArtifacts;
let baseline: number; // its training accuracy
const probe = tf.tidy(() => tf.keep(tf.tensor2d([0.1, 0.2, -1, 0.5, 1.5, -0.3], [3, 2])));
let features: number[][]; // its ReLU_1 outputs for `probe`

beforeAll(async () => {
  const data = moons({ n: 200, noise: 0.1, seed: 1 });
  const net = await renderModel(
    <Sequential>
      <Linear outFeatures={16} />
      <ReLU />
      <Linear outFeatures={8} />
      <ReLU />
      <Linear outFeatures={1} />
      <Sigmoid />
    </Sequential>,
    { inputShape: [2], seed: 1 },
  );
  const trainer = createTrainer(net, {
    data,
    loss: 'bce',
    optimizer: { type: 'adam', lr: 0.02 },
    batchSize: 'full',
    epochs: 150,
    metrics: ['accuracy'],
  });
  baseline = (await trainer.fit()).history.accuracy?.at(-1) as number;
  artifacts = await saveToMemory(net.model);
  const sub = tf.model({ inputs: net.model.inputs, outputs: net.model.getLayer('Sequential/ReLU_1').output });
  features = tf.tidy(() => (sub.predict(probe) as tf.Tensor).arraySync() as number[][]);
  trainer.dispose();
  data.dispose();
  net.dispose();
});

describe('<Pretrained> from in-memory artefacts', () => {
  it('loads as a frozen base with a new head; base weights stay bit-identical while the head learns', async () => {
    expect(baseline).toBeGreaterThan(0.95);
    const net = own(
      await renderModel(
        <Sequential>
          <Pretrained src={artifacts} upTo="Sequential/ReLU_1" trainable={false} />
          <Linear outFeatures={1} name="head" />
          <Sigmoid />
        </Sequential>,
        { inputShape: [2], seed: 5 },
      ),
    );
    // Kept: Linear(2→16) + Linear(16→8) = 48 + 136 = 184 frozen; the head 8 + 1 = 9 trainable
    const s = net.summary();
    expect(s.layers.find((l) => l.type === 'Pretrained')).toMatchObject({
      params: 184,
      trainable: false,
      outputShape: [8],
    });
    expect(s.trainableParams).toBe(9);
    expect(s.totalParams).toBe(193);
    expect(net.model.countParams()).toBe(193);
    expect(net.model.trainableWeights.map((w) => w.originalName)).toEqual([
      'Sequential/Linear-nhead/kernel',
      'Sequential/Linear-nhead/bias',
    ]);
    // The base computes what the saved model computed up to the cut
    const base = net.model.getLayer('Sequential/Pretrained_0') as tf.LayersModel;
    expectClose(
      tf.tidy(() => (base.predict(probe) as tf.Tensor).arraySync()),
      features,
      1e-6,
    );

    const frozen = values(base.weights);
    const head = values(net.model.getLayer('Sequential/Linear-nhead').weights);
    const data = own(moons({ n: 200, noise: 0.1, seed: 2 }));
    const trainer = own(
      createTrainer(net, {
        data,
        loss: 'bce',
        optimizer: { type: 'adam', lr: 0.05 },
        batchSize: 50,
        epochs: 15,
        metrics: ['accuracy'],
      }),
    );
    const snap = await trainer.fit();
    expect(values(base.weights)).toEqual(frozen);
    expect(values(net.model.getLayer('Sequential/Linear-nhead').weights)).not.toEqual(head);
    // Features learnt on moons carry over: a fresh head on the frozen base gets there fast
    expect(snap.history.accuracy?.at(-1)).toBeGreaterThan(0.9);
    expect(snap.history.loss.at(-1) as number).toBeLessThan(snap.history.loss[0] as number);
  });

  it('unfreezing mid-training re-flags the live layers (no rebuild) and the base starts to fine-tune', async () => {
    const tree = (trainable: boolean) => (
      <Sequential>
        <Pretrained src={artifacts} upTo={-3} trainable={trainable} />
        <Linear outFeatures={1} />
        <Sigmoid />
      </Sequential>
    );
    const net = own(await renderModel(tree(false), { inputShape: [2], seed: 5 }));
    const data = own(moons({ n: 100, noise: 0.1, seed: 3 }));
    const trainer = own(
      createTrainer(net, { data, loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 'full', epochs: 4 }),
    );
    const base = net.model.getLayer('Sequential/Pretrained_0') as tf.LayersModel;
    const frozen = values(base.weights);
    await trainer.step();
    await trainer.step();
    expect(values(base.weights)).toEqual(frozen);
    const before = net.net.getSnapshot();
    await net.update(tree(true));
    const after = net.net.getSnapshot();
    expect(after.version).toBe(before.version + 1);
    // Same layers (the base object itself), new model object, all weights kept
    expect(after.model?.getLayer('Sequential/Pretrained_0')).toBe(base);
    expect(after.model).not.toBe(before.model);
    expect(after.lastEdit?.reset).toEqual([]);
    expect(after.summary?.trainableParams).toBe(193);
    await trainer.step();
    expect(values(base.weights)).not.toEqual(frozen);
  });

  it('an IOHandler and a live LayersModel work too; loadPretrained lists the layers for upTo', async () => {
    const info = await loadPretrained(artifacts);
    expect(info.inputShape).toEqual([2]);
    expect(info.layers.map((l) => l.name)).toEqual([
      'Sequential/Linear_0',
      'Sequential/ReLU_0',
      'Sequential/Linear_1',
      'Sequential/ReLU_1',
      'Sequential/Linear_2',
      'Sequential/Sigmoid_0',
    ]);
    expect(info.layers[2]).toMatchObject({
      className: 'Dense',
      outputShape: [8],
      params: { trainable: 136, nonTrainable: 0 },
    });

    const handler = tf.io.fromMemory(artifacts);
    const viaHandler = own(
      await renderModel(<Pretrained src={handler} upTo="Sequential/ReLU_1" />, { inputShape: [2] }),
    );
    expectClose(
      tf.tidy(() => viaHandler.predict(probe).arraySync()),
      features,
      1e-6,
    );

    const live = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const viaModel = own(await renderModel(<Pretrained src={live} upTo={3} />, { inputShape: [2] }));
    expectClose(
      tf.tidy(() => viaModel.predict(probe).arraySync()),
      features,
      1e-6,
    );
    // Trainable by default, as in PyTorch
    expect(viaModel.summary().trainableParams).toBe(184);
    // The copy is independent of the source model
    live.dispose();
    expectClose(
      tf.tidy(() => viaModel.predict(probe).arraySync()),
      features,
      1e-6,
    );
  });

  it('fine-tuned weights survive edits of the head (carried over, not re-copied from the file)', async () => {
    const tree = (extra: boolean) => (
      <Sequential>
        <Pretrained src={artifacts} upTo="Sequential/ReLU_1" />
        {extra ? <ReLU /> : null}
        <Linear outFeatures={1} />
      </Sequential>
    );
    const net = own(await renderModel(tree(false), { inputShape: [2], seed: 1 }));
    const base = () => (net.model.getLayer('Sequential/Pretrained_0') as tf.LayersModel).weights;
    tf.tidy(() => {
      base()[0]?.write(tf.onesLike(base()[0]?.read() as tf.Tensor));
    });
    await net.update(tree(true));
    expect(Array.from(base()[0]?.read().dataSync() ?? [])).toEqual(new Array(32).fill(1));
    expect(net.net.getSnapshot().lastEdit?.kept).toContain('Sequential/Pretrained_0.Sequential/Linear_0/kernel');
  });
});

describe('loading', () => {
  it('the Net stays "building" while the source loads, then builds', async () => {
    const fresh = JSON.parse(JSON.stringify({ ...artifacts, weightData: undefined })) as tf.io.ModelArtifacts;
    fresh.weightData = artifacts.weightData;
    const net = own(new Net({ inputShape: [2], backend: 'cpu' }));
    expect(
      net.commit(seq(el('Pretrained', { src: fresh, upTo: 'Sequential/ReLU_0' }), el('Linear', { outFeatures: 2 }))),
    ).toBe(null);
    expect(net.status).toBe('building');
    expect(net.error).toBe(null);
    await net.ready();
    expect(net.status).toBe('ready');
    expect(net.summary().outputShape).toEqual([2]);
  });

  it('a source that fails to load is reported at the layer', async () => {
    const broken = { modelTopology: { class_name: 'NoSuchModel', config: {} } } as unknown as tf.io.ModelArtifacts;
    const e = await renderModel(<Pretrained src={broken} />, { inputShape: [2] }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ReactNNError);
    expect((e as ReactNNError).path).toBe('Pretrained');
    expect((e as ReactNNError).message).toContain('could not load the pretrained model in-memory model artefacts');
    clearPretrainedCache(broken);
  });
});

describe('bad input', () => {
  const fails = async (element: ReactElement, inputShape = [2]) =>
    renderModel(element, { inputShape }).then(
      () => {
        throw new Error('expected an error');
      },
      (e: unknown) => e as ReactNNError,
    );

  it('a pretrained output that does not fit the next layer names both', async () => {
    const e = await fails(
      <Sequential>
        <Pretrained src={artifacts} upTo="Sequential/ReLU_1" />
        <LSTM hiddenSize={4} />
      </Sequential>,
    );
    expect(e.code).toBe('shape');
    expect(e.path).toBe('Sequential > LSTM[0]');
    expect(e.message).toContain('gets [8] per example');
    expect(e.message).toContain('from Pretrained (Sequential > Pretrained[0])');
  });

  it('wrong input shape, unknown upTo, bad src', async () => {
    const shape = await fails(<Pretrained src={artifacts} />, [3]);
    expect(shape.code).toBe('shape');
    expect(shape.message).toContain('the pretrained model takes [2] per example but gets [3]');
    const upTo = await fails(<Pretrained src={artifacts} upTo="dense_9" />);
    expect(upTo.message).toContain('upTo="dense_9" is not a layer of the pretrained model');
    expect(upTo.message).toContain('"Sequential/ReLU_1"');
    const index = await fails(<Pretrained src={artifacts} upTo={9} />);
    expect(index.message).toContain("outside the model's 6 layers");
    const src = await fails(<Pretrained src={42 as unknown as string} />);
    expect(src.message).toContain('src must be a model.json URL');
  });
});

describe('tensors', () => {
  it('the cache holds no tensors; build, train, unfreeze (fast path), rebuild and dispose leak none', async () => {
    await loadPretrained(artifacts);
    const tree = (trainable: boolean, extra = false) => (
      <Sequential>
        <Pretrained src={artifacts} upTo={-3} trainable={trainable} />
        {extra ? <ReLU /> : null}
        <Linear outFeatures={1} />
        <Sigmoid />
      </Sequential>
    );
    const run = async () => {
      const net = await renderModel(tree(false), { inputShape: [2] });
      const data = moons({ n: 32, seed: 4 });
      const trainer = createTrainer(net, { data, loss: 'bce', optimizer: { type: 'adam', lr: 0.1 }, epochs: 1 });
      await trainer.fit();
      await net.update(tree(true));
      trainer.setOptions({ epochs: 2 });
      await trainer.fit();
      await net.update(tree(true, true));
      trainer.setOptions({ epochs: 3 });
      await trainer.fit();
      trainer.dispose();
      data.dispose();
      net.dispose();
    };
    await run();
    const before = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(before);
  });
});
