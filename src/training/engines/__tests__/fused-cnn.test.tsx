// fused-cpu on convolutional networks: parity with the tfjs engine (100 seeded steps, weights
// and BatchNorm running statistics to 1e-5) for each image layer alone and for the two
// benchmark nets (the cases of cnnCases.tsx, shared with webgpu-cnn.test.tsx, and the activations here),
// engine choice, fallback and live edits. Inputs are small (8×8) to stay fast.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalyzedGraph } from '../../../graph/types';
import { ELU, GELU, LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Tanh } from '../../../layers/activation';
import { Sequential } from '../../../layers/containers';
import { Conv2d } from '../../../layers/conv';
import { Flatten, Linear } from '../../../layers/core';
import { BatchNorm2d } from '../../../layers/norm';
import { MaxPool2d } from '../../../layers/pool';
import { renderModel } from '../../../react/renderModel';
import { resolveLoss } from '../../losses';
import { createOptimizer } from '../../optimizers';
import { createTrainer } from '../../trainer';
import { kernels } from '../fused/kernel';
import { buildSpec, optSpec } from '../fused/plan';
import { readParamsSync, writeParams } from '../fused/weights';
import {
  adam,
  type CnnCase,
  courseCases,
  courseCnn,
  deeperCases,
  deeperCnn,
  head,
  hundredSteps,
  layerCases,
  readWeight,
  STEPS,
  trainCnnInPhases,
} from './cnnCases';
import { images } from './images';
import { maxDiff, maxWeight, trainWith } from './parity';

const TOL = 1e-5;
const measured: string[] = [];
afterAll(() => {
  console.info(`fused-cpu vs tfjs on CNNs, max |Δweight| after ${STEPS} steps:\n  ${measured.join('\n  ')}`);
});

// 40 rows of 8×8 (one channel unless a case says), batch 10 → 4 steps per epoch × 25 epochs = 100 steps.
const ROWS = 40;
const adamOptions = hundredSteps(adam, ROWS);

/** fused-cpu runs every activation it fuses over images too (tfjs' kernels compute the same). */
const activationsCase: CnnCase = {
  name: 'every fused activation over conv outputs (PReLU per channel)',
  tree: () =>
    head(
      <Conv2d key="c1" outChannels={3} kernelSize={3} padding={1} />,
      <LeakyReLU key="a1" negativeSlope={0.1} />,
      <PReLU key="a2" numParameters={3} />,
      <ELU key="a3" alpha={0.7} />,
      <Conv2d key="c2" outChannels={3} kernelSize={3} padding={1} />,
      <GELU key="a4" />,
      <Tanh key="a5" />,
      <Sigmoid key="a6" />,
    ),
  optimizer: adam,
};

describe('fused-cpu matches tfjs on CNNs after 100 seeded steps (|Δweight| < 1e-5, running stats included)', () => {
  for (const c of [...layerCases, activationsCase, ...courseCases, ...deeperCases]) {
    it(c.name, async () => {
      const channels = c.channels ?? 1;
      const rows = c.rows ?? ROWS;
      const data = images(rows, 8, 8, channels);
      const options = hundredSteps(c.optimizer, rows);
      const net = { inputShape: [8, 8, channels], seed: 5 };
      try {
        const a = await trainWith('tfjs', c.tree(), data, options, net);
        const b = await trainWith('fused-cpu', c.tree(), data, options, net);
        expect(b.snapshot.engine.name).toBe('fused-cpu');
        expect(a.snapshot.step).toBe(STEPS);
        expect(b.snapshot.step).toBe(STEPS);
        const d = maxDiff(a, b);
        measured.push(`${c.name}: ${d.toExponential(2)} (weights up to ${maxWeight(a).toFixed(2)})`);
        expect(d).toBeLessThan(TOL);
        a.snapshot.history.loss.forEach((l, i) => {
          expect(Math.abs(l - (b.snapshot.history.loss[i] as number))).toBeLessThan(1e-5);
        });
        // Training did something: the loss fell.
        const losses = b.snapshot.history.loss;
        expect(losses[losses.length - 1] as number).toBeLessThan(losses[0] as number);
      } finally {
        data.dispose();
      }
      // tfjs' cpu kernels take minutes for the deeper net on a loaded machine.
    }, 900_000);
  }
});

