import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { fromArrays } from '../../../data/fromArrays';
import { housePrices, moons } from '../../../data/generators';
import type { AnalyzedGraph } from '../../../graph/types';
import { ReLU, Sigmoid, Softmax, Tanh } from '../../../layers/activation';
import { Sequential } from '../../../layers/containers';
import { Linear } from '../../../layers/core';
import { GRU } from '../../../layers/recurrent';
import { renderModel } from '../../../react/renderModel';
import { earlyStopping } from '../../callbacks';
import { resolveLoss } from '../../losses';
import { createOptimizer } from '../../optimizers';
import { createTrainer } from '../../trainer';
import { kernels } from '../fused/kernel';
import { buildSpec, optSpec } from '../fused/plan';
import { batchSizes } from '../fused/webgpu';
import { readParamsSync } from '../fused/weights';
import { OrderBlock } from '../orderBlock';
import { selectEngine } from '../select';
import { base, cases, mlp } from './cases';
import { maxDiff, maxWeight, plainStepConfig, type RunOptions, runOf, trainInPhases, trainWith } from './parity';

// Parity: the same seeded model on the same batches, 500 steps, with tfjs and with fused-cpu.
// (fused-webgpu parity: webgpu.test.tsx in Node via the `webgpu` package, and the browser test.)

const measured: string[] = [];
afterAll(() => {
  console.info(`fused-cpu vs tfjs, max |Δweight| after 500 steps:\n  ${measured.join('\n  ')}`);
});

const TOL = 1e-5;

// L1 under Adam drives weights to 0 and then flips them around it by ~lr every step: which side
// a weight lands on is decided by float rounding, so those few weights cannot agree to 1e-5
// between any two implementations. Every other weight must.
it('L1 regularization + adam: all weights agree to 1e-5 except those L1 holds at zero (|w| < 2·lr)', async () => {
  const data = moons({ n: 100, noise: 0.2, seed: 4 });
  const o: RunOptions = { ...base, loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, regularization: { l1: 1e-3 } };
  try {
    const a = await trainWith('tfjs', mlp(1, 'sigmoid'), data, o);
    const b = await trainWith('fused-cpu', mlp(1, 'sigmoid'), data, o);
    let off = 0;
    let atZero = 0;
    a.weights.forEach((w, i) => {
      w.forEach((v, j) => {
        const u = (b.weights[i] as Float32Array)[j] as number;
        if (Math.abs(v) < 0.02 && Math.abs(u) < 0.02) atZero++;
        else off = Math.max(off, Math.abs(v - u));
      });
    });
    measured.push(`L1 + adam: ${off.toExponential(2)} outside the ${atZero} weights held at 0`);
    expect(off).toBeLessThan(TOL);
    expect(atZero).toBeLessThan(40); // of 75
  } finally {
    data.dispose();
  }
});

describe('fused-cpu matches tfjs after 500 seeded steps (|Δweight| < 1e-5, relative above 1)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const data = c.data();
      try {
        const a = await trainWith('tfjs', c.tree(), data, c.options);
        const b = await trainWith('fused-cpu', c.tree(), data, c.options);
        expect(a.snapshot.engine.name).toBe('tfjs');
        expect(b.snapshot.engine).toEqual({
          name: 'fused-cpu',
          reason: 'requested — in this thread, in chunks of ≤ 25 ms',
        });
        expect(b.snapshot.step).toBe(500);
        expect(a.snapshot.step).toBe(500);
        const d = maxDiff(a, b);
        measured.push(`${c.name}: ${d.toExponential(2)} (weights up to ${maxWeight(a).toFixed(2)})`);
        expect(d).toBeLessThan(TOL);
        // Same epoch losses too (the trainer's history, through its usual accounting).
        a.snapshot.history.loss.forEach((l, i) => {
          expect(Math.abs(l - (b.snapshot.history.loss[i] as number))).toBeLessThan(1e-5);
        });
      } finally {
        data.dispose();
      }
      expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
    });
  }
});

