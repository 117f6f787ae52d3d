// The React lifecycle every app goes through, run the same way in jsdom (lifecycle.test.tsx) and in Chromium
// (lifecycle.browser.test.tsx): StrictMode mount → train → 50 prop changes (layer widths and the learning rate)
// → unmount in the middle of an epoch → remount and train again. Nothing may be logged to console.error, and
// the tensor count must come back to where it started.
import * as tf from '@tensorflow/tfjs';
import { act, render } from '@testing-library/react';
import { type ReactNode, StrictMode } from 'react';
import { expect } from 'vitest';
import { moons } from '../../data/generators';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import type { BackendName } from '../../runtime/backend';
import type { Net } from '../../runtime/net';
import type { EngineName, Trainer } from '../../training/trainer';
import { ModelSummary } from '../../viz/architecture';
import { TrainingControls } from '../../viz/controls';
import { Model } from '../Model';
import { useDataset } from '../useDataset';
import { useMetrics } from '../useMetrics';
import { useModel } from '../useModel';
import { useTrainer } from '../useTrainer';

/** Rows of moons: 320 to train, 80 held out; batches of 8 make 40 steps an epoch. */
const ROWS = 400;
const BATCH = 8;
export const STEPS_PER_EPOCH = (ROWS * 0.8) / BATCH;

export interface LifecycleProps {
  hidden: number;
  lr: number;
  backend?: BackendName;
  engine: EngineName;
  /** Views that need a real browser (charts, canvases), added in Chromium. */
  extra?: (model: Net, trainer: Trainer | null) => ReactNode;
  onHandles: (model: Net, trainer: Trainer | null) => void;
}

export function LifecycleApp({ hidden, lr, backend, engine, extra, onHandles }: LifecycleProps) {
  const data = useDataset(() => moons({ n: ROWS, noise: 0.2, seed: 1 }), { validationSplit: 0.2 });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: { type: 'adam', lr },
    // Enough that no engine finishes before the test unmounts it (fused-cpu trains millions of rows a second).
    epochs: 10_000_000,
    batchSize: BATCH,
    seed: 1,
    engine,
    autoStart: true,
  });
  const { status, epoch, step } = useMetrics(trainer);
  onHandles(model, trainer);
  return (
    <>
      <output data-testid="status">{status}</output>
      <output data-testid="progress">
        {epoch}:{step}
      </output>
      <Model handle={model} inputShape={[2]} backend={backend} seed={1}>
        <Sequential>
          <Linear outFeatures={hidden} />
          <ReLU />
          <Linear outFeatures={hidden + 2} />
          <ReLU />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <TrainingControls trainer={trainer} batchSize={BATCH} />
      <ModelSummary model={model} />
      {extra?.(model, trainer)}
    </>
  );
}

/**
 * Lets timers, frames and React updates run until `cond` holds. `failed` names a state from which `cond`
 * can no longer come true (the trainer failed), to fail at once with its reason.
 */
export async function until(
  cond: () => boolean,
  what: string,
  ms = 90_000,
  failed: () => string | null = () => null,
): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    const reason = failed();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await act(() => new Promise<void>((r) => setTimeout(r, 10)));
  }
}

/** Parameters of the app's MLP for a hidden width h: Linear(2→h), Linear(h→h+2), Linear(h+2→1). */
export const paramsFor = (h: number) => 2 * h + h + h * (h + 2) + (h + 2) + (h + 2) + 1;

/** Runs the whole lifecycle; returns what it measured for the test to print. */
export async function runLifecycle(options: {
  backend?: BackendName;
  engine: EngineName;
  extra?: LifecycleProps['extra'];
}): Promise<{ edits: number; stepsAfterEdits: number; unmountedAtStep: number; remountEpochs: number }> {
  const logged: unknown[][] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    logged.push(args);
  };
  const start = tf.memory().numTensors;
  try {
    let model: Net | null = null;
    let trainer: Trainer | null = null;
    const onHandles = (m: Net, t: Trainer | null) => {
      model = m;
      trainer = t;
    };
    const app = (hidden: number, lr: number) => (
      <StrictMode>
        <LifecycleApp
          hidden={hidden}
          lr={lr}
          backend={options.backend}
          engine={options.engine}
          extra={options.extra}
          onHandles={onHandles}
        />
      </StrictMode>
    );
    const snap = () => (trainer as Trainer | null)?.getSnapshot();
    const trainerFailed = () => {
      const s = snap();
      return s?.status === 'error' ? `the trainer (engine ${s.engine.name}) failed: ${s.error?.message}` : null;
    };

    // Mount and train.
    const view = render(app(4, 0.01));
    await until(() => (snap()?.epoch ?? 0) >= 1, 'the first epoch', 90_000, trainerFailed);

    // Fifty prop changes while it trains: widths 4…8 and back (a rebuild each time), and the learning rate.
    let hidden = 4;
    let lr = 0.01;
    for (let i = 1; i <= 50; i++) {
      hidden = 4 + (i % 5);
      lr = i % 2 === 0 ? 0.01 : 0.005;
      view.rerender(app(hidden, lr));
      await act(() => new Promise<void>((r) => setTimeout(r, 5)));
    }
    await until(
      () => (model as Net | null)?.summary().totalParams === paramsFor(hidden),
      'the last edit to build',
      90_000,
      trainerFailed,
    );
    expect((trainer as Trainer | null)?.getSnapshot().lr).toBe(lr);
    // Training went on through the edits, on the last model.
    const afterEdits = snap()?.step ?? 0;
    await until(
      () => (snap()?.step ?? 0) >= afterEdits + STEPS_PER_EPOCH,
      'another epoch after the edits',
      90_000,
      trainerFailed,
    );
    expect(snap()?.status).toBe('running');
    expect(snap()?.error).toBeNull();

    // Unmount while it trains, in the middle of an epoch when the snapshot shows one: the fused engines train
    // in chunks of whole epochs and may only ever report epoch boundaries, so for them any running moment does.
    const midEpoch = () => {
      const s = snap()?.step ?? 0;
      return s % STEPS_PER_EPOCH > 5 && s % STEPS_PER_EPOCH < STEPS_PER_EPOCH - 5;
    };
    await until(midEpoch, 'a step in the middle of an epoch', 15_000, trainerFailed).catch((e: Error) => {
      if (e.message.startsWith('timed out') && snap()?.status === 'running') return;
      throw e;
    });
    expect(snap()?.status).toBe('running');
    const unmountedAtStep = snap()?.step ?? 0;
    view.unmount();
    // The model is freed deferred (so that a StrictMode remount can take it back): wait for it.
    await until(() => tf.memory().numTensors === start, `the tensor count to return to ${start}`, 30_000);

    // Remount: a fresh app trains again.
    trainer = null;
    const again = render(app(6, 0.01));
    await until(() => (snap()?.epoch ?? 0) >= 2, 'two epochs after the remount', 90_000, trainerFailed);
    const remountEpochs = snap()?.epoch ?? 0;
    expect((model as Net | null)?.summary().totalParams).toBe(paramsFor(6));
    again.unmount();
    await until(() => tf.memory().numTensors === start, `the tensor count to return to ${start}`, 30_000);
    expect(tf.memory().numTensors).toBe(start);
    expect(logged).toEqual([]);
    return { edits: 50, stepsAfterEdits: afterEdits, unmountedAtStep, remountEpochs };
  } finally {
    console.error = consoleError;
  }
}
