// Examples/s of the fused training engines against react-nn's tfjs engine, hand-written tfjs
// (`model.fit`) and — for the playground-size nets — TF Playground's own network code (bench/tf-playground/nn.ts).
// Shared by the Node half (fused-node.ts) and the Chromium page (fused-browser/) of bench/fused.mjs. Numbers only; goals are in the report.
import * as tf from '@tensorflow/tfjs';
import type { ReactElement } from 'react';
import * as nn from 'tf-playground-nn';
import {
  createTrainer,
  type Dataset,
  datasets,
  type EngineName,
  fromArrays,
  Linear,
  ReLU,
  Sequential,
  Tanh,
  type TrainerOptions,
} from '../src/core';
import { renderModel } from '../src/react/renderModel';
import { kernels } from '../src/training/engines/fused/kernel';
import { buildSpec, unsupportedReason } from '../src/training/engines/fused/plan';
import { createFusedWebGPUEngine } from '../src/training/engines/fused/webgpu';
import { OrderBlock } from '../src/training/engines/orderBlock';
import { resolveLoss } from '../src/training/losses';
import { createOptimizer } from '../src/training/optimizers';
import { log, median, now, quiesce, settle } from './measure';

export interface FusedCase {
  id: 'playground-2-4-2-1' | 'playground-2-8x6-1' | 'mnist-784-128-10';
  detail: string;
  widths: number[];
  act: 'tanh' | 'relu';
  batchSize: number;
  lr: number;
  /** Rows of data. */
  n: number;
}

export const FUSED_CASES: FusedCase[] = [
  {
    id: 'playground-2-4-2-1',
    detail: '2-4-2-1 tanh, batch 10, SGD 0.03, 250 points',
    widths: [4, 2],
    act: 'tanh',
    batchSize: 10,
    lr: 0.03,
    n: 250,
  },
  {
    id: 'playground-2-8x6-1',
    detail: '2-8×6-1 tanh, batch 10, SGD 0.03, 250 points',
    widths: [8, 8, 8, 8, 8, 8],
    act: 'tanh',
    batchSize: 10,
    lr: 0.03,
    n: 250,
  },
  {
    id: 'mnist-784-128-10',
    detail: '784-128-10 ReLU, batch 64, SGD 0.03, crossEntropy',
    widths: [128],
    act: 'relu',
    batchSize: 64,
    lr: 0.03,
    n: 512,
  },
];

const isMnist = (c: FusedCase) => c.id === 'mnist-784-128-10';

function jsx(c: FusedCase): ReactElement {
  const Act = c.act === 'tanh' ? Tanh : ReLU;
  const out = isMnist(c) ? 10 : 1;
  return (
    <Sequential>
      {c.widths.flatMap((w, i) => [
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of layers, never reordered.
        <Linear key={`linear${i}`} outFeatures={w} />,
        // biome-ignore lint/suspicious/noArrayIndexKey: as above.
        <Act key={`act${i}`} />,
      ])}
      <Linear outFeatures={out} />
      {isMnist(c) ? null : <Tanh />}
    </Sequential>
  );
}

function handModel(c: FusedCase, inputDim: number): tf.Sequential {
  const model = tf.sequential();
  let fanIn = inputDim;
  const out = isMnist(c) ? 10 : 1;
  [...c.widths, out].forEach((units, i) => {
    const last = i === c.widths.length;
    const bound = 1 / Math.sqrt(fanIn);
    const init = (seed: number) => tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
    model.add(
      tf.layers.dense({
        ...(i === 0 ? { inputShape: [inputDim] } : {}),
        units,
        activation: last ? (isMnist(c) ? 'linear' : 'tanh') : c.act,
        kernelInitializer: init(2 * i),
        biasInitializer: init(2 * i + 1),
      }),
    );
    fanIn = units;
  });
  return model;
}

async function loadData(c: FusedCase, n: number): Promise<Dataset> {
  if (isMnist(c)) {
    const d = await datasets.mnist({ limit: n, seed: 1 });
    // Flatten to [n, 784] so the hand-written model and the fused planner see one feature axis.
    const x = d.x.reshape([n, 784]);
    const ds = fromArrays({ x: { data: await x.data(), shape: [n, 784] }, y: await d.y.data(), numClasses: 10 });
    x.dispose();
    d.dispose();
    return ds;
  }
  // Two circles, labels ±1 for the tanh output (squared error, as TF Playground).
  const d = datasets.circles({ n, noise: 0.1, seed: 1 });
  const y = Array.from(await d.y.data(), (v) => 2 * v - 1);
  const ds = fromArrays({ x: { data: await d.x.data(), shape: [n, 2] }, y, task: 'regression' });
  d.dispose();
  return ds;
}

