// Examples/s of react-nn's fused engines on convolutional nets against its tfjs engine and hand-written tfjs
// (`tf.sequential` + `model.fit`), on MNIST digits, batch 64, Adam — the course CNN and a deeper one with
// BatchNorm. Shared by the Node half of bench/fused.mjs; rows in the same form as fused-bench.tsx's.
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
  /** MNIST rows (the tfjs contenders are slow: few rows keep a round short). */
  n: number;
}

const LR = 0.001;
const BATCH = 64;

const CASES: CnnCase[] = [
  {
    id: 'cnn-course',
    detail: 'course CNN conv8k3·relu·maxpool2·linear10, MNIST, batch 64, Adam',
    n: 256,
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
    n: 128,
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

/** The CNN rows: each react-nn engine of `o.engines` and hand-written tfjs, measured side by side. */
export async function benchFusedCnn(o: FusedBenchOptions): Promise<FusedRow[]> {
  const rows: FusedRow[] = [];
  for (const c of CASES) {
    if (o.only && !o.only.includes(c.id)) continue;
    const data = await datasets.mnist({ limit: c.n, seed: 1 });
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
            loss: 'crossEntropy',
            optimizer: { type: 'adam', lr: LR },
            batchSize: BATCH,
          }),
        );
      }
      if (!o.skipSlowTfjs) contenders.push(handContender(c, data));
      const epochs: number[] = [];
      for (const k of contenders) {
        log(`${o.backend}: ${c.id} — ${k.name}: warming up`);
        epochs.push(await calibrate(k, o));
      }
      await measureInterleaved(contenders, epochs, data.size, o, row);
    } finally {
      for (const k of contenders) k.dispose();
      data.dispose();
    }
    rows.push(row);
  }
  return rows;
}