describe('engine choice', () => {
  it('auto picks fused-cpu in Node when everything is supported, and says why', async () => {
    const data = moons({ n: 40, noise: 0.2, seed: 1 });
    const net = await renderModel(mlp(1, 'sigmoid'), { inputShape: [2], seed: 1 });
    const t = createTrainer(net, { data, loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 2 });
    try {
      expect(t.getSnapshot().engine.name).toBe('fused-cpu');
      const snap = await t.fit();
      expect(snap.engine).toEqual({
        name: 'fused-cpu',
        reason:
          'auto: every layer, the loss and the optimizer are supported; fused-webgpu not used: no WebGPU here (navigator.gpu is missing) — in this thread, in chunks of ≤ 25 ms',
      });
    } finally {
      t.dispose();
      net.dispose();
      data.dispose();
    }
  });

  it('auto falls back to tfjs for a GRU, naming the layer; fused-cpu does too when requested', async () => {
    const n = 12;
    const data = fromArrays({
      x: { data: Array.from({ length: n * 8 }, (_v, i) => Math.sin(i)), shape: [n, 4, 2] },
      y: Array.from({ length: n }, (_v, i) => i % 2),
    });
    const tree = (
      <Sequential>
        <GRU hiddenSize={3} />
        <Linear outFeatures={2} />
      </Sequential>
    );
    const net = await renderModel(tree, { inputShape: [4, 2], seed: 1 });
    const options = { data, loss: 'crossEntropy' as const, optimizer: { type: 'sgd' as const, lr: 0.1 }, epochs: 2 };
    const auto = createTrainer(net, options);
    const forced = createTrainer(net, { ...options, engine: 'fused-cpu' });
    try {
      expect(auto.getSnapshot().engine).toEqual({
        name: 'tfjs',
        reason: expect.stringMatching(
          /^auto: Sequential > GRU\[0\] is a GRU, which the fused engines do not run .* — training on tfjs$/,
        ),
      });
      const snap = await auto.fit();
      expect(snap.status).toBe('done');
      expect(snap.engine.name).toBe('tfjs');
      expect(snap.engine.reason).toMatch(/GRU\[0\]/);
      const forcedSnap = await forced.fit();
      expect(forcedSnap.engine.name).toBe('tfjs');
      expect(forcedSnap.engine.reason).toMatch(/^fused-cpu was requested, but: Sequential > GRU\[0\] is a GRU/);
    } finally {
      auto.dispose();
      forced.dispose();
      net.dispose();
      data.dispose();
    }
  });

  it('falls back for an unsupported loss or optimizer, naming it', async () => {
    const data = moons({ n: 20, noise: 0.2, seed: 1 });
    const net = await renderModel(mlp(1, 'sigmoid'), { inputShape: [2], seed: 1 });
    const custom = createTrainer(net, {
      data,
      loss: function hinge(y: tf.Tensor, p: tf.Tensor) {
        return tf.mean(tf.relu(tf.sub(1, tf.mul(y, p)))) as tf.Scalar;
      },
      optimizer: { type: 'adam', lr: 0.01 },
      epochs: 1,
    });
    const rms = createTrainer(net, { data, loss: 'bce', optimizer: { type: 'rmsprop', lr: 0.01 }, epochs: 1 });
    try {
      expect(custom.getSnapshot().engine.reason).toMatch(/custom function \("hinge"\)/);
      expect(rms.getSnapshot().engine.reason).toMatch(/optimizer "rmsprop" is not supported/);
      expect((await rms.fit()).engine.name).toBe('tfjs');
      // Switching the optimizer live re-decides at the next step.
      rms.setOptions({ optimizer: { type: 'sgd', lr: 0.01 }, epochs: 2 });
      expect((await rms.fit()).engine.name).toBe('fused-cpu');
    } finally {
      custom.dispose();
      rms.dispose();
      net.dispose();
      data.dispose();
    }
  });
});

