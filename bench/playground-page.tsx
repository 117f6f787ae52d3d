// The Playground bench: TF Playground's default network (2-4-2-1 tanh, batch 10, lr 0.03, circle data, 50 % train)
// trained by react-nn's <Playground> page — every view live: neuron heatmaps, output, timeline, gradient
// magnitudes, loss chart, JSX panel, summary — against TF Playground's own network code (bench/tf-playground/nn.ts,
// vendored verbatim) trained the way its oneStep() trains, on the same 250 training points, in the same page.
//
// Measured per round, interleaved so that other load on the machine falls on both: nn.ts for a few seconds in
// slices of ~30 ms (yielding between slices, as a page must), then the react-nn page playing for a few seconds,
// with a PerformanceObserver collecting main-thread tasks over 50 ms. Results on `window.playgroundResult`.
import * as tf from '@tensorflow/tfjs';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import * as nn from 'tf-playground-nn';
import { generatePoints, type Point, splitPoints } from '../src/playground/data';
import { Playground } from '../src/playground/index';
import { defaultState } from '../src/playground/state';
import type { BackendName } from '../src/runtime/backend';

export interface PlaygroundRound {
  nnExamplesPerSecond: number;
  /** Tasks over 50 ms while nn.ts ran in 30 ms slices: how much the machine's load alone stretches a task. */
  nnLongTasks: number;
  pageExamplesPerSecond: number;
  longTasks: number;
  maxTaskMs: number;
  /** Frames the page painted per second while playing (requestAnimationFrame callbacks). */
  fps: number;
  /** The longest gap between two frames while playing, ms. */
  maxFrameGapMs: number;
  /** Frames per second of the same page paused, just before: what this browser paints at all. */
  idleFps: number;
}

export interface PlaygroundBenchResult {
  trainPoints: number;
  rounds: PlaygroundRound[];
  engine: string;
  engineReason: string;
  /** The tfjs backend the views ran on (the Playground's choice: cpu where WebGL is a software renderer). */
  backend: string;
  /** Neuron thumbnails, output and timeline redraws during the last measured page run. */
  redraws: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (...a: unknown[]) => console.log('[bench]', ...a);

/** TF Playground's training, as its oneStep(): per point forwardProp + backProp (squared error), updateWeights per batch. */
function nnExamplesPerSecond(train: readonly Point[], seconds: number, shape: number[]): Promise<number> {
  const state = defaultState();
  const network = nn.buildNetwork([2, ...shape, 1], nn.Activations.TANH, nn.Activations.TANH, null, ['x', 'y']);
  return new Promise((resolve) => {
    let examples = 0;
    const start = performance.now();
    const slice = () => {
      const sliceStart = performance.now();
      while (performance.now() - sliceStart < 30) {
        train.forEach((p, i) => {
          nn.forwardProp(network, [p.x, p.y]);
          nn.backProp(network, p.label, nn.Errors.SQUARE);
          if ((i + 1) % state.batchSize === 0) nn.updateWeights(network, state.learningRate, state.regularizationRate);
        });
        examples += train.length;
      }
      if (performance.now() - start < seconds * 1000) setTimeout(slice, 0);
      else resolve((examples / (performance.now() - start)) * 1000);
    };
    slice();
  });
}

/** Starts collecting main-thread tasks over 50 ms; `stop()` resolves with their durations. */
function longTasks(): { stop(): Promise<number[]> } {
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push(e.duration);
  });
  observer.observe({ type: 'longtask' });
  return {
    async stop() {
      // Entries arrive asynchronously: give the observer a moment.
      await sleep(50);
      observer.disconnect();
      return tasks;
    },
  };
}

const readEpoch = (host: HTMLElement) =>
  Number(host.querySelector<HTMLElement>('[data-testid="epoch"]')?.dataset.value ?? 0);

