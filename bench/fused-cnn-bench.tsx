// Examples/s of react-nn's fused engines on convolutional nets against its tfjs engine and hand-written tfjs
// (`tf.sequential` + `model.fit`), on MNIST digits, batch 64, Adam — the course CNN and a deeper one with
// BatchNorm. Shared by the Node half and the Chromium page of bench/fused.mjs; rows in the same form as
// fused-bench.tsx's.
//
// Sized so the whole bench ends: tfjs trains these nets at a few to tens of examples/s on `cpu` and on
// SwiftShader's WebGPU, so the data is two batches for the course CNN and one for the deeper one (one on WebGPU), a slow contender's warm-up epoch doubles as its sizing
// (see calibrate), and 3 rounds are measured. A contender that cannot run (an engine not built yet, a device
// lost) leaves its note in the row instead of failing the bench.
import * as tf from '@tensorflow/tfjs';
import type { ReactElement } from 'react';
import { BatchNorm2d, Conv2d, type Dataset, datasets, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '../src/core';
import {
  type Contender,
  calibrate,
  type FusedBenchOptions,
  type FusedRow,
  measureInterleaved,
  trainerContender,
} from './fused-bench';
import { log, now, settle } from './measure';
import { cnn } from './models';

interface CnnCase {
  id: 'cnn-course' | 'cnn-deeper';
  detail: string;
  jsx(): ReactElement;
  hand(): tf.Sequential;
  /** MNIST rows: one epoch of the slowest contender (tfjs on cpu) must stay a round of seconds. */
  rows: number;
}

const LR = 0.001;
const BATCH = 64;

const CASES: CnnCase[] = [
  {
    id: 'cnn-course',
    detail: 'course CNN conv8k3·relu·maxpool2·linear10, MNIST, batch 64, Adam',
    rows: 2 * BATCH,
    jsx: cnn,
    hand: () => {
      const m = tf.sequential();
      m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }));
      m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dense({ units: 10 }));
      return m;
    },
  },
  {
    id: 'cnn-deeper',
    detail: 'deeper CNN conv16k3·bn·relu·pool·conv32k3·relu·pool·linear10, MNIST, batch 64, Adam',
    rows: BATCH,
    jsx: () => (
      <Sequential>
        <Conv2d outChannels={16} kernelSize={3} />
        <BatchNorm2d />
        <ReLU />
        <MaxPool2d kernelSize={2} />
        <Conv2d outChannels={32} kernelSize={3} />
        <ReLU />
        <MaxPool2d kernelSize={2} />
        <Flatten />
        <Linear outFeatures={10} />
      </Sequential>
    ),
    hand: () => {
      const m = tf.sequential();
      m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3 }));
      m.add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
      m.add(tf.layers.activation({ activation: 'relu' }));
      m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
      m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dense({ units: 10 }));
      return m;
    },
  },
];

function handContender(c: CnnCase, data: Dataset): Contender {
  const model = c.hand();
  const y = tf.tidy(() => tf.oneHot(tf.cast(tf.reshape(data.y, [-1]), 'int32'), 10));
  model.compile({
    optimizer: tf.train.adam(LR),
    loss: (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp),
  });
  return {
    name: 'tfjs by hand (model.fit)',
    note: 'tf.sequential + model.fit, tf.train.adam',
    async run(epochs) {
      const t0 = now();
      await model.fit(data.x, y, { batchSize: BATCH, epochs, shuffle: true, verbose: 0 });
      await settle(model);
      return (now() - t0) / 1000;
    },
    dispose() {
      model.optimizer?.dispose();
      model.dispose();
      y.dispose();
    },
  };
}

/** CNN rounds: fewer than the MLP rows' 5, since a tfjs round is a whole epoch of seconds. */
const CNN_ROUNDS = 3;

/**
 * The CNN rows: each react-nn engine of `o.engines` and hand-written tfjs, measured side by side on `rows` MNIST
 * digits (default: the case's own).
 */
export async function benchFusedCnn(o: FusedBenchOptions & { rows?: number }): Promise<FusedRow[]> {
  const rows: FusedRow[] = [];
  for (const c of CASES) {
    if (o.only && !o.only.includes(c.id)) continue;
    const n = o.rows ?? c.rows;
    const data = await datasets.mnist({ limit: n, seed: 1 });
    const row: FusedRow = {
      case: c.id,
      detail: c.detail,
      backend: o.backend,
      examplesPerSecond: {},
      rounds: {},
      notes: {},
      intervals: {},
    };
    const contenders: Contender[] = [];
    try {
      for (const engine of o.engines) {
        if (engine === 'tfjs' && o.skipSlowTfjs) continue;
        contenders.push(
          await trainerContender(c.jsx(), data, engine, {
            backend: o.backend,
            loss: 'crossEntropy',
            optimizer: { type: 'adam', lr: LR },
            batchSize: BATCH,
          }),
        );
      }
      if (!o.skipSlowTfjs) contenders.push(handContender(c, data));
      // fused-webgpu is measured apart, after the others: SwiftShader's threads keep spinning after its
      // dispatches and slow whichever contender runs next (as in fused-bench.tsx).
      const gpu = contenders.filter((k) => k.name === 'react-nn fused-webgpu');
      for (const group of [contenders.filter((k) => !gpu.includes(k)), gpu]) {
        const measured: Contender[] = [];
        const epochs: number[] = [];
        for (const k of group) {
          log(`${o.backend}: ${c.id} — ${k.name}: warming up`);
          try {
            epochs.push(await calibrate(k, o));
            measured.push(k);
          } catch (e) {
            // Reported in the row (what the engine said), not fatal: the others are still measured.
            row.notes[k.name] = `not measured — ${(e as Error).message.split('\n')[0]}`;
            log(`${o.backend}: ${c.id} — ${k.name}: ${row.notes[k.name]}`);
          }
        }
        await measureInterleaved(measured, epochs, data.size, { ...o, rounds: CNN_ROUNDS }, row);
      }
    } finally {
      for (const k of contenders) k.dispose();
      data.dispose();
    }
    rows.push(row);
  }
  return rows;
}