describe('choosing and switching engines on CNNs', () => {
  it('auto picks fused-cpu for both benchmark nets and says why (no WebGPU in this test file)', async () => {
    const data = images(20);
    for (const tree of [courseCnn(), deeperCnn()]) {
      const net = await renderModel(tree, { inputShape: [8, 8, 1], seed: 1 });
      const t = createTrainer(net, { data, ...adamOptions, epochs: 1 });
      try {
        const before = t.getSnapshot().engine;
        expect(before.name).toBe('fused-cpu');
        expect(before.reason).toMatch(/^auto: every layer, the loss and the optimizer are supported/);
        const snap = await t.fit();
        expect(snap.status).toBe('done');
        expect(snap.engine.name).toBe('fused-cpu');
        expect(snap.engine.reason).toMatch(
          /^auto: every layer, the loss and the optimizer are supported; fused-webgpu not used: no WebGPU here \(navigator\.gpu is missing\)/,
        );
      } finally {
        t.dispose();
        net.dispose();
      }
    }
    data.dispose();
  });

  it('a layer the fused engines do not run (a Softmax inside) falls back to tfjs, naming it', async () => {
    const data = images(20);
    const net = await renderModel(head(<Conv2d key="c" outChannels={2} kernelSize={3} />, <Softmax key="s" />), {
      inputShape: [8, 8, 1],
      seed: 1,
    });
    const t = createTrainer(net, { data, ...adamOptions, epochs: 1 });
    try {
      expect(t.getSnapshot().engine.name).toBe('tfjs');
      expect(t.getSnapshot().engine.reason).toMatch(
        /^auto: Sequential > Softmax#s is a Softmax, which the fused engines do not run .* — training on tfjs$/,
      );
      expect((await t.fit()).status).toBe('done');
    } finally {
      t.dispose();
      net.dispose();
      data.dispose();
    }
  });

  it('tfjs → fused-cpu → tfjs hands over Adam state and BatchNorm running stats: same weights as tfjs throughout', async () => {
    const run = (switches: boolean) =>
      trainCnnInPhases(['tfjs', 'fused-cpu', 'tfjs'], switches, {
        rows: 40,
        epochsPerPhase: 4,
        net: { inputShape: [8, 8, 1] },
      });
    const switched = await run(true);
    const straight = await run(false);
    expect(switched.names).toContain('Sequential/BatchNorm2d-kbn/moving_variance');
    const d = maxDiff(switched, straight);
    measured.push(`tfjs → fused-cpu → tfjs (adam, BatchNorm2d): ${d.toExponential(2)}`);
    expect(d).toBeLessThan(TOL);
  }, 120_000);
});

describe('live edits during fused CNN training', () => {
  const tree = (outChannels: number, extra: boolean) =>
    head(
      <Conv2d key="c1" outChannels={4} kernelSize={3} padding={1} />,
      <ReLU key="r1" />,
      extra ? <BatchNorm2d key="bn" /> : null,
      <Conv2d key="c2" outChannels={outChannels} kernelSize={3} />,
      <ReLU key="r2" />,
      <MaxPool2d key="p" kernelSize={2} />,
    );

  it('changing outChannels, then adding a layer, keeps the unchanged weights and keeps training on fused-cpu', async () => {
    const start = tf.memory().numTensors;
    const data = images(40);
    const net = await renderModel(tree(4, false), { inputShape: [8, 8, 1], seed: 4 });
    const read = (name: string) => readWeight(net, name);
    const kept: { before: number[]; after: number[] }[] = [];
    const t = createTrainer(net, {
      data,
      ...adamOptions,
      epochs: 30,
      onEpochEnd: async (epoch) => {
        if (epoch !== 9 && epoch !== 19) return;
        const before = read('Sequential/Conv2d-kc1/kernel');
        await net.update(epoch === 9 ? tree(6, false) : tree(6, true));
        kept.push({ before, after: read('Sequential/Conv2d-kc1/kernel') });
      },
    });
    try {
      const snap = await t.fit();
      expect(snap.status).toBe('done');
      expect(snap.step).toBe(120);
      expect(snap.engine.name).toBe('fused-cpu');
      expect(kept).toHaveLength(2);
      for (const k of kept) {
        expect(k.before.length).toBe(36);
        expect(k.after).toEqual(k.before);
      }
      expect(net.model.weights.map((w) => w.originalName)).toContain('Sequential/BatchNorm2d-kbn/moving_mean');
      expect(net.model.getLayer('Sequential/Conv2d-kc2').getWeights()[0]?.shape).toEqual([3, 3, 4, 6]);
      // Still learning after both edits, with finite losses.
      const losses = snap.history.loss;
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1) as number).toBeLessThan(losses[20] as number);
      // The kept conv went on training after the edits.
      expect(read('Sequential/Conv2d-kc1/kernel')).not.toEqual(kept[1]?.after);
    } finally {
      t.dispose();
      net.dispose();
      data.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  }, 120_000);
});