async function until(cond: () => boolean, what: string, ms = 120_000) {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Counts animation frames until `stop()`: frames per second and the longest gap between two. */
function frameRate(): { stop(): { fps: number; maxGapMs: number } } {
  let frames = 0;
  let maxGap = 0;
  let last = performance.now();
  const t0 = last;
  let id = requestAnimationFrame(function tick(now) {
    frames++;
    maxGap = Math.max(maxGap, now - last);
    last = now;
    id = requestAnimationFrame(tick);
  });
  return {
    stop() {
      cancelAnimationFrame(id);
      return { fps: (frames / (performance.now() - t0)) * 1000, maxGapMs: maxGap };
    },
  };
}

/** Plays the Playground page for `seconds`; examples/s from the epoch counter, long tasks from the observer. */
async function pageRun(host: HTMLElement, trainSize: number, seconds: number) {
  const idle = frameRate();
  await sleep(1000);
  const idleFps = idle.stop().fps;
  const play = host.querySelector<HTMLButtonElement>('[data-testid="play"]') as HTMLButtonElement;
  play.click();
  // Warm-up: the engine chooses (fused-cpu starts its Worker) and the views compile their shaders.
  await sleep(1500);
  const observed = longTasks();
  const frames = frameRate();
  const figure = host.querySelector<HTMLElement>('.rnn-network');
  const draws0 = Number(figure?.dataset.draws ?? 0);
  const e0 = readEpoch(host);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const e1 = readEpoch(host);
  const t1 = performance.now();
  const painted = frames.stop();
  const tasks = await observed.stop();
  play.click();
  await until(() => play.textContent === 'Play', 'pause');
  return {
    examplesPerSecond: (((e1 - e0) * trainSize) / (t1 - t0)) * 1000,
    longTasks: tasks.length,
    maxTaskMs: Math.max(0, ...tasks),
    redraws: Number(figure?.dataset.draws ?? 0) - draws0,
    fps: painted.fps,
    maxFrameGapMs: painted.maxGapMs,
    idleFps,
  };
}

export async function benchPlayground(
  rounds = 3,
  seconds = 4,
  backend?: BackendName,
  shape = defaultState().networkShape,
): Promise<PlaygroundBenchResult> {
  const state = defaultState();
  const { train } = splitPoints(generatePoints(state), state.percTrainData, state.seed);
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  root.render(createElement(Playground, { urlState: false, backend, initialState: { networkShape: shape } }));
  await until(() => !!host.querySelector('[data-testid="play"]:not([disabled])'), 'the Playground to be ready');
  await until(() => Number(host.querySelector<HTMLElement>('.rnn-network')?.dataset.draws ?? 0) > 0, 'a first draw');
  const results: PlaygroundRound[] = [];
  let redraws = 0;
  for (let r = 0; r < rounds; r++) {
    const nnTasks = longTasks();
    const nnRate = await nnExamplesPerSecond(train, seconds, shape);
    const nnLong = await nnTasks.stop();
    log(`round ${r + 1}: nn.ts ${nnRate.toFixed(0)} examples/s`);
    const page = await pageRun(host, train.length, seconds);
    log(
      `round ${r + 1}: page ${page.examplesPerSecond.toFixed(0)} examples/s, ${page.longTasks} long tasks, ${page.fps.toFixed(0)} fps`,
    );
    redraws = page.redraws;
    results.push({
      nnExamplesPerSecond: nnRate,
      nnLongTasks: nnLong.length,
      pageExamplesPerSecond: page.examplesPerSecond,
      longTasks: page.longTasks,
      maxTaskMs: page.maxTaskMs,
      fps: page.fps,
      maxFrameGapMs: page.maxFrameGapMs,
      idleFps: page.idleFps,
    });
  }
  const engine = host.querySelector<HTMLElement>('.rnn-pg-engine');
  const out = {
    trainPoints: train.length,
    rounds: results,
    engine: engine?.textContent?.replace('engine: ', '') ?? '?',
    engineReason: engine?.title ?? '',
    backend: tf.getBackend(),
    redraws,
  };
  root.unmount();
  host.remove();
  return out;
}

/** Entry of bench/playground-page.html: `?rounds=3&seconds=4`. */
export function runPage(): Promise<PlaygroundBenchResult> {
  const params = new URLSearchParams(location.search);
  const backend = (params.get('backend') ?? undefined) as BackendName | undefined;
  const shape = params.get('shape')?.split(',').map(Number);
  return benchPlayground(Number(params.get('rounds') ?? 3), Number(params.get('seconds') ?? 4), backend, shape);
}
