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
  /** Median over rounds. */
  epochsPerSecond: number;
  /** Tasks ≥ 50 ms after warm-up, in the least disturbed round (fewest; other load on the machine adds some). */
  longTasks: number;
  /** Longest task in that round. */
  maxTaskMs: number;
  /** Σ (duration − 50 ms) of that round's long tasks: its Total Blocking Time. */
  blockingMs: number;
  /** Long tasks in every round, in order. */
  perRound: number[];
}

export interface VizLongTasksResult {
  backend: string;
  points: number;
  rounds: number;
  runs: LongTaskRun[];
  /** Redraws of the decision boundary while all three views were mounted (last round). */
  boundaryRedraws: number;
  leakedTensors: number;
}

export interface VizLongTasksOptions {
  /** tfjs backend. Default 'webgl'. */
  backend?: 'webgl' | 'cpu' | 'webgpu';
  /** Moons points. Default 1000. */
  n?: number;
  warmupEpochs?: number;
  /** Epochs per measured run. Default 40. */
  epochs?: number;
  /** Every configuration is measured this many times. Default 3. */
  rounds?: number;
  /** Training engine (createTrainer's `engine`). Default 'auto'. */
  engine?: 'auto' | 'tfjs' | 'fused-cpu' | 'fused-webgpu';
  /** Only these runs (labels without '+ '), e.g. ['DecisionBoundary']. Default all. */
  only?: string[];
}

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

interface Round {
  epochsPerSecond: number;
  tasks: number[];
}

/** Trains `epochs` more epochs while long tasks are observed; the views (if any) stay mounted. */
async function measure(trainer: ReturnType<typeof createTrainer>, epochs: number): Promise<Round> {
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
  return { epochsPerSecond: epochs / seconds, tasks: tasks.map((t) => t.duration) };
}

function summarize(label: string, epochs: number, rounds: Round[]): LongTaskRun {
  const best = [...rounds].sort((a, b) => a.tasks.length - b.tasks.length)[0] as Round;
  const speeds = rounds.map((r) => r.epochsPerSecond).sort((a, b) => a - b);
  return {
    label,
    epochs,
    epochsPerSecond: speeds[speeds.length >> 1] as number,
    longTasks: best.tasks.length,
    maxTaskMs: Math.max(0, ...best.tasks),
    blockingMs: best.tasks.reduce((s, t) => s + Math.max(0, t - 50), 0),
    perRound: rounds.map((r) => r.tasks.length),
  };
}

export async function benchVizLongTasks(options: VizLongTasksOptions = {}): Promise<VizLongTasksResult> {
  const { backend = 'webgl', n = 1000, warmupEpochs = 2, epochs = 40, rounds = 3, only, engine = 'auto' } = options;
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
  // Warm-up: shader compilation and first-use allocations are not what this measures.
  await trainer.fit();

  // Training alone, each view alone, then all three: which one costs what.
  const configs: [string, ('loss' | 'boundary' | 'histogram')[]][] = [
    ['training alone', []],
    ['+ LossChart', ['loss']],
    ['+ DecisionBoundary', ['boundary']],
    ['+ WeightHistogram', ['histogram']],
    ['+ all three', ['loss', 'boundary', 'histogram']],
  ];
  const measured = new Map<string, Round[]>();
  let boundaryRedraws = 0;
  // Rounds go through every configuration in turn, so slow spells of other load spread over all of them.
  for (let round = 0; round < rounds; round++) {
    for (const [label, views] of configs) {
      if (only && views.length > 0 && !only.includes(label.slice(2))) continue;
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
      const r = await measure(trainer, epochs);
      measured.set(label, [...(measured.get(label) ?? []), r]);
      if (figure && views.length === 3) boundaryRedraws = Number(figure.dataset.draws) - drawsBefore;
      root.unmount();
      host.remove();
      for (let i = 0; i < 5; i++) await frame();
    }
  }
  const runs = [...measured].map(([label, rs]) => summarize(label, epochs, rs));
  trainer.dispose();
  split.train.dispose();
  split.val.dispose();
  data.dispose();
  net.dispose();
  return {
    backend: tf.getBackend(),
    points: n,
    rounds,
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
  const rounds = Number(params.get('rounds') ?? 3);
  return benchVizLongTasks({ backend, only, engine, rounds });
}
