// Epochs per second of react-nn's `createTrainer` against hand-written tfjs `model.fit`, measured side by side
// in one process on one backend: same model shapes and initialisation, same Dataset tensors, batch size,
// shuffling, optimizer (Adam) and learning rate. Rounds alternate which of the two goes first.
import * as tf from '@tensorflow/tfjs';
import type { ReactElement } from 'react';
import { createTrainer, type Dataset, datasets, type LossSpec, renderModel } from '../src/index';
import { cpuNow, log, median, now, settle } from './measure';
import { cnn, handCnn, handMlp, mlp } from './models';

export type BenchBackend = 'cpu' | 'webgl' | 'webgpu';

/** How much work one run does; WebGPU on SwiftShader gets tiny sizes. */
export interface TrainingSizes {
  /** Examples: moons points or MNIST digits. */
  n: number;
  warmupEpochs: number;
  epochsPerRound: number;
  rounds: number;
}

interface TrainingCase {
  id: 'mlp-moons' | 'cnn-mnist';
  describe(sizes: TrainingSizes): string;
  batchSize: number;
  lr: number;
  load(n: number): Promise<Dataset>;
  model(): ReactElement;
  loss: LossSpec;
  hand(): tf.Sequential;
  handLoss: string;
  /** Targets in the form the hand-written model's Keras loss takes. */
  handTargets(data: Dataset): tf.Tensor;
}

const CASES: Record<TrainingCase['id'], TrainingCase> = {
  'mlp-moons': {
    id: 'mlp-moons',
    describe: (s) => `MLP 2→64×4→1, moons n=${s.n}, batch 32`,
    batchSize: 32,
    lr: 0.01,
    load: async (n) => datasets.moons({ n, noise: 0.2, seed: 1 }),
    model: () => mlp(undefined, true),
    loss: 'bce',
    hand: () => handMlp(2, undefined, true),
    handLoss: 'binaryCrossentropy',
    handTargets: (data) => data.y.clone(),
  },
  'cnn-mnist': {
    id: 'cnn-mnist',
    describe: (s) => `CNN conv8k3·pool·linear10, MNIST limit ${s.n}, batch 64`,
    batchSize: 64,
    lr: 0.001,
    load: (n) => datasets.mnist({ limit: n, seed: 1 }),
    model: cnn,
    loss: 'crossEntropy',
    hand: handCnn,
    handLoss: 'categoricalCrossentropy',
    handTargets: (data) => tf.tidy(() => tf.oneHot(tf.cast(tf.reshape(data.y, [-1]), 'int32'), 10)),
  },
};

export interface TrainingResult {
  backend: BenchBackend;
  case: TrainingCase['id'];
  detail: string;
  /** The engine createTrainer asked for, and the one that ran (snapshot.engine). */
  requested: 'auto' | 'tfjs';
  engine: string;
  engineReason: string;
  /** Epochs per second, from the median round. */
  reactnn: number;
  tfjs: number;
  /** Median over rounds of (react-nn epochs/s ÷ tfjs epochs/s in the same round): above 1, react-nn is faster. */
  ratio: number;
  /** Like `ratio`, from this process's CPU time instead of the wall clock (Node only; null in a browser). */
  cpuRatio: number | null;
  /** Seconds per round, in order. */
  rounds: { reactnn: number[]; tfjs: number[] };
  /** Tensors alive after minus before, summed over the measured rounds of each: not 0 means a leak. */
  leakedTensors: { reactnn: number; tfjs: number };
  finalLoss: { reactnn: number; tfjs: number };
}

interface Contender {
  name: string;
  /** Trains `epochs` more epochs; resolves with seconds taken. */
  round(epochs: number): Promise<number>;
  /** CPU ms used by each round so far (empty where the platform cannot tell). */
  cpu: number[];
  leaked: number;
  loss(): number;
  dispose(): void;
}

/**
 * Measures one case on one backend: createTrainer with `engine: 'auto'` (what users get), plus `engine: 'tfjs'`
 * when auto picked another engine (so the tfjs engine's own overhead shows too), against one hand-written model.
 */
