// Soak: 5,000 training steps in Chromium with an edit of the model every 100 steps (50 rebuilds while it
// trains) and the views that read the model and the trainer mounted throughout, on tfjs' CPU backend (WebGL's
// per-step round trips would make 5,000 steps take many minutes on this machine's software GL). The tensor count must stay
// flat and the JavaScript heap must not grow beyond a bound; the figures are printed.
import * as tf from '@tensorflow/tfjs';
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import type { Net } from '../../runtime/net';
import type { Trainer } from '../../training/trainer';
import { ModelSummary } from '../../viz/architecture';
import { DecisionBoundary } from '../../viz/boundary';
import { LossChart, MetricsChart } from '../../viz/charts';
import { ProgressBar, TrainingControls } from '../../viz/controls';
import { WeightHistogram } from '../../viz/weights';
import { Model } from '../Model';
import { useDataset } from '../useDataset';
import { useMetrics } from '../useMetrics';
import { useModel } from '../useModel';
import { useTrainer } from '../useTrainer';

afterEach(cleanup);

const STEPS = 5_000;
const EDIT_EVERY = 100;
/** Allowed heap growth between the first and the last measurement, after a full GC each time. */
const HEAP_BOUND_MB = 10;
/** Allowed rise of the tensor count over the run (sampled every 100 steps, after warm-up). */
const TENSOR_DRIFT = 4;

/**
 * The app edits its own model as it trains, the way a UI driven by state does: the hidden width follows the
 * step count, 6…10, changing every EDIT_EVERY steps (each change rebuilds the first two layers).
 */
function Soak({ onHandles }: { onHandles: (m: Net, t: Trainer | null) => void }) {
  const data = useDataset(() => moons({ n: 256, noise: 0.2, seed: 1 }), { validationSplit: 0.25 });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: { type: 'adam', lr: 0.01 },
    epochs: 1_000_000,
    batchSize: 16,
    metrics: ['accuracy'],
    seed: 1,
    engine: 'tfjs',
    autoStart: true,
  });
  const { step } = useMetrics(trainer);
  const hidden = 6 + (Math.floor(step / EDIT_EVERY) % 5);
  onHandles(model, trainer);
  return (
    <>
      <Model handle={model} inputShape={[2]} backend="cpu" seed={1}>
        <Sequential>
          <Linear outFeatures={hidden} />
          <ReLU />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <TrainingControls trainer={trainer} batchSize={16} />
      <ProgressBar trainer={trainer} />
      <LossChart trainer={trainer} width={300} />
      <MetricsChart trainer={trainer} width={300} />
      <DecisionBoundary model={model} data={data} trainer={trainer} resolution={24} width={200} height={200} />
      <WeightHistogram model={model} trainer={trainer} />
      <ModelSummary model={model} />
    </>
  );
}

const heapMB = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize / 2 ** 20;
};

describe('soak', () => {
  it(`${STEPS} steps with an edit every ${EDIT_EVERY} and views mounted: flat tensor count, bounded heap`, async () => {
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('function');
    const start = tf.memory().numTensors;
    let trainer: Trainer | null = null;
    let model: Net | null = null;
    const onHandles = (m: Net, t: Trainer | null) => {
      model = m;
      trainer = t;
    };
    const step = () => (trainer as Trainer | null)?.getSnapshot().step ?? 0;
    const version = () => (model as Net | null)?.getSnapshot().version ?? 0;
    const view = render(<Soak onHandles={onHandles} />);
    // From here on the page runs as an app does, not under act(): React renders on its own schedule.
    const actEnvironment = (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT;
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    const tensors: number[] = [];
    const heap: number[] = [];
    const t0 = performance.now();
    let firstVersion = 0;
    try {
      for (let mark = EDIT_EVERY; mark <= STEPS; mark += EDIT_EVERY) {
        while (step() < mark) {
          const s = (trainer as Trainer | null)?.getSnapshot();
          if (s?.status === 'error') throw new Error(`training failed at step ${s.step}: ${s.error?.message}`);
          await new Promise<void>((r) => setTimeout(r, 20));
        }
        if (mark === EDIT_EVERY) firstVersion = version();
        tensors.push(tf.memory().numTensors);
        if (mark % (10 * EDIT_EVERY) === 0) heap.push(heapMB());
      }
    } finally {
      (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = actEnvironment;
    }
    const rebuilds = version() - firstVersion;
    const seconds = (performance.now() - t0) / 1000;
    const snap = (trainer as Trainer | null)?.getSnapshot();
    expect(snap?.status).toBe('running');
    expect(snap?.step).toBeGreaterThanOrEqual(STEPS);
    expect((model as Net | null)?.error).toBeNull();
    const losses = snap?.history.loss ?? [];
    expect(losses.every(Number.isFinite)).toBe(true);

    view.unmount();
    const t1 = performance.now();
    while (tf.memory().numTensors !== start && performance.now() - t1 < 30_000) {
      await act(() => new Promise<void>((r) => setTimeout(r, 20)));
    }
    // Every 100 steps a new width, so about one rebuild per 100 steps (the last one may not have built yet).
    expect(rebuilds).toBeGreaterThanOrEqual(STEPS / EDIT_EVERY - 3);
    const after = tf.memory().numTensors;

    // Tensors sampled every 100 steps, from the 5th sample on (the views have all drawn once by then); training
    // and the views hold a few in flight at any moment, so compare the highest of the first and last ten.
    const settled = tensors.slice(4);
    const drift = Math.max(...settled.slice(-10)) - Math.max(...settled.slice(0, 10));
    const growth = (heap.at(-1) as number) - (heap[0] as number);
    console.log(
      `soak: ${snap?.step} steps, ${rebuilds} rebuilds, ${losses.length} epochs in ${seconds.toFixed(1)} s; ` +
        `tensors every 100 steps ${Math.min(...settled)}–${Math.max(...settled)} (drift ${drift}), ${after - start} left after unmount; ` +
        `heap after GC ${heap.map((h) => h.toFixed(1)).join(' → ')} MB (growth ${growth.toFixed(1)} MB, bound ${HEAP_BOUND_MB} MB)`,
    );
    expect(after).toBe(start);
    expect(drift).toBeLessThanOrEqual(TENSOR_DRIFT);
    expect(growth).toBeLessThan(HEAP_BOUND_MB);
  }, 900_000);
});