export interface FusedRow {
  /** A FusedCase id, or a CNN case of fused-cnn-bench.tsx. */
  case: string;
  detail: string;
  backend: string;
  /** contender → examples/s (median round). */
  examplesPerSecond: Record<string, number>;
  /** contender → examples/s of each measured round, in round order (rounds interleave the contenders). */
  rounds: Record<string, number[]>;
  /** contender → what ran (engine reason etc.). */
  notes: Record<string, string>;
  /** contender → [start, end] of each of its measured rounds (performance.now()), to attribute long tasks. */
  intervals: Record<string, [number, number][]>;
}

export interface FusedBenchOptions {
  backend: 'cpu' | 'webgl' | 'webgpu';
  /** react-nn engines to measure through createTrainer. */
  engines: EngineName[];
  /** Seconds per measured round (each contender sizes its rounds to take about this long). */
  roundSeconds: number;
  rounds: number;
  /** Cases to run (default all). */
  only?: string[];
  /** MNIST rows (default 512). */
  mnistRows?: number;
  /** A GPUDevice for the engine-only fused-webgpu number. */
  gpu?: { device: GPUDevice; software: boolean; workgroupSize?: number } | null;
  /** Skip hand-written tfjs / react-nn tfjs when they would take too long (software WebGPU). */
  skipSlowTfjs?: boolean;
  /** Also measure TF Playground's nn.ts and the fused-cpu kernel alone (default true). */
  baselines?: boolean;
}

export interface Contender {
  name: string;
  note: string;
  /** Trains `epochs` epochs; resolves with seconds. */
  run(epochs: number): Promise<number>;
  dispose(): void;
}

/**
 * Warms a contender up (pipelines, shaders, JIT) and sizes its rounds: the epochs that take about roundSeconds.
 */
export async function calibrate(k: Contender, o: FusedBenchOptions): Promise<number> {
  let epochs = 1;
  let t = await k.run(1); // warm-up (pipelines, JIT)
  // A contender whose single epoch, warm-up included, already fills several rounds' time (tfjs training a CNN
  // on cpu or on software WebGPU) trains one epoch per round: a second sizing epoch would only cost time.
  if (t > 8 * o.roundSeconds) return 1;
  t = await k.run(1);
  while (t < o.roundSeconds / 4 && epochs < 1e6) {
    epochs *= 4;
    t = await k.run(epochs);
  }
  return Math.max(1, Math.round((epochs * o.roundSeconds) / Math.max(t, 1e-6)));
}

/**
 * Measured rounds, interleaved: round r runs every contender once (the order rotating each round), so a
 * change in the machine's load during the bench hits them all alike instead of whichever ran last.
 * Each round is its own window for long-task attribution, isolated by a quiesce on both sides: without
 * them the next contender's first run (tfjs on webgl compiling its shaders synchronously, 0.3–1.6 s in
 * one task) started in the task in which the previous one's round resolved, and was counted against it.
 */
export async function measureInterleaved(
  contenders: Contender[],
  epochs: number[],
  n: number,
  o: FusedBenchOptions,
  row: FusedRow,
): Promise<void> {
  for (const k of contenders) {
    row.rounds[k.name] = [];
    row.intervals[k.name] = [];
  }
  for (let r = 0; r < o.rounds; r++) {
    for (let c = 0; c < contenders.length; c++) {
      const i = (c + r) % contenders.length;
      const k = contenders[i] as Contender;
      const e = epochs[i] as number;
      await quiesce();
      const from = now();
      const rate = (e * n) / (await k.run(e));
      (row.rounds[k.name] as number[]).push(rate);
      (row.intervals[k.name] as [number, number][]).push([from, now()]);
    }
  }
  await quiesce();
  for (const k of contenders) {
    row.examplesPerSecond[k.name] = median(row.rounds[k.name] as number[]);
    row.notes[k.name] = k.note;
    log(`${o.backend}: ${row.case} — ${k.name}: ${Math.round(row.examplesPerSecond[k.name] as number)} examples/s`);
  }
}