export async function benchTraining(
  id: TrainingCase['id'],
  backend: BenchBackend,
  sizes: TrainingSizes,
): Promise<TrainingResult[]> {
  const c = CASES[id];
  const detail = c.describe(sizes);
  log(`${backend}: ${detail} — loading data`);
  const data = await c.load(sizes.n);
  const contenders: Contender[] = [];
  try {
    const auto = await reactContender(c, data, backend, 'auto');
    contenders.push(auto);
    if (auto.engine() !== 'tfjs') contenders.push(await reactContender(c, data, backend, 'tfjs'));
    const hand = handContender(c, data);
    contenders.push(hand);

    log(`${backend}: ${id} warm-up (${sizes.warmupEpochs} epoch each)`);
    for (const k of contenders) await k.round(sizes.warmupEpochs);
    for (const k of contenders) {
      k.leaked = 0;
      k.cpu.length = 0;
    }
    const seconds = new Map<Contender, number[]>(contenders.map((k) => [k, []]));
    for (let r = 0; r < sizes.rounds; r++) {
      // Rotate who goes first, so neither side always runs on a warmer (or more loaded) machine.
      const order = contenders.map((_, i) => contenders[(i + r) % contenders.length] as Contender);
      for (const k of order) seconds.get(k)?.push(await k.round(sizes.epochsPerRound));
      log(
        `${backend}: ${id} round ${r + 1}/${sizes.rounds}: ${contenders.map((k) => `${k.name} ${seconds.get(k)?.at(-1)?.toFixed(2)} s`).join(', ')}`,
      );
    }
    const handSeconds = seconds.get(hand) as number[];
    return contenders
      .filter((k): k is ReactContender => k !== hand)
      .map((k) => {
        const own = seconds.get(k) as number[];
        const cpuRatio =
          k.cpu.length === own.length && hand.cpu.length === own.length
            ? median(k.cpu.map((ms, i) => (hand.cpu[i] as number) / ms))
            : null;
        return {
          backend,
          case: id,
          detail,
          requested: k.requested,
          engine: k.engine(),
          engineReason: k.engineReason(),
          reactnn: sizes.epochsPerRound / median(own),
          tfjs: sizes.epochsPerRound / median(handSeconds),
          ratio: median(own.map((s, i) => (handSeconds[i] as number) / s)),
          cpuRatio,
          rounds: { reactnn: own, tfjs: handSeconds },
          leakedTensors: { reactnn: k.leaked, tfjs: hand.leaked },
          finalLoss: { reactnn: k.loss(), tfjs: hand.loss() },
        };
      });
  } finally {
    for (const k of contenders) k.dispose();
    data.dispose();
  }
}

interface ReactContender extends Contender {
  requested: 'auto' | 'tfjs';
  engine(): string;
  engineReason(): string;
}

async function reactContender(
  c: TrainingCase,
  data: Dataset,
  backend: BenchBackend,
  engine: 'auto' | 'tfjs',
): Promise<ReactContender> {
  const net = await renderModel(c.model(), { inputShape: [...data.inputShape], backend, seed: 1 });
  const trainer = createTrainer(net, {
    data,
    loss: c.loss,
    optimizer: { type: 'adam', lr: c.lr },
    batchSize: c.batchSize,
    epochs: 0,
    seed: 1,
    engine,
  });
  const k: ReactContender = {
    name: `react-nn[${engine}]`,
    requested: engine,
    leaked: 0,
    cpu: [],
    engine: () => trainer.getSnapshot().engine.name,
    engineReason: () => trainer.getSnapshot().engine.reason,
    async round(epochs) {
      const tensors = tf.memory().numTensors;
      const cpu0 = cpuNow();
      const t0 = now();
      trainer.setOptions({ epochs: trainer.getSnapshot().epoch + epochs });
      const snapshot = await trainer.fit();
      await settle(net.model);
      const seconds = (now() - t0) / 1000;
      const cpu1 = cpuNow();
      if (cpu0 !== null && cpu1 !== null) k.cpu.push(cpu1 - cpu0);
      if (snapshot.status !== 'done') throw new Error(`react-nn training ended ${snapshot.status}: ${snapshot.error}`);
      k.leaked += tf.memory().numTensors - tensors;
      return seconds;
    },
    loss: () => trainer.getSnapshot().history.loss.at(-1) as number,
    dispose() {
      trainer.dispose();
      net.dispose();
    },
  };
  return k;
}

function handContender(c: TrainingCase, data: Dataset): Contender {
  const model = c.hand();
  model.compile({ optimizer: tf.train.adam(c.lr), loss: c.handLoss });
  const y = c.handTargets(data);
  let last = Number.NaN;
  const k: Contender = {
    name: 'tfjs fit',
    leaked: 0,
    cpu: [],
    async round(epochs) {
      const tensors = tf.memory().numTensors;
      const cpu0 = cpuNow();
      const t0 = now();
      const h = await model.fit(data.x, y, { batchSize: c.batchSize, epochs, shuffle: true, verbose: 0 });
      await settle(model);
      const seconds = (now() - t0) / 1000;
      const cpu1 = cpuNow();
      if (cpu0 !== null && cpu1 !== null) k.cpu.push(cpu1 - cpu0);
      last = h.history.loss?.at(-1) as number;
      k.leaked += tf.memory().numTensors - tensors;
      return seconds;
    },
    loss: () => last,
    dispose() {
      model.optimizer?.dispose();
      model.dispose();
      y.dispose();
    },
  };
  return k;
}
