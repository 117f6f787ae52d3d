// Sequence models trained end to end (sine forecast, many-to-many, next character, sentiment),
// gradient clipping against exploding gradients, and freezing — before and during training.
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { nextToken, SENTIMENT_VOCABULARY, sentiment, sineWave } from '../../data/sequences';
import { ReLU } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { Embedding, GRU, LSTM, RNN } from '../../layers/recurrent';
import { renderModel } from '../../react/renderModel';
import { clipGradNorm, globalNorm } from '../optimizers';
import { createTrainer } from '../trainer';

const cleanup: { dispose(): void }[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c.dispose();
});
const own = <T extends { dispose(): void }>(x: T): T => {
  cleanup.push(x);
  return x;
};
const weightsOf = (model: tf.LayersModel, name: string) =>
  model
    .getLayer(name)
    .getWeights()
    .map((w) => Array.from(w.dataSync()));

/** Mean squared error of a model on a data set. */
function mse(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(model.predict(x) as tf.Tensor, y))).dataSync()[0] as number);
}

describe('sequence models learn', () => {
  it('an LSTM forecasts the next step of a sine wave: test MSE < 0.01 (predicting 0 scores ≈ 0.5)', async () => {
    const train = own(sineWave({ n: 128, window: 8, seed: 1 }));
    const test = own(sineWave({ n: 128, window: 8, seed: 2 }));
    const net = own(
      await renderModel(
        <Sequential>
          <LSTM hiddenSize={8} />
          <Linear outFeatures={1} />
        </Sequential>,
        { inputShape: [8, 1], seed: 1 },
      ),
    );
    const trainer = own(
      createTrainer(net, {
        data: train,
        loss: 'mse',
        optimizer: { type: 'adam', lr: 0.03 },
        batchSize: 32,
        epochs: 15,
        seed: 1,
      }),
    );
    const snap = await trainer.fit();
    expect(snap.status).toBe('done');
    const testMse = mse(net.model, test.x, test.y);
    expect(testMse).toBeLessThan(0.01);
    expect(snap.history.loss.at(-1) as number).toBeLessThan((snap.history.loss[0] as number) / 10);
  });

  it('many-to-many: a GRU with returnSequences predicts every next step', async () => {
    const data = own(sineWave({ n: 128, window: 10, sequence: true, seed: 3 }));
    expect(data.targetShape).toEqual([10, 1]);
    const net = own(
      await renderModel(
        <Sequential>
          <GRU hiddenSize={8} returnSequences />
          <Linear outFeatures={1} />
        </Sequential>,
        { inputShape: [10, 1], seed: 2 },
      ),
    );
    expect(net.summary().outputShape).toEqual([10, 1]);
    const trainer = own(
      createTrainer(net, {
        data,
        loss: 'mse',
        optimizer: { type: 'adam', lr: 0.03 },
        batchSize: 32,
        epochs: 10,
        seed: 1,
      }),
    );
    const snap = await trainer.fit();
    // The first step has seen one value only (its phase is ambiguous), so the mean stays above 0
    expect(snap.history.loss.at(-1) as number).toBeLessThan(0.05);
  });

  it('next character: Embedding → GRU → Linear learns a periodic text', async () => {
    const { data, vocabulary } = nextToken('abcd'.repeat(30), { window: 4 });
    own(data);
    expect(vocabulary.tokens).toEqual(['a', 'b', 'c', 'd']);
    const net = own(
      await renderModel(
        <Sequential>
          <Embedding numEmbeddings={vocabulary.size} embeddingDim={4} />
          <GRU hiddenSize={8} />
          <Linear outFeatures={vocabulary.size} />
        </Sequential>,
        { inputShape: [4], seed: 3 },
      ),
    );
    const trainer = own(
      createTrainer(net, {
        data,
        loss: 'crossEntropy',
        optimizer: { type: 'adam', lr: 0.05 },
        batchSize: 'full',
        epochs: 30,
        metrics: ['accuracy'],
      }),
    );
    const snap = await trainer.fit();
    expect(snap.history.accuracy?.at(-1)).toBe(1);
    const next = tf.tidy(
      () =>
        net
          .predict(tf.tensor2d([vocabulary.encode('bcda')]))
          .argMax(-1)
          .dataSync()[0] as number,
    );
    expect(vocabulary.decode([next])).toBe('b');
  });

  it('toy sentiment with negation: Embedding → LSTM reaches ≥ 90 % validation accuracy', async () => {
    const data = own(sentiment({ n: 400, length: 6, seed: 1 }));
    const net = own(
      await renderModel(
        <Sequential>
          <Embedding numEmbeddings={SENTIMENT_VOCABULARY.size} embeddingDim={8} />
          <LSTM hiddenSize={12} />
          <Linear outFeatures={1} />
        </Sequential>,
        { inputShape: [6], seed: 1 },
      ),
    );
    const trainer = own(
      createTrainer(net, {
        data,
        validationSplit: 0.2,
        loss: 'bceWithLogits',
        optimizer: { type: 'adam', lr: 0.03 },
        batchSize: 64,
        epochs: 12,
        metrics: ['accuracy'],
        seed: 1,
      }),
    );
    const snap = await trainer.fit();
    expect(snap.history.val_accuracy?.at(-1)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('gradient clipping', () => {
  // A ReLU RNN whose recurrent weights start at 0.25 everywhere (spectral radius 0.25·H = 2):
  // the state doubles every step, so over 12 steps the gradients are huge (~2¹²) while the
  // forward pass is still finite — the textbook exploding-gradient setup. The head starts far
  // below the targets (bias −1000), so the first gradient step *grows* the recurrent weights.
  const model = () => (
    <Sequential>
      <RNN hiddenSize={8} nonlinearity="relu" weightInit={0.1} recurrentInit={0.25} biasInit={0} />
      <Linear outFeatures={1} weightInit={0.1} biasInit={-1000} />
    </Sequential>
  );
  const data = () =>
    own(
      fromArrays({
        x: { data: Float32Array.from({ length: 64 * 12 }, (_v, i) => ((i * 7) % 11) / 11), shape: [64, 12, 1] },
        y: Array.from({ length: 64 }, (_v, i) => [Math.sin(i)]),
        task: 'regression',
      }),
    );

  it('the raw gradient norm is huge; clipGradNorm bounds it', async () => {
    const net = own(await renderModel(model(), { inputShape: [12, 1], seed: 1 }));
    const ds = data();
    const vars = net.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => tf.mean(tf.square(tf.sub(net.model.apply(ds.x, { training: true }) as tf.Tensor, ds.y))) as tf.Scalar,
      vars,
    );
    const raw = vars.map((v) => grads[v.name] as tf.Tensor);
    const clipped = clipGradNorm(raw, 1);
    const [rawNorm, clippedNorm] = [globalNorm(raw), globalNorm(clipped)].map((t) => {
      const v = t.dataSync()[0] as number;
      t.dispose();
      return v;
    });
    expect(rawNorm).toBeGreaterThan(1e4);
    expect(clippedNorm).toBeCloseTo(1, 4);
    tf.dispose([value, ...raw, ...clipped]);
  });

  it('without clipping SGD blows up (the trainer stops on a non-finite loss); with clipGradNorm it trains', async () => {
    const run = async (clip?: number) => {
      const net = own(await renderModel(model(), { inputShape: [12, 1], seed: 1 }));
      const trainer = own(
        createTrainer(net, {
          data: data(),
          loss: 'mse',
          optimizer: { type: 'sgd', lr: 0.01 },
          batchSize: 'full',
          epochs: 20,
          ...(clip ? { clipGradNorm: clip } : {}),
        }),
      );
      return trainer.fit();
    };
    const exploded = await run();
    expect(exploded.status).toBe('error');
    expect(exploded.error?.code).toBe('numeric');
    expect(exploded.error?.message).toContain('clipGradNorm');
    const clipped = await run(1);
    expect(clipped.status).toBe('done');
    expect(clipped.history.loss.every(Number.isFinite)).toBe(true);
    expect(clipped.history.loss.at(-1) as number).toBeLessThan(clipped.history.loss[0] as number);
  });
});

describe('freezing', () => {
  const data = () =>
    own(
      fromArrays({
        x: Array.from({ length: 32 }, (_v, i) => [Math.cos(i), Math.sin(i)]),
        y: Array.from({ length: 32 }, (_v, i) => [Math.cos(i) * Math.sin(i)]),
        task: 'regression',
      }),
    );

  it('a frozen layer’s weights are bit-identical after training while the head’s changed', async () => {
    const net = own(
      await renderModel(
        <Sequential>
          <Linear outFeatures={8} name="body" trainable={false} />
          <ReLU />
          <Linear outFeatures={1} name="head" />
        </Sequential>,
        { inputShape: [2], seed: 1 },
      ),
    );
    expect(net.summary().trainableParams).toBe(9);
    expect(net.summary().nonTrainableParams).toBe(24);
    const body = weightsOf(net.model, 'Sequential/Linear-nbody');
    const head = weightsOf(net.model, 'Sequential/Linear-nhead');
    const trainer = own(
      createTrainer(net, { data: data(), loss: 'mse', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 8, epochs: 5 }),
    );
    await trainer.fit();
    expect(weightsOf(net.model, 'Sequential/Linear-nbody')).toEqual(body);
    expect(weightsOf(net.model, 'Sequential/Linear-nhead')).not.toEqual(head);
  });

  it('a frozen container freezes every layer inside it', async () => {
    const net = own(
      await renderModel(
        <Sequential>
          <Sequential trainable={false}>
            <LSTM hiddenSize={4} returnSequences />
            <LSTM hiddenSize={4} />
          </Sequential>
          <Linear outFeatures={1} />
        </Sequential>,
        { inputShape: [3, 2], seed: 1 },
      ),
    );
    expect(net.summary().trainableParams).toBe(5);
    expect(net.model.trainableWeights.map((w) => w.originalName)).toEqual([
      'Sequential/Linear_0/kernel',
      'Sequential/Linear_0/bias',
    ]);
  });

  it('freezing mid-training takes effect at the next step, without rebuilding any layer', async () => {
    const tree = (frozen: boolean) => (
      <Sequential>
        <Linear outFeatures={8} name="body" trainable={!frozen} />
        <ReLU />
        <Linear outFeatures={1} name="head" />
      </Sequential>
    );
    const net = own(await renderModel(tree(false), { inputShape: [2], seed: 1 }));
    const trainer = own(
      createTrainer(net, {
        data: data(),
        loss: 'mse',
        optimizer: { type: 'adam', lr: 0.01 },
        batchSize: 8,
        epochs: 10,
      }),
    );
    await trainer.step();
    const layersBefore = [...net.model.layers];
    const body = weightsOf(net.model, 'Sequential/Linear-nbody');
    await net.update(tree(true));
    // The same tfjs layers (no recompile, nothing re-initialised), only their flag changed
    expect(net.model.layers).toEqual(layersBefore);
    net.model.layers.forEach((l, i) => expect(l).toBe(layersBefore[i]));
    expect(net.model.getLayer('Sequential/Linear-nbody').trainable).toBe(false);
    expect(net.summary().trainableParams).toBe(9);
    expect(weightsOf(net.model, 'Sequential/Linear-nbody')).toEqual(body);
    const head = weightsOf(net.model, 'Sequential/Linear-nhead');
    await trainer.step();
    await trainer.step();
    expect(weightsOf(net.model, 'Sequential/Linear-nbody')).toEqual(body);
    expect(weightsOf(net.model, 'Sequential/Linear-nhead')).not.toEqual(head);
    // …and unfreezing resumes training of the body
    await net.update(tree(false));
    await trainer.step();
    expect(weightsOf(net.model, 'Sequential/Linear-nbody')).not.toEqual(body);
    // Other edits still rebuild
    const v = net.net.version;
    await net.update(
      <Sequential>
        <Linear outFeatures={8} name="body" />
        <ReLU />
        <Linear outFeatures={1} name="head" bias={false} />
      </Sequential>,
    );
    expect(net.net.version).toBe(v + 1);
    expect(net.model.getLayer('Sequential/Linear-nbody')).not.toBe(layersBefore[1]);
  });
});

describe('tensors', () => {
  it('training a recurrent model and disposing everything leaks nothing', async () => {
    const run = async () => {
      const data = sineWave({ n: 32, window: 5, seed: 1 });
      const net = await renderModel(
        <Sequential>
          <LSTM hiddenSize={4} numLayers={2} dropout={0.1} bidirectional />
          <Linear outFeatures={1} />
        </Sequential>,
        { inputShape: [5, 1], seed: 1 },
      );
      const trainer = createTrainer(net, {
        data,
        validationSplit: 0.25,
        loss: 'mse',
        optimizer: { type: 'adam', lr: 0.01 },
        batchSize: 8,
        epochs: 2,
        clipGradNorm: 1,
      });
      await trainer.fit();
      trainer.dispose();
      net.dispose();
      data.dispose();
    };
    await run();
    const before = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(before);
  });
});
