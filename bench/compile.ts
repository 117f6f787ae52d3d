// How fast JSX becomes a model: `renderModel` against building the same MLP by hand with `tf.sequential` (and
// `build()`, which tf.sequential otherwise runs on first use), and a live prop edit (`net.update` changing one
// middle layer's width) until the recompiled model is ready.
import type * as tf from '@tensorflow/tfjs';
import { renderModel } from '../src/index';
import { cpuNow, log, median, now } from './measure';
import { handMlp, MLP_WIDTHS, mlp } from './models';
import type { BenchBackend } from './training';

export interface CompileResult {
  backend: BenchBackend;
  samples: number;
  /** Median ms of `await renderModel(<MLP/>)`, per model over batches of 10. */
  renderModelMs: number;
  /**
   * Median ms of `handMlp()` (tf.sequential + dense layers + the same initialisers) and `model.build()`: a
   * tf.sequential builds its graph network (the LayersModel that predict/fit/evaluate/compile run) on first
   * use, while renderModel's model already is one — so the hand side is timed ready to run, too.
   */
  handMs: number;
  /** Median over adjacent batch pairs of (renderModel ms ÷ hand ms). */
  ratio: number;
  /** Like `ratio`, from this process's CPU time (null where it cannot be read). */
  cpuRatio: number | null;
  /** Fastest batch ÷ fastest batch: the estimate least disturbed by other work on the machine. */
  bestRatio: number;
  bestMs: { renderModel: number; hand: number };
  /** Median ms of `await net.update(<MLP with Linear[2] 64 ↔ 96/>)`. */
  editMs: number;
  /** 90th percentile of the same. */
  editP90Ms: number;
  /** What the last edit kept and re-initialised. */
  lastEdit: { kept: number; reset: number };
  /** The same against `handMlp()` without `build()`, whose graph network is then still to be made on first use. */
  unbuilt: { handMs: number; ratio: number; cpuRatio: number | null };
}

/**
 * Lets queued macrotasks run (React's scheduler, deferred disposal) between timed sections, as an app's event
 * loop would between edits; without it they pile up behind a loop of microtasks and land in later samples.
 */
const idle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Models built per timed batch. */
const BATCH = 10;
/** Untimed batches (and edits) first. */
const WARMUP = 10;
const WIDER = MLP_WIDTHS.map((w, i) => (i === 2 ? 96 : w));

export async function benchCompile(backend: BenchBackend, samples: number): Promise<CompileResult> {
  log(`${backend}: compile ${samples} × ${BATCH} models (renderModel vs tf.sequential), then ${samples} live edits`);
  const render = () => renderModel(mlp(), { inputShape: [2], backend, seed: 1 });
  // Builds come in batches of BATCH (disposed after the clock stops): a single build takes well under a
  // millisecond, where timer resolution and garbage collection would otherwise decide the ratio.
  const reactTimes: number[] = [];
  const handTimes: number[] = [];
  const reactCpu: number[] = [];
  const handCpu: number[] = [];
  const cpuSince = (start: number | null, into: number[]) => {
    const end = cpuNow();
    if (start !== null && end !== null) into.push(end - start);
  };
  const reactBatch = async () => {
    const nets = [];
    const c0 = cpuNow();
    const t0 = now();
    for (let i = 0; i < BATCH; i++) nets.push(await render());
    reactTimes.push((now() - t0) / BATCH);
    cpuSince(c0, reactCpu);
    for (const n of nets) n.dispose();
    await idle();
  };
  const unbuiltTimes: number[] = [];
  const unbuiltCpu: number[] = [];
  const handBatch = (build: boolean) => async () => {
    const models: tf.Sequential[] = [];
    const c0 = cpuNow();
    const t0 = now();
    for (let i = 0; i < BATCH; i++) {
      const m = handMlp(2);
      // What tf.sequential does on its first predict/fit/evaluate/compile; renderModel's model is built already.
      if (build) m.build();
      models.push(m);
    }
    (build ? handTimes : unbuiltTimes).push((now() - t0) / BATCH);
    cpuSince(c0, build ? handCpu : unbuiltCpu);
    for (const m of models) m.dispose();
    await idle();
  };
  // Warm-up (backend selection, React's first render, V8 compiling both paths), then rotate who goes first.
  const contenders = [reactBatch, handBatch(true), handBatch(false)];
  for (let i = 0; i < WARMUP + samples; i++) {
    for (let k = 0; k < contenders.length; k++)
      await (contenders[(i + k) % contenders.length] as () => Promise<void>)();
    if (i === WARMUP - 1) {
      for (const list of [reactTimes, handTimes, reactCpu, handCpu, unbuiltTimes, unbuiltCpu]) list.length = 0;
    }
  }
  const cpuRatioOf = (theirs: number[]) =>
    reactCpu.length === samples && theirs.length === samples
      ? median(reactCpu.map((t, i) => t / (theirs[i] as number)))
      : null;

  const net = await render();
  const editTimes: number[] = [];
  try {
    for (let i = 0; i < WARMUP + samples; i++) {
      const t0 = now();
      await net.update(mlp(i % 2 === 0 ? WIDER : MLP_WIDTHS));
      if (i >= WARMUP) editTimes.push(now() - t0);
      await idle();
    }
    const report = net.net.getSnapshot().lastEdit;
    const sorted = [...editTimes].sort((a, b) => a - b);
    const renderModelMs = median(reactTimes);
    const handMs = median(handTimes);
    return {
      backend,
      samples,
      renderModelMs,
      handMs,
      ratio: median(reactTimes.map((t, i) => t / (handTimes[i] as number))),
      cpuRatio: cpuRatioOf(handCpu),
      bestRatio: Math.min(...reactTimes) / Math.min(...handTimes),
      bestMs: { renderModel: Math.min(...reactTimes), hand: Math.min(...handTimes) },
      editMs: median(editTimes),
      editP90Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))] as number,
      lastEdit: { kept: report?.kept.length ?? 0, reset: report?.reset.length ?? 0 },
      unbuilt: {
        handMs: median(unbuiltTimes),
        ratio: median(reactTimes.map((t, i) => t / (unbuiltTimes[i] as number))),
        cpuRatio: cpuRatioOf(unbuiltCpu),
      },
    };
  } finally {
    net.dispose();
  }
}
