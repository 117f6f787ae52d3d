// Long-task bench of the viz components: does watching training slow the page down?
//
// A moons MLP trains in Chromium while LossChart, DecisionBoundary and WeightHistogram are mounted; a
// PerformanceObserver collects every main-thread task longer than 50 ms (the "long tasks" of the Long Tasks API).
// Goal: none after warm-up (the first epochs compile WebGL shaders and are left out). The same training without
// the views runs first, for the baseline long tasks and epochs/s of training alone.
//
// `benchVizLongTasks()` is what a bench page calls (bench/browser/main.ts may import it); `node
// bench/viz-longtasks.mjs` runs it on its own (its page is bench/viz-longtasks.html).
import * as tf from '@tensorflow/tfjs';
import { createElement, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { datasets } from '../src/data/index';
import { Sigmoid, Tanh } from '../src/layers/activation';
import { Sequential } from '../src/layers/containers';
import { Linear } from '../src/layers/core';
import { renderModel } from '../src/react/renderModel';
import { createTrainer } from '../src/training/trainer';
import { DecisionBoundary, LossChart, WeightHistogram } from '../src/viz/index';

export interface LongTaskRun {
  /** 'training alone', or which views were mounted. */
  label: string;
  epochs: number;
  epochsPerSecond: number;
  /** Tasks ≥ 50 ms after warm-up. */
  longTasks: number;
  maxTaskMs: number;
  /** Σ (duration − 50 ms) of the long tasks: the Total Blocking Time. */
  blockingMs: number;
}

export interface VizLongTasksResult {
  backend: string;
  points: number;
  runs: LongTaskRun[];
  /** Redraws of the decision boundary while all three views were mounted. */
  boundaryRedraws: number;
  leakedTensors: number;
}

export interface VizLongTasksOptions {
  /** tfjs backend. Default 'webgl'. */
  backend?: 'webgl' | 'cpu' | 'webgpu';
  /** Moons points. Default 1000. */
  n?: number;
  warmupEpochs?: number;
  epochs?: number;
  /** Training engine (createTrainer's `engine`). Default 'auto'. */
  engine?: 'auto' | 'tfjs' | 'fused-cpu' | 'fused-webgpu';
  /** Only these runs (labels without '+ '), e.g. ['DecisionBoundary']. Default all. */
  only?: string[];
}

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** Trains `epochs` more epochs while long tasks are observed; the views (if any) stay mounted. */
async function measure(label: string, trainer: ReturnType<typeof createTrainer>, epochs: number) {
  const tasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  const start = performance.now();
  const from = trainer.getSnapshot().epoch;
  trainer.setOptions({ epochs: from + epochs });
  await trainer.fit();
  const seconds = (performance.now() - start) / 1000;
  // Entries are delivered asynchronously: give the observer a frame.
  await frame();
  observer.disconnect();
  return {
    label,
    epochs,
    epochsPerSecond: epochs / seconds,
    longTasks: tasks.length,
    maxTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
    blockingMs: tasks.reduce((s, t) => s + Math.max(0, t.duration - 50), 0),
  } satisfies LongTaskRun;
}

export async function benchVizLongTasks(options: VizLongTasksOptions = {}): Promise<VizLongTasksResult> {
  const { backend = 'webgl', n = 1000, warmupEpochs = 2, epochs = 40, only, engine = 'auto' } = options;
  const tensorsBefore = tf.memory().numTensors;
  const net = await renderModel(
    <Sequential>
      <Linear outFeatures={16} />
      <Tanh />
      <Linear outFeatures={16} />
      <Tanh />
      <Linear outFeatures={1} />
      <Sigmoid />
    </Sequential>,
    { inputShape: [2], backend, seed: 1 },
  );
  const data = datasets.moons({ n, noise: 0.2, seed: 1 });
  const split = data.split(0.2, { seed: 1 });
  const trainer = createTrainer(net, {
    data: split,
    loss: 'bce',
    optimizer: { type: 'adam', lr: 0.01 },
    epochs: warmupEpochs,
    batchSize: 32,
    seed: 1,
    engine,
  });
  const runs: LongTaskRun[] = [];
  // Warm-up: shader compilation and first-use allocations are not what this measures.
  await trainer.fit();
  runs.push(await measure('training alone', trainer, epochs));

  // Each view alone, then all three: which one costs what.
  const sets: [string, ('loss' | 'boundary' | 'histogram')[]][] = [
    ['+ LossChart', ['loss']],
    ['+ DecisionBoundary', ['boundary']],
    ['+ WeightHistogram', ['histogram']],
    ['+ all three', ['loss', 'boundary', 'histogram']],
  ];
  let boundaryRedraws = 0;
  for (const [label, views] of sets) {
    if (only && !only.includes(label.slice(2))) continue;
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    root.render(
      createElement(
        StrictMode,
        null,
        views.includes('loss') ? <LossChart trainer={trainer} width={400} /> : null,
        views.includes('boundary') ? <DecisionBoundary model={net} data={split} trainer={trainer} /> : null,
        views.includes('histogram') ? <WeightHistogram model={net} trainer={trainer} /> : null,
      ),
    );
    // Let the views draw once (and compile the grid predict's shaders) before measuring.
    for (let i = 0; i < 30; i++) await frame();
    const figure = host.querySelector<HTMLElement>('.rnn-decision-boundary');
    const drawsBefore = Number(figure?.dataset.draws ?? 0);
    runs.push(await measure(label, trainer, epochs));
    if (figure && label === '+ all three') boundaryRedraws = Number(figure.dataset.draws) - drawsBefore;
    root.unmount();
    host.remove();
    for (let i = 0; i < 5; i++) await frame();
  }
  trainer.dispose();
  split.train.dispose();
  split.val.dispose();
  data.dispose();
  net.dispose();
  return {
    backend: tf.getBackend(),
    points: n,
    runs,
    boundaryRedraws,
    leakedTensors: tf.memory().numTensors - tensorsBefore,
  };
}

/** Entry of bench/viz-longtasks.html: `?backend=webgl|cpu|webgpu`, results on `window.vizResult`. */
export function runPage(): Promise<VizLongTasksResult> {
  const params = new URLSearchParams(location.search);
  const backend = (params.get('backend') ?? 'webgl') as VizLongTasksOptions['backend'];
  const only = params.get('only')?.split(',');
  const engine = (params.get('engine') ?? 'auto') as VizLongTasksOptions['engine'];
  return benchVizLongTasks({ backend, only, engine });
}