describe('dilated convolution (tfjs cannot train it: checked against its forward pass)', () => {
  it('loss equals tfjs’ forward loss, and the gradient equals central differences of it (dilation 2, padding 2)', async () => {
    const data = images(6);
    const net = await renderModel(
      <Sequential>
        <Conv2d outChannels={2} kernelSize={3} dilation={2} padding={2} />
        <Tanh />
        <Flatten />
        <Linear outFeatures={3} />
      </Sequential>,
      { inputShape: [8, 8, 1], seed: 6 },
    );
    try {
      const loss = resolveLoss('crossEntropy');
      const spec = buildSpec(net.net.graph as AnalyzedGraph, net.model, loss);
      const params = readParamsSync(net.model, spec);
      const x = Float32Array.from(await data.x.data());
      const y = Float32Array.from(await data.y.data());
      const opt = optSpec(
        {
          loss,
          optimizer: createOptimizer({ type: 'sgd', lr: 1 }),
          regularization: undefined,
          clipGradNorm: undefined,
          clipGradValue: undefined,
        },
        0,
      );
      // One full-batch SGD step at lr 1: the step is the gradient.
      const kernel = kernels.create(spec, params, null, null);
      kernel.setData(x, y, 6, 1);
      const r = kernel.train({
        order: Int32Array.from([0, 1, 2, 3, 4, 5]),
        offset: 0,
        batchSize: 6,
        maxSteps: 1,
        budgetMs: 1e9,
        opt,
      });
      const grad = Array.from(params, (p, i) => p - (kernel.params[i] as number));
      // tfjs' forward loss (mean softmax cross-entropy) for given flat params.
      const tfLoss = (flat: Float32Array): number => {
        writeParams(net.model, spec, flat);
        return tf.tidy(() => {
          const logits = net.model.predict(data.x) as tf.Tensor;
          const labels = tf.oneHot(tf.cast(tf.reshape(data.y, [-1]), 'int32'), 3);
          return tf.losses.softmaxCrossEntropy(labels, logits).dataSync()[0] as number;
        });
      };
      expect(Math.abs((r.epochLossSums[0] as number) / 6 - tfLoss(params))).toBeLessThan(1e-5);
      const kernelSpec = spec.params.find((p) => p.name.endsWith('Conv2d_0/kernel'));
      expect(kernelSpec?.shape).toEqual([3, 3, 1, 2]);
      const h = 1e-2;
      let worst = 0;
      for (const i of [0, 3, 7, 11, 17, spec.params[1]?.offset ?? 18]) {
        const plus = Float32Array.from(params);
        const minus = Float32Array.from(params);
        plus[i] = (plus[i] as number) + h;
        minus[i] = (minus[i] as number) - h;
        const fd = (tfLoss(plus) - tfLoss(minus)) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - (grad[i] as number)));
      }
      measured.push(`dilated conv gradient vs central differences of tfjs' loss: ${worst.toExponential(2)}`);
      // float32 losses differenced over 2e-2 (~1e-5 of noise) and h² curvature terms; measured 6e-6.
      expect(worst).toBeLessThan(1e-4);
    } finally {
      net.dispose();
      data.dispose();
    }
  });
});