export async function benchFused(o: FusedBenchOptions): Promise<FusedRow[]> {
  const rows: FusedRow[] = [];
  for (const c of FUSED_CASES) {
    if (o.only && !o.only.includes(c.id)) continue;
    const n = isMnist(c) ? (o.mnistRows ?? 512) : c.n;
    const data = await loadData(c, n);
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
    for (const engine of o.engines) {
      if (engine === 'tfjs' && o.skipSlowTfjs) continue;
      contenders.push(await reactContender(c, data, o.backend, engine));
    }
    if (!o.skipSlowTfjs) contenders.push(handContender(c, data));
    if (o.baselines !== false) {
      if (!isMnist(c)) contenders.push(await playgroundContender(c.widths, c.batchSize, c.lr, data));
      contenders.push(await kernelContender(c, data, o.backend));
    }
    // The engine-only fused-webgpu figure is measured apart, after the others: in Node its SwiftShader (Dawn)
    // worker threads keep spinning a while after each dispatch and took ~10 % of the CPU from whichever
    // contender ran next (fused-cpu ÷ a per-neuron JS net measured 2.7× with it interleaved, 3.0× without).
    const apart = o.gpu ? [await gpuEngineContender(c, data, o.backend, o.gpu)] : [];
    try {
      for (const group of [contenders, apart]) {
        const epochs: number[] = [];
        for (const k of group) {
          log(`${o.backend}: ${c.id} — ${k.name}: warming up`);
          epochs.push(await calibrate(k, o));
        }
        await measureInterleaved(group, epochs, n, o, row);
      }
    } finally {
      for (const k of [...contenders, ...apart]) k.dispose();
      data.dispose();
    }
    rows.push(row);
  }
  return rows;
}

async function reactContender(c: FusedCase, data: Dataset, backend: string, engine: EngineName): Promise<Contender> {
  return trainerContender(jsx(c), data, engine, {
    backend: backend as 'cpu',
    loss: isMnist(c) ? 'crossEntropy' : 'mse',
    optimizer: { type: 'sgd', lr: c.lr },
    batchSize: c.batchSize,
  });
}

/** react-nn's trainer on `engine`, training `tree` on `data` epoch by epoch. */
export async function trainerContender(
  tree: ReactElement,
  data: Dataset,
  engine: EngineName,
  o: Pick<TrainerOptions, 'loss' | 'optimizer' | 'batchSize'> & { backend?: 'cpu' | 'webgl' | 'webgpu' },
): Promise<Contender> {
  const net = await renderModel(tree, { inputShape: [...data.inputShape], backend: o.backend, seed: 1 });
  const trainer = createTrainer(net, {
    data,
    loss: o.loss,
    optimizer: o.optimizer,
    batchSize: o.batchSize,
    epochs: 0,
    seed: 1,
    engine,
  });
  const k: Contender = {
    name: `react-nn ${engine}`,
    note: '',
    async run(epochs) {
      const t0 = now();
      trainer.setOptions({ epochs: trainer.getSnapshot().epoch + epochs });
      const snap = await trainer.fit();
      await settle(net.model);
      if (snap.status !== 'done') throw new Error(`react-nn ${engine}: ${snap.status} ${snap.error}`);
      k.note = `${snap.engine.name}: ${snap.engine.reason}`;
      return (now() - t0) / 1000;
    },
    dispose() {
      trainer.dispose();
      net.dispose();
    },
  };
  return k;
}

