// useResumableTrainer in real Chromium and IndexedDB: a remount (what a page reload does) restores
// the model, creates the trainer with the stored checkpoint as `resume` — same step, epoch and
// history — and the next step gives the weights of an uninterrupted run, bit for bit.
import * as tf from '@tensorflow/tfjs';
import { act, render } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Dropout, Linear } from '../../layers/core';
import { Model } from '../../react/Model';
import { type UseResumableTrainerResult, useResumableTrainer } from '../../react/useCheckpoint';
import { useDataset } from '../../react/useDataset';
import { useModel } from '../../react/useModel';
import type { Net } from '../../runtime/net';
import { deleteCheckpoint } from '../indexedDb';
import { readNetWeights } from '../netWeights';

const KEY = 'use-resumable-trainer-test';
const wait = (ms: number) => act(() => new Promise((r) => setTimeout(r, ms)));
async function until(test: () => boolean, what: string, last?: () => unknown) {
  for (let i = 0; i < 1500; i++) {
    if (test()) return;
    await wait(50);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last?.())}`);
}

type Seen = UseResumableTrainerResult & { model: Net };

function App({ seed, seen, autosave, rows }: { seed: number; seen: Seen; autosave: boolean; rows: number }) {
  const data = useDataset(() => moons({ n: rows, noise: 0.2, seed: 1 }));
  const model = useModel();
  const live = useResumableTrainer(
    model,
    data,
    { loss: 'bce', optimizer: { type: 'adam', lr: 0.05 }, epochs: 50, batchSize: 16, seed: 1, engine: 'tfjs' },
    autosave ? { key: KEY, every: 1 } : null,
  );
  Object.assign(seen, { model, ...live });
  return (
    <Model handle={model} inputShape={[2]} backend="cpu" seed={seed}>
      <Sequential>
        <Linear outFeatures={6} />
        <ReLU />
        <Dropout p={0.2} />
        <Linear outFeatures={1} />
        <Sigmoid />
      </Sequential>
    </Model>
  );
}

const values = (net: Net) => readNetWeights(net).map((w) => Array.from(w.variable.read().dataSync()));

async function mount(seed: number, autosave: boolean, rows = 100) {
  const seen = {} as Seen;
  const view = render(<App seed={seed} seen={seen} autosave={autosave} rows={rows} />);
  await until(() => seen.trainer !== null && seen.model.status === 'ready', 'a trainer');
  return { seen, view };
}

async function steps(seen: Seen, n: number) {
  for (let i = 0; i < n; i++) await act(async () => void (await seen.trainer?.step()));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await deleteCheckpoint(KEY);
});
afterAll(async () => {
  await deleteCheckpoint(KEY);
});

describe('useResumableTrainer', () => {
  it('a remount resumes the saved run: same step, epoch and history; the next step equals an uninterrupted run', async () => {
    const start = tf.memory().numTensors;
    // Reference: 8 steps straight (100 rows, batch 16: 7 steps an epoch), no autosave.
    const straight = await mount(1, false);
    expect(straight.seen.saved.restored).toBe(false);
    await steps(straight.seen, 8);
    const expected = values(straight.seen.model);
    straight.view.unmount();
    await wait(20);

    const first = await mount(1, true);
    expect(first.seen.saved.checkpoint).toBeNull();
    await steps(first.seen, 7);
    // step() leaves the trainer paused: the autosave stores its state after the last step.
    await until(
      () => first.seen.saved.status === 'idle' && first.seen.saved.lastSaved?.step === 7,
      'the save after step 7',
      () => first.seen.saved,
    );
    const at = first.seen.trainer?.getSnapshot();
    expect(at?.epoch).toBe(1);
    first.view.unmount();
    await wait(20);

    // "Reload" with another model seed: only the stored checkpoint can give these weights and this state.
    const second = await mount(2, true);
    expect(second.seen.saved.error).toBeNull();
    expect(second.seen.saved.checkpoint?.meta.hasTrainerState).toBe(true);
    const resumed = second.seen.trainer?.getSnapshot();
    expect(resumed?.step).toBe(7);
    expect(resumed?.epoch).toBe(1);
    expect(resumed?.history).toEqual(at?.history);
    await steps(second.seen, 1);
    expect(values(second.seen.model)).toEqual(expected);
    second.view.unmount();
    await wait(20);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('a stored state that no longer fits (other data) starts afresh from the saved weights and says why', async () => {
    await deleteCheckpoint(KEY);
    const start = tf.memory().numTensors;
    const errors: unknown[] = [];
    const log = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const first = await mount(1, true);
      await steps(first.seen, 3);
      await until(
        () => first.seen.saved.lastSaved?.step === 3,
        'the save after step 3',
        () => first.seen.saved,
      );
      const savedWeights = values(first.seen.model);
      first.view.unmount();
      await wait(20);

      // 60 rows instead of 100: the saved epoch order and step count cannot apply.
      const second = await mount(2, true, 60);
      expect(second.seen.saved.checkpoint?.meta.hasTrainerState).toBe(true);
      expect(second.seen.saved.error?.name).toBe('ReactNNError');
      expect(second.seen.saved.error?.message).toMatch(/does not fit this trainer .*starts afresh/);
      expect(second.seen.trainer?.getSnapshot().step).toBe(0);
      expect(second.seen.trainer?.getSnapshot().history.loss).toEqual([]);
      // The weights are the restored ones (seed 2 alone would give others), and training goes on.
      expect(values(second.seen.model)).toEqual(savedWeights);
      await steps(second.seen, 1);
      expect(second.seen.trainer?.getSnapshot().step).toBe(1);
      second.view.unmount();
      await wait(20);
    } finally {
      console.error = log;
    }
    expect(errors).toEqual([]);
    expect(tf.memory().numTensors).toBe(start);
  });
});
