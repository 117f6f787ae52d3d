import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dataset } from '../../data/dataset';
import { fromArrays } from '../../data/fromArrays';
import { housePrices, moons, spiral } from '../../data/generators';
import { ReactNNError } from '../../errors';
import { BentIdentity, ReLU, Sigmoid, Softmax, Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Dropout, Linear } from '../../layers/core';
import { type RenderedModel, renderModel } from '../../react/renderModel';
import { earlyStopping } from '../callbacks';
import { createTrainer } from '../trainer';

let start = 0;
const cleanup: { dispose(): void }[] = [];
beforeEach(() => {
  start = tf.memory().numTensors;
});
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c.dispose();
});
const own = <T extends { dispose(): void }>(x: T): T => {
  cleanup.push(x);
  return x;
};

/** A small Linear–ReLU–Linear–Sigmoid net for 2-D binary data. */
const binaryNet = () =>
  renderModel(
    <Sequential>
      <Linear outFeatures={8} />
      <ReLU />
      <Linear outFeatures={1} />
      <Sigmoid />
    </Sequential>,
    { inputShape: [2] },
  );

const weights = (net: RenderedModel) => net.model.getWeights().map((w) => Array.from(w.dataSync()));

describe('Trainer — the course’s numbers', () => {
  it('house prices: Linear(1→1), Adam 0.01, 100 full-batch epochs equals a float64 Adam reference to 1e-4', async () => {
    const data = own(housePrices());
    const net = own(
      await renderModel(<Linear outFeatures={1} weightInit={-0.01} biasInit={8} />, { inputShape: [1], seed: 1 }),
    );
    const trainer = own(
      createTrainer(net, { data, loss: 'mse', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 'full', epochs: 100 }),
    );
    const snap = await trainer.fit();
    expect(snap.status).toBe('done');
    expect(snap.history.loss).toHaveLength(100);

    // Reference: torch.optim.Adam on MSE, float64, the same 12 points.
    const xs = [30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140];
    const ys = [7.5, 7, 6.5, 6.0, 5.5, 5.0, 4.5, 3.5, 3.2, 2.8, 3.0, 2.5];
    let w = -0.01;
    let b = 8;
    const [b1, b2, eps, lr] = [0.9, 0.999, 1e-8, 0.01];
    let [mw, vw, mb, vb] = [0, 0, 0, 0];
    const losses: number[] = [];
    for (let t = 1; t <= 100; t++) {
      let loss = 0;
      let gw = 0;
      let gb = 0;
      xs.forEach((x, i) => {
        const r = w * x + b - (ys[i] as number);
        loss += (r * r) / xs.length;
        gw += (2 * r * x) / xs.length;
        gb += (2 * r) / xs.length;
      });
      losses.push(loss);
      mw = b1 * mw + (1 - b1) * gw;
      vw = b2 * vw + (1 - b2) * gw * gw;
      mb = b1 * mb + (1 - b1) * gb;
      vb = b2 * vb + (1 - b2) * gb * gb;
      const c1 = 1 - b1 ** t;
      const c2 = 1 - b2 ** t;
      w -= (lr * (mw / c1)) / (Math.sqrt(vw / c2) + eps);
      b -= (lr * (mb / c1)) / (Math.sqrt(vb / c2) + eps);
    }
    const [kernel, bias] = weights(net);
    expect(Math.abs((kernel?.[0] as number) - w)).toBeLessThan(1e-4);
    expect(Math.abs((bias?.[0] as number) - b)).toBeLessThan(1e-4);
    expect(Math.abs((snap.history.loss.at(-1) as number) - (losses.at(-1) as number))).toBeLessThan(1e-4);
    expect(Math.abs((snap.history.loss[0] as number) - (losses[0] as number))).toBeLessThan(1e-4);
  });

  it('3-class spiral: a linear model stays near 50 %, Linear–ReLU–Linear reaches ≥ 90 % (1,000 full-batch epochs)', async () => {
    const data = own(spiral({ pointsPerClass: 1000, classes: 3, seed: 0 }));
    const linearRun = async (lr: number) => {
      const linear = own(await renderModel(<Linear outFeatures={3} />, { inputShape: [2], seed: 3 }));
      const t = own(
        createTrainer(linear, {
          data,
          loss: 'crossEntropy',
          optimizer: { type: 'sgd', lr, weightDecay: 1e-5 },
          batchSize: 'full',
          epochs: 1000,
          metrics: ['accuracy'],
        }),
      );
      return (await t.fit()).history.accuracy?.at(-1) as number;
    };
    // The course's settings (SGD 1e-3) barely move the weights in 1,000 steps; with lr 0.1 the
    // linear model converges — and no line through the plane separates three spiral arms.
    expect(await linearRun(1e-3)).toBeLessThan(0.55);
    const converged = await linearRun(0.1);
    expect(converged).toBeGreaterThan(0.45);
    expect(converged).toBeLessThan(0.55);

    const mlp = own(
      await renderModel(
        <Sequential>
          <Linear outFeatures={100} />
          <ReLU />
          <Linear outFeatures={3} />
        </Sequential>,
        { inputShape: [2], seed: 3 },
      ),
    );
    const t2 = own(
      createTrainer(mlp, {
        data,
        loss: 'crossEntropy',
        optimizer: { type: 'adam', lr: 1e-3, weightDecay: 1e-5 },
        batchSize: 'full',
        epochs: 1000,
        metrics: ['accuracy'],
      }),
    );
    const s2 = await t2.fit();
    expect(s2.history.accuracy?.at(-1) as number).toBeGreaterThanOrEqual(0.9);
  });

  it('moons with early stopping (patience 15) restores the best epoch’s weights — recomputed val_loss matches', async () => {
    const data = own(moons({ n: 1000, noise: 0.3, seed: 5 }));
    const net = own(
      await renderModel(
        <Sequential>
          <Linear outFeatures={16} />
          <BentIdentity />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>,
        { inputShape: [2], seed: 5 },
      ),
    );
    const stopper = earlyStopping({ monitor: 'val_loss', patience: 15, restoreBestWeights: true });
    const split = data.split(0.2, { seed: 9 });
    own(split.train);
    own(split.val);
    const trainer = own(
      createTrainer(net, {
        data: { train: split.train, val: split.val },
        loss: 'bce',
        // A large learning rate makes validation loss turn up early, so the callback must act.
        optimizer: { type: 'adam', lr: 0.05 },
        batchSize: 16,
        epochs: 400,
        seed: 5,
        callbacks: [stopper],
      }),
    );
    const snap = await trainer.fit();
    expect(snap.status).toBe('stopped');
    expect(snap.stopReason).toMatch(/early stopping/);
    const best = stopper.bestEpoch as number;
    expect(snap.epoch).toBe(best + 16);
    const valLoss = snap.history.val_loss as number[];
    expect(Math.min(...valLoss)).toBe(valLoss[best]);
    // Recompute val_loss with the restored weights: torch's BCELoss by hand.
    const p = await (net.predict(split.val.x) as tf.Tensor).data();
    const y = await split.val.y.data();
    let bce = 0;
    p.forEach((pi, i) => {
      const yi = y[i] as number;
      bce -= yi * Math.max(Math.log(pi), -100) + (1 - yi) * Math.max(Math.log(1 - pi), -100);
    });
    bce /= p.length;
    expect(Math.abs(bce - (valLoss[best] as number))).toBeLessThan(1e-5);
    expect(Math.abs(bce - (valLoss.at(-1) as number))).toBeGreaterThan(1e-5);
    tf.dispose(tf.engine().state.activeScope ? [] : []);
  });
});