describe('live edits during fused training', () => {
  const tree = (hidden: number, extra?: boolean) => (
    <Sequential>
      <Linear outFeatures={8} />
      <Tanh />
      <Linear outFeatures={hidden} />
      <Tanh />
      {extra ? <Softmax /> : null}
      <Linear outFeatures={1} />
      <Sigmoid />
    </Sequential>
  );

  /** 40 epochs × 10 steps; after epoch 10 the middle layer is resized (8 → 16). */
  const run = async (engine: 'tfjs' | 'fused-cpu') => {
    const data = moons({ n: 200, noise: 0.2, seed: 3 });
    const net = await renderModel(tree(8), { inputShape: [2], seed: 3 });
    let before: number[] = [];
    let after: number[] = [];
    const t = createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 20,
      epochs: 40,
      seed: 3,
      engine,
      onEpochEnd: (epoch) => {
        if (epoch !== 9) return;
        before = Array.from(net.model.getLayer('Sequential/Linear_0').getWeights()[0]?.dataSync() ?? []);
        void net.update(tree(16));
        after = Array.from(net.model.getLayer('Sequential/Linear_0').getWeights()[0]?.dataSync() ?? []);
      },
    });
    const snap = await t.fit();
    const run = runOf(net.model, snap);
    t.dispose();
    net.dispose();
    data.dispose();
    return { snap, before, after, run };
  };

  it('keeps unchanged weights through the edit, and Adam state for them (the run equals tfjs’ to 1e-5)', async () => {
    const fused = await run('fused-cpu');
    expect(fused.snap.status).toBe('done');
    expect(fused.snap.engine.name).toBe('fused-cpu');
    expect(fused.before.length).toBe(16);
    expect(fused.after).toEqual(fused.before);
    expect(fused.snap.history.loss.at(-1) as number).toBeLessThan(fused.snap.history.loss[10] as number);
    // tfjs keeps Adam's moments and per-weight step counts for the kept layers (trainer.test.tsx
    // checks that); the fused run ends at the same weights only if it kept the same state.
    const tfjs = await run('tfjs');
    const d = maxDiff(tfjs.run, fused.run);
    measured.push(`live edit (adam, resize mid-training): ${d.toExponential(2)}`);
    expect(d).toBeLessThan(TOL);
  });

  it('keeps per-weight optimizer steps across an edit, as Optimizer.paramSteps does', async () => {
    const data = moons({ n: 200, noise: 0.2, seed: 3 });
    const net = await renderModel(tree(8), { inputShape: [2], seed: 3 });
    const engine = selectEngine('fused-cpu', net.net);
    const optimizer = createOptimizer({ type: 'adam', lr: 0.01 });
    const config = plainStepConfig('bce', optimizer);
    const order = OrderBlock.of({ size: 200, seed: 0, shuffle: false, from: 0, count: 1 });
    // Exactly 10 steps, over as many chunks as the engine's time budget makes of them.
    const chunk = async () => {
      let done = 0;
      while (done < 10) {
        const r = await engine.runChunk({
          net: net.net,
          model: net.model,
          graph: net.net.graph as AnalyzedGraph,
          x: data.x,
          y: data.y,
          order,
          epochSize: 200,
          offset: done * 20,
          batchSize: 20,
          maxSteps: 10 - done,
          lossSum: 0,
          config,
        });
        done += r?.steps ?? 0;
      }
    };
    try {
      await chunk();
      await net.update(tree(16));
      await chunk();
      const steps = await (engine.fused as NonNullable<typeof engine.fused>).paramSteps();
      expect(steps['Sequential/Linear_0/kernel']).toBe(20);
      expect(steps['Sequential/Linear_1/kernel']).toBe(10);
      expect(steps['Sequential/Linear_2/bias']).toBe(20);
      // trainer.reset() gives the trainer a new Optimizer: state starts over.
      const fresh = createOptimizer({ type: 'adam', lr: 0.01 });
      config.optimizer = fresh;
      await chunk();
      const after = await (engine.fused as NonNullable<typeof engine.fused>).paramSteps();
      expect(after['Sequential/Linear_0/kernel']).toBe(10);
      fresh.dispose();
    } finally {
      engine.dispose();
      optimizer.dispose();
      net.dispose();
      data.dispose();
    }
  });

  it('follows the model through edits: an unsupported layer falls back to tfjs, removing it returns to fused', async () => {
    const data = moons({ n: 100, noise: 0.2, seed: 3 });
    const net = await renderModel(tree(8), { inputShape: [2], seed: 3 });
    const t = createTrainer(net, { data, loss: 'bce', optimizer: { type: 'sgd', lr: 0.1 }, batchSize: 20, epochs: 9 });
    try {
      const engineAfterStep = async () => (await t.step()).engine;
      expect((await engineAfterStep()).name).toBe('fused-cpu');
      const kept = net.model.getLayer('Sequential/Linear_0').getWeights()[0]?.dataSync().slice();
      await net.update(tree(8, true));
      // The edit carried the weights the fused engine had synced into the model.
      expect(net.model.getLayer('Sequential/Linear_0').getWeights()[0]?.dataSync()).toEqual(kept);
      const fallback = await engineAfterStep();
      expect(fallback.name).toBe('tfjs');
      expect(fallback.reason).toMatch(
        /^auto: Sequential > Softmax\[0\] is a Softmax, which the fused engines do not run/,
      );
      await net.update(tree(8));
      expect((await engineAfterStep()).name).toBe('fused-cpu');
      const snap = await t.fit();
      expect(snap.status).toBe('done');
      expect(snap.step).toBe(45);
    } finally {
      t.dispose();
      net.dispose();
      data.dispose();
    }
  });
});