function handContender(c: FusedCase, data: Dataset): Contender {
  const model = handModel(c, data.inputShape[0] as number);
  const y = isMnist(c) ? tf.tidy(() => tf.oneHot(tf.cast(tf.reshape(data.y, [-1]), 'int32'), 10)) : data.y.clone();
  model.compile({
    optimizer: tf.train.sgd(c.lr),
    loss: isMnist(c) ? (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) : 'meanSquaredError',
  });
  return {
    name: 'tfjs by hand (model.fit)',
    note: 'tf.sequential + model.fit, tf.train.sgd',
    async run(epochs) {
      const t0 = now();
      await model.fit(data.x, y, { batchSize: c.batchSize, epochs, shuffle: true, verbose: 0 });
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

/** The name of TF Playground's own network code as a contender (fused.mjs reads it for the goals). */
export const PLAYGROUND_NN = 'TF Playground nn.ts';

/**
 * TF Playground's own network code, trained as its app's oneStep() trains it (src/playground.ts): for each
 * point `forwardProp`, `backProp` with `Errors.SQUARE`, `updateWeights` every `batchSize` points; tanh hidden and
 * output (its classification setting), no regularization. Playground shuffles its points once, when it makes them.
 */
export async function playgroundContender(
  widths: number[],
  batchSize: number,
  lr: number,
  data: Dataset,
): Promise<Contender> {
  const xs = await data.x.data();
  const ys = await data.y.data();
  const network = nn.buildNetwork([2, ...widths, 1], nn.Activations.TANH, nn.Activations.TANH, null, ['x', 'y']);
  const points = Array.from({ length: data.size }, (_v, i) => ({
    x: xs[2 * i] as number,
    y: xs[2 * i + 1] as number,
    label: ys[i] as number,
  }));
  return {
    name: PLAYGROUND_NN,
    note: 'github.com/tensorflow/playground src/nn.ts (vendored verbatim), driven as its oneStep()',
    async run(epochs) {
      const t0 = now();
      for (let e = 0; e < epochs; e++) {
        points.forEach((p, i) => {
          nn.forwardProp(network, [p.x, p.y]);
          nn.backProp(network, p.label, nn.Errors.SQUARE);
          if ((i + 1) % batchSize === 0) nn.updateWeights(network, lr, 0);
        });
      }
      return (now() - t0) / 1000;
    },
    dispose() {},
  };
}

/** The fused-cpu kernel alone (no trainer, no syncing): the engine's ceiling in this thread. */
async function kernelContender(c: FusedCase, data: Dataset, backend: string): Promise<Contender> {
  const net = await renderModel(jsx(c), { inputShape: [...data.inputShape], backend: backend as 'cpu', seed: 1 });
  const graph = net.net.graph;
  const loss = resolveLoss(isMnist(c) ? 'crossEntropy' : 'mse');
  if (!graph || unsupportedReason(graph, { loss, optimizer: createOptimizer({ type: 'sgd', lr: 1 }) })) {
    throw new Error('bench model not fusable');
  }
  const spec = buildSpec(graph, net.model, loss);
  const flat = new Float32Array(spec.totalParams);
  for (const p of spec.params) {
    const w = net.model.weights.find((v) => v.originalName === p.name);
    flat.set(w?.read().dataSync() as Float32Array, p.offset);
  }
  net.dispose();
  const k = kernels.create(spec, flat, null, null);
  const n = data.size;
  k.setData(Float32Array.from(await data.x.data()), Float32Array.from(await data.y.data()), n, data.y.size / n);
  const order = Int32Array.from({ length: n }, (_v, i) => i);
  const opt = {
    kind: 0 as const,
    lr: c.lr,
    momentum: 0,
    dampening: 0,
    nesterov: false,
    weightDecay: 0,
    beta1: 0,
    beta2: 0,
    eps: 0,
    l1: 0,
    l2: 0,
    clipNorm: 0,
    clipValue: 0,
    generation: 0,
    slots: { buf: false, m: false, v: false },
  };
  return {
    name: 'fused-cpu kernel only',
    note: 'the Float32Array kernel in this thread, without the trainer',
    async run(epochs) {
      const t0 = now();
      for (let e = 0; e < epochs; e++) {
        k.train({ order, offset: 0, batchSize: c.batchSize, maxSteps: Number.POSITIVE_INFINITY, budgetMs: 1e9, opt });
      }
      return (now() - t0) / 1000;
    },
    dispose() {},
  };
}

/** The fused-webgpu engine alone, on an order spanning many epochs: K steps per dispatch up to its limit. */
async function gpuEngineContender(
  c: FusedCase,
  data: Dataset,
  backend: string,
  gpu: { device: GPUDevice; software: boolean; workgroupSize?: number },
): Promise<Contender> {
  const net = await renderModel(jsx(c), { inputShape: [...data.inputShape], backend: backend as 'cpu', seed: 1 });
  const engine = createFusedWebGPUEngine(gpu.device, {
    software: gpu.software,
    dispatchMs: 16,
    workgroupSize: gpu.workgroupSize,
  });
  const loss = resolveLoss(isMnist(c) ? 'crossEntropy' : 'mse');
  const optimizer = createOptimizer({ type: 'sgd', lr: c.lr });
  const n = data.size;
  return {
    name: 'fused-webgpu engine only',
    note: 'one dispatch of K steps + one readback per chunk, K ≈ 16 ms of GPU work, chunks span epochs',
    async run(epochs) {
      // Epochs in order, unshuffled: 0 … n−1 each.
      const order = OrderBlock.of({ size: n, seed: 0, shuffle: false, from: 0, count: epochs });
      const t0 = now();
      let offset = 0;
      while (offset < order.length) {
        const r = await engine.runChunk({
          net: net.net,
          model: net.model,
          graph: net.net.graph as NonNullable<typeof net.net.graph>,
          x: data.x,
          y: data.y,
          order,
          epochSize: n,
          offset,
          batchSize: c.batchSize,
          maxSteps: Number.POSITIVE_INFINITY,
          lossSum: 0,
          config: { loss, optimizer, regularization: undefined, clipGradNorm: undefined, clipGradValue: undefined },
        });
        offset += r.samples;
      }
      return (now() - t0) / 1000;
    },
    dispose() {
      engine.dispose();
      optimizer.dispose();
      net.dispose();
    },
  };
}