describe('Trainer — state machine and live changes', () => {
  const mlp = (hidden = 8) => (
    <Sequential>
      <Linear outFeatures={8} />
      <Tanh />
      <Linear outFeatures={hidden} />
      <Tanh />
      <Linear outFeatures={1} />
      <Sigmoid />
    </Sequential>
  );

  it('gives identical histories for the same seeds, dropout included', async () => {
    const run = async () => {
      const data = own(moons({ n: 200, noise: 0.2, seed: 1 }));
      const net = own(
        await renderModel(
          <Sequential>
            <Linear outFeatures={16} />
            <ReLU />
            <Dropout p={0.3} />
            <Linear outFeatures={1} />
            <Sigmoid />
          </Sequential>,
          { inputShape: [2], seed: 11 },
        ),
      );
      const t = own(
        createTrainer(net, {
          data,
          validationSplit: 0.25,
          loss: 'bce',
          optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
          batchSize: 20,
          epochs: 5,
          seed: 4,
        }),
      );
      return (await t.fit()).history;
    };
    const a = await run();
    const b = await run();
    expect(a.loss).toHaveLength(5);
    expect(b).toEqual(a);
  });

  it('steps by hand, pauses and resumes, and refuses a second loop', async () => {
    const data = own(moons({ n: 100, noise: 0.2, seed: 1 }));
    const net = own(await renderModel(mlp(), { inputShape: [2], seed: 1 }));
    // engine 'tfjs': this pauses 30 ms into the run — the fused engines finish these 100 steps sooner.
    const t = own(
      createTrainer(net, {
        data,
        loss: 'bce',
        optimizer: { type: 'adam', lr: 0.01 },
        batchSize: 50,
        epochs: 50,
        engine: 'tfjs',
      }),
    );
    await t.step();
    expect(t.getSnapshot()).toMatchObject({ status: 'paused', step: 1, epoch: 0 });
    await t.step();
    expect(t.getSnapshot()).toMatchObject({ step: 2, epoch: 1 });
    expect(t.getSnapshot().history.loss).toHaveLength(1);

    const done = t.fit();
    expect(t.status).toBe('running');
    await expect(t.fit()).rejects.toBeInstanceOf(ReactNNError);
    await expect(t.fit()).rejects.toThrow(/already running/);
    await new Promise((r) => setTimeout(r, 30));
    t.pause();
    expect(t.status).toBe('paused');
    await new Promise((r) => setTimeout(r, 20));
    const pausedAt = t.getSnapshot().step;
    await new Promise((r) => setTimeout(r, 50));
    expect(t.getSnapshot().step).toBe(pausedAt);
    t.resume();
    const snap = await done;
    expect(snap.status).toBe('done');
    expect(snap.epoch).toBe(50);
    expect(snap.step).toBe(100);
  });

  it('applies a live learning-rate change at the next step', async () => {
    const data = own(moons({ n: 64, noise: 0.2, seed: 2 }));
    const net = own(await renderModel(mlp(), { inputShape: [2], seed: 2 }));
    const t = own(
      createTrainer(net, { data, loss: 'bce', optimizer: { type: 'sgd', lr: 0.5 }, batchSize: 'full', epochs: 10 }),
    );
    const w0 = weights(net);
    await t.step();
    const w1 = weights(net);
    const moved = (a: number[][], b: number[][]) =>
      Math.max(...a.flatMap((w, i) => w.map((v, j) => Math.abs(v - (b[i]?.[j] as number)))));
    expect(moved(w0, w1)).toBeGreaterThan(1e-4);
    t.setOptions({ optimizer: { type: 'sgd', lr: 1e-12 } });
    expect(t.getSnapshot().lr).toBe(1e-12);
    await t.step();
    expect(moved(w1, weights(net))).toBeLessThan(1e-9);
    expect(() => t.setOptions({ optimizer: { type: 'sgd', lr: -1 } })).toThrow(ReactNNError);
    expect(t.getSnapshot().lr).toBe(1e-12);
  });

  it('keeps training through a live edit, carrying kept weights and optimizer state', async () => {
    const data = own(moons({ n: 200, noise: 0.2, seed: 3 }));
    const net = own(await renderModel(mlp(8), { inputShape: [2], seed: 3 }));
    // engine 'tfjs': this reads the tfjs engine's Optimizer state (the fused engines keep their
    // own; their twin of this test is in engines/__tests__/fused.test.tsx).
    const t = own(
      createTrainer(net, {
        data,
        loss: 'bce',
        optimizer: { type: 'adam', lr: 0.01 },
        batchSize: 20,
        epochs: 40,
        engine: 'tfjs',
      }),
    );
    let edited = false;
    let firstBefore: number[] = [];
    let firstAfter: number[] = [];
    t.setOptions({
      onEpochEnd: (epoch) => {
        if (epoch === 9 && !edited) {
          edited = true;
          firstBefore = Array.from(net.model.getLayer('Sequential/Linear_0').getWeights()[0]?.dataSync() ?? []);
          void net.update(mlp(16));
          firstAfter = Array.from(net.model.getLayer('Sequential/Linear_0').getWeights()[0]?.dataSync() ?? []);
        }
      },
    });
    const snap = await t.fit();
    expect(edited).toBe(true);
    expect(firstAfter).toEqual(firstBefore);
    // Adam's moments live on for the kept first layer; the resized layer's were dropped and rebuilt.
    // 40 epochs × 10 steps; the edit came after epoch 10, i.e. after 100 steps.
    const steps = t.optimizer.paramSteps();
    expect(steps['Sequential/Linear_0/kernel']).toBe(400);
    expect(steps['Sequential/Linear_1/kernel']).toBe(300);
    expect(steps['Sequential/Linear_2/bias']).toBe(400);
    expect(snap.status).toBe('done');
    expect(snap.epoch).toBe(40);
    expect(net.summary().totalParams).toBe(24 + 8 * 16 + 16 + 16 + 1);
    // Still learning after the edit.
    expect(snap.history.loss.at(-1) as number).toBeLessThan(snap.history.loss[10] as number);
  });

  it('refuses an edit whose output no longer fits the labels, and keeps training the last good model', async () => {
    const data = own(spiral({ pointsPerClass: 50, classes: 3, seed: 1 }));
    const tree = (out: number) => (
      <Sequential>
        <Linear outFeatures={16} />
        <ReLU />
        <Linear outFeatures={out} />
      </Sequential>
    );
    const net = own(await renderModel(tree(3), { inputShape: [2], seed: 1 }));
    const t = own(createTrainer(net, { data, loss: 'crossEntropy', optimizer: { type: 'adam', lr: 0.01 }, epochs: 3 }));
    const good = net.model;
    await expect(net.update(tree(1))).rejects.toThrow(
      /crossEntropy needs one output per class.*last layer: Sequential > Linear\[1\]/,
    );
    expect(net.model).toBe(good);
    const snap = await t.fit();
    expect(snap.status).toBe('done');
  });

  it('stops on a NaN/Infinity loss with status error and says so', async () => {
    const data = own(housePrices());
    const net = own(await renderModel(<Linear outFeatures={1} />, { inputShape: [1], seed: 1 }));
    const t = own(
      createTrainer(net, { data, loss: 'mse', optimizer: { type: 'sgd', lr: 10 }, batchSize: 'full', epochs: 500 }),
    );
    const snap = await t.fit();
    expect(snap.status).toBe('error');
    expect(snap.error?.code).toBe('numeric');
    expect(snap.error?.message).toMatch(/loss became (NaN|Infinity).*lower the learning rate/);
    expect(snap.epoch).toBeLessThan(500);
  });

  it('warns once when a Softmax-ended model is trained with crossEntropy', async () => {
    const data = own(spiral({ pointsPerClass: 10, classes: 3, seed: 1 }));
    const net = own(
      await renderModel(
        <Sequential>
          <Linear outFeatures={3} />
          <Softmax />
        </Sequential>,
        { inputShape: [2] },
      ),
    );
    const t = own(createTrainer(net, { data, loss: 'crossEntropy', optimizer: { type: 'adam', lr: 0.01 }, epochs: 1 }));
    await t.fit();
    expect(t.getSnapshot().warnings).toEqual([expect.stringMatching(/ends in Softmax .*remove the <Softmax \/>/)]);
  });
});