describe('optimizer state across engines', () => {
  it('tfjs → fused-cpu → tfjs trains the same weights as tfjs throughout (Adam state handed over both ways)', async () => {
    const before = tf.memory().numTensors;
    const phases = ['tfjs', 'fused-cpu', 'tfjs'] as const;
    const plain = await trainInPhases(phases, false);
    const switched = await trainInPhases(phases, true);
    const d = maxDiff(plain.run, switched.run);
    measured.push(`adam, tfjs → fused-cpu → tfjs vs tfjs: ${d.toExponential(2)}`);
    expect(d).toBeLessThan(TOL);
    // 5 steps per epoch, 3 epochs per phase: the counts keep growing across the switches, also
    // while fused-cpu trains (trainer.optimizer.paramSteps() reports the kernel's).
    const k = 'Sequential/Linear_0/kernel';
    expect(switched.stepsSeen.map((s) => s[k])).toEqual([15, 30, 45]);
    expect(switched.stepsSeen).toEqual(plain.stepsSeen);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('trainer integration', () => {
  it('early stopping restores the best weights into the model, and the next fit() starts from them (as tfjs)', async () => {
    const run = async (engine: 'tfjs' | 'fused-cpu') => {
      const data = moons({ n: 120, noise: 0.3, seed: 8 });
      const net = await renderModel(mlp(1, 'sigmoid'), { inputShape: [2], seed: 8 });
      const stopper = earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
      const t = createTrainer(net, {
        data,
        validationSplit: 0.25,
        loss: 'bce',
        // Large steps: validation loss turns up early, so early stopping fires and restores.
        optimizer: { type: 'adam', lr: 0.08 },
        batchSize: 10,
        epochs: 200,
        seed: 8,
        metrics: ['accuracy'],
        callbacks: [stopper],
        engine,
      });
      const first = await t.fit();
      expect(first.stopReason).toMatch(/early stopping/);
      const restored = net.model.weights.map((w) => Float32Array.from(w.read().dataSync()));
      // Continue without the callback: training resumes from the restored weights.
      t.setOptions({ callbacks: [], epochs: first.epoch + 5 });
      const second = await t.fit();
      expect(second.status).toBe('done');
      const result = runOf(net.model, second);
      t.dispose();
      net.dispose();
      data.dispose();
      return { first, restored, run: result };
    };
    const a = await run('tfjs');
    const b = await run('fused-cpu');
    expect(b.first.engine.name).toBe('fused-cpu');
    expect(b.first.epoch).toBe(a.first.epoch);
    expect(b.first.history.val_loss).toHaveLength(a.first.history.val_loss?.length ?? -1);
    b.first.history.val_loss?.forEach((v, i) => {
      expect(Math.abs(v - (a.first.history.val_loss?.[i] as number))).toBeLessThan(1e-5);
    });
    b.first.history.accuracy?.forEach((v, i) => {
      expect(v).toBeCloseTo(a.first.history.accuracy?.[i] as number, 5);
    });
    const d = maxDiff(a.run, b.run);
    measured.push(`early stopping + restore + continue (adam): ${d.toExponential(2)}`);
    expect(d).toBeLessThan(TOL);
  });
});

describe('chunks spanning epochs', () => {
  // With nothing but the loss observing an epoch's end, one fused chunk trains many epochs; with
  // an onEpochEnd it stops at every epoch. Both must train the very same steps.
  it('trains the same weights and per-epoch losses as epoch-by-epoch chunks, in far fewer chunks', async () => {
    const run = async (observeEpochs: boolean) => {
      const data = moons({ n: 60, noise: 0.2, seed: 3 });
      const net = await renderModel(mlp(1, 'sigmoid'), { inputShape: [2], seed: 3 });
      // Steps of one chunk are reported in one synchronous burst: count the bursts.
      let chunks = 0;
      let inBurst = false;
      const t = createTrainer(net, {
        data,
        loss: 'bce',
        optimizer: { type: 'adam', lr: 0.01 },
        // 60 rows in batches of 25: every epoch ends on a short batch of 10.
        batchSize: 25,
        epochs: 40,
        seed: 3,
        engine: 'fused-cpu',
        onStep: () => {
          if (inBurst) return;
          inBurst = true;
          chunks++;
          queueMicrotask(() => {
            inBurst = false;
          });
        },
        ...(observeEpochs ? { onEpochEnd: () => {} } : {}),
      });
      const snap = await t.fit();
      const run = runOf(net.model, snap);
      t.dispose();
      net.dispose();
      data.dispose();
      return { snap, chunks, run };
    };
    const perEpoch = await run(true);
    const spanning = await run(false);
    expect(spanning.snap.status).toBe('done');
    expect(spanning.snap.step).toBe(40 * 3);
    expect(spanning.snap.history.loss).toHaveLength(40);
    expect(perEpoch.chunks).toBeGreaterThanOrEqual(40);
    expect(spanning.chunks).toBeLessThan(10);
    // Same kernel, same batches, same order of additions: identical, not merely close.
    expect(maxDiff(perEpoch.run, spanning.run)).toBe(0);
    spanning.snap.history.loss.forEach((v, i) => {
      expect(v).toBe(perEpoch.snap.history.loss[i]);
    });
  });

  it('fused-webgpu cuts the same batches as the kernel: full ones, and a short last one per epoch', () => {
    const order = new Int32Array(120);
    expect(batchSizes({ order, epochSize: 60, offset: 0, batchSize: 25 }, 100)).toEqual([25, 25, 10, 25, 25, 10]);
    expect(batchSizes({ order, epochSize: 60, offset: 50, batchSize: 25 }, 3)).toEqual([10, 25, 25]);
    // Without epochSize, `order` is one epoch.
    expect(batchSizes({ order, offset: 100, batchSize: 25 }, 100)).toEqual([20]);
  });

  it('a NaN in a middle epoch of a spanning chunk stops there and says so', async () => {
    const data = fromArrays({
      x: Array.from({ length: 40 }, (_v, i) => [i / 40, 1 - i / 40]),
      y: Array.from({ length: 40 }, (_v, i) => [i * 1e3]),
    });
    const net = await renderModel(mlp(1), { inputShape: [2], seed: 2 });
    const t = createTrainer(net, {
      data,
      loss: 'mse',
      optimizer: { type: 'sgd', lr: 10 },
      batchSize: 10,
      epochs: 500,
      engine: 'fused-cpu',
    });
    const snap = await t.fit();
    expect(snap.status).toBe('error');
    expect(snap.error?.message).toMatch(/the loss became (NaN|Infinity) at epoch \d+/);
    // History stops at the failing epoch: every earlier loss is finite, the last is not.
    const losses = snap.history.loss;
    expect(losses.length).toBe(snap.epoch);
    expect(losses.length).toBeLessThan(500);
    expect(losses.slice(0, -1).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(losses.at(-1))).toBe(false);
    t.dispose();
    net.dispose();
    data.dispose();
  });
});

describe('resources', () => {
  it('leaks no tensors after training, stop() mid-run and dispose', async () => {
    const before = tf.memory().numTensors;
    const data = moons({ n: 300, noise: 0.2, seed: 1 });
    const net = await renderModel(mlp(1, 'sigmoid'), { inputShape: [2] });
    const t = createTrainer(net, {
      data,
      validationSplit: 0.2,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 8,
      epochs: 100_000,
      metrics: ['accuracy', 'auc'],
      callbacks: [earlyStopping({ patience: 1_000_000, restoreBestWeights: true })],
    });
    const run = t.fit();
    await new Promise((r) => setTimeout(r, 150));
    const during = tf.memory().numTensors;
    await new Promise((r) => setTimeout(r, 150));
    // Flat while training: syncing replaces the weights' data, it does not add tensors.
    expect(Math.abs(tf.memory().numTensors - during)).toBeLessThanOrEqual(2);
    t.stop();
    const snap = await run;
    expect(snap.status).toBe('stopped');
    expect(snap.engine.name).toBe('fused-cpu');
    expect(snap.epoch).toBeGreaterThan(2);
    t.dispose();
    net.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the fused-cpu kernel', () => {
  it('generated code (the JIT) and the plain loops give bit-identical weights', async () => {
    // Every activation; an MLP of small (unrolled) layers; dropout; and wide layers (loops) whose
    // inputs are half zeros (after a ReLU), which both paths skip.
    const picked = ['every activation', 'bce + sgd', 'dropout'].map(
      (name) => cases.find((x) => x.name.startsWith(name)) as (typeof cases)[number],
    );
    const wide = {
      tree: () => (
        <Sequential>
          <Linear outFeatures={16} />
          <ReLU />
          <Linear outFeatures={12} />
          <ReLU />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      ),
      data: () => moons({ n: 100, noise: 0.2, seed: 4 }),
    };
    for (const k of [...picked, wide]) {
      const data = k.data();
      const net = await renderModel(k.tree(), { inputShape: [2], seed: 7 });
      try {
        const graph = net.net.graph as AnalyzedGraph;
        const loss = resolveLoss('bce');
        const spec = buildSpec(graph, net.model, loss);
        const params = readParamsSync(net.model, spec);
        const x = Float32Array.from(await data.x.data());
        const y = Float32Array.from(await data.y.data());
        const order = Int32Array.from({ length: data.size }, (_v, i) => (i * 37) % data.size);
        const opt = optSpec(
          {
            loss,
            optimizer: createOptimizer({ type: 'adam', lr: 0.01 }),
            regularization: { l2: 1e-3 },
            clipGradNorm: undefined,
            clipGradValue: undefined,
          },
          0,
        );
        const run = (jit: boolean) => {
          const kernel = kernels.create(spec, params, null, null, { jit });
          kernel.setData(x, y, data.size, 1);
          for (let e = 0; e < 5; e++)
            kernel.train({ order, offset: 0, batchSize: 7, maxSteps: 1e9, budgetMs: 1e9, opt });
          expect(kernel.jitted).toBe(jit);
          return kernel.params;
        };
        expect(Array.from(run(true))).toEqual(Array.from(run(false)));
      } finally {
        net.dispose();
        data.dispose();
      }
    }
  });
});

describe('divergence', () => {
  // House prices, mse, sgd at lr 1e6: the loss overflows float32 within the first epoch.
  const diverge = async (engine: 'tfjs' | 'fused-cpu') => {
    const data = housePrices();
    const net = await renderModel(mlp(1), { inputShape: data.inputShape, seed: 1 });
    const t = createTrainer(net, { data, loss: 'mse', optimizer: { type: 'sgd', lr: 1e6 }, epochs: 5, engine });
    try {
      const snap = await t.fit();
      const weights = net.model.weights.map((w) => Array.from(w.read().dataSync()));
      return { snap, weights };
    } finally {
      t.dispose();
      net.dispose();
      data.dispose();
    }
  };

  it('fused-cpu stops like tfjs (a float32 loss: no finite value beyond 3.4e38) and keeps the last finite weights', async () => {
    const fused = await diverge('fused-cpu');
    const tfjs = await diverge('tfjs');
    for (const run of [fused, tfjs]) {
      expect(run.snap.status).toBe('error');
      expect(run.snap.error?.message).toMatch(/the loss became (Infinity|NaN) at epoch \d, so training stopped/);
      // Stopped at the first epoch whose loss is not finite: the same epoch on both engines.
      expect(run.snap.history.loss).toHaveLength(tfjs.snap.history.loss.length);
      expect(Number.isFinite(run.snap.history.loss.at(-1))).toBe(false);
    }
    expect(fused.snap.engine.name).toBe('fused-cpu');
    // The weights of the last step that kept them finite (tfjs' own end in NaN on this net).
    expect(fused.weights.flat().every(Number.isFinite)).toBe(true);
    expect(fused.snap.history.loss.every((l) => !Number.isFinite(l) || Math.abs(l) <= 3.4028234663852886e38)).toBe(
      true,
    );
  });
});