describe('Trainer — bad input', () => {
  it('names bad labels, options, names and data', async () => {
    const data = own(spiral({ pointsPerClass: 10, classes: 3, seed: 1 }));
    const net = own(await renderModel(<Linear outFeatures={1} />, { inputShape: [2] }));
    const base = { data, loss: 'crossEntropy' as const, optimizer: { type: 'adam' as const, lr: 0.01 } };
    expect(() => createTrainer(net, base)).toThrow(
      /crossEntropy needs one output per class.*3 classes.*last layer: Linear/,
    );
    const net3 = own(await renderModel(<Linear outFeatures={3} />, { inputShape: [2] }));
    expect(() => createTrainer(net3, { ...base, optimizer: { type: 'adam', lr: 0 } })).toThrow(/lr/);
    expect(() => createTrainer(net3, { ...base, optimizer: { type: 'adam', lr: Number.NaN } })).toThrow(ReactNNError);
    expect(() => createTrainer(net3, { ...base, loss: 'hinge' as never })).toThrow(/"mse".*"crossEntropy"/s);
    expect(() => createTrainer(net3, { ...base, optimizer: { type: 'adamax' as never, lr: 1 } })).toThrow(/"sgd"/);
    expect(() => createTrainer(net3, { ...base, metrics: ['acc' as never] })).toThrow(/accuracy/);
    expect(() => createTrainer(net3, { ...base, batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
    expect(() => createTrainer(net3, { ...base, lr: 0.1 } as never)).toThrow(/unknown option "lr"/);
    expect(() =>
      fromArrays({
        x: [
          [0, 1],
          [Number.NaN, 2],
        ],
        y: [0, 1],
      }),
    ).toThrow(/row 1/);
    const wrongShape = own(fromArrays({ x: [[0, 1, 2]], y: [0] }));
    expect(() => createTrainer(net3, { ...base, data: wrongShape })).toThrow(/inputShape=\{\[3\]\}/);
  });

  it('ends quietly when its data and itself are disposed mid-run (an unmount)', async () => {
    const before = tf.memory().numTensors;
    const data = moons({ n: 400, noise: 0.2, seed: 1 });
    const net = await binaryNet();
    const t = createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.01 },
      epochs: 1000,
      metrics: ['auc'],
    });
    const run = t.fit();
    let epochsSeen = 0;
    t.subscribe(() => {
      epochsSeen = t.getSnapshot().epoch;
    });
    while (epochsSeen < 2) await new Promise((r) => setTimeout(r, 5));
    // useDataset's cleanup may run before useTrainer's: data first, then the trainer.
    data.dispose();
    t.dispose();
    const snap = await run;
    expect(['stopped', 'error']).toContain(snap.status);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no tensors after stopping mid-epoch and disposing', async () => {
    const before = tf.memory().numTensors;
    const data = moons({ n: 300, noise: 0.2, seed: 1 });
    const net = await binaryNet();
    const t = createTrainer(net, {
      data,
      validationSplit: 0.2,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 8,
      epochs: 1000,
      metrics: ['accuracy', 'auc'],
      callbacks: [earlyStopping({ patience: 1000, restoreBestWeights: true })],
    });
    const run = t.fit();
    await new Promise((r) => setTimeout(r, 100));
    t.stop();
    const snap = await run;
    expect(snap.status).toBe('stopped');
    expect(snap.step).toBeGreaterThan(0);
    t.dispose();
    net.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(before).toBe(start);
  });
});

void Dataset;
