// useCheckpoint in real Chromium and IndexedDB: training autosaves every N epochs and on pause; a
// remount (what a page reload does) restores the saved weights into the fresh model before training.
import * as tf from '@tensorflow/tfjs';
import { act, render } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { deleteCheckpoint, listCheckpoints } from '../../io/indexedDb';
import { readNetWeights } from '../../io/netWeights';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import type { Net } from '../../runtime/net';
import type { Trainer } from '../../training/trainer';
import { Model } from '../Model';
import { type UseCheckpointResult, useCheckpoint } from '../useCheckpoint';
import { useDataset } from '../useDataset';
import { useModel } from '../useModel';
import { useTrainer } from '../useTrainer';

const KEY = 'use-checkpoint-test';
const wait = (ms: number) => act(() => new Promise((r) => setTimeout(r, ms)));
async function until(test: () => boolean, what: string, last?: () => unknown) {
  for (let i = 0; i < 1500; i++) {
    if (test()) return;
    await wait(50);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last?.())}`);
}

interface Seen {
  model: Net;
  trainer: Trainer | null;
  saved: UseCheckpointResult;
}

function App({ seed, seen }: { seed: number; seen: Seen }) {
  const data = useDataset(() => moons({ n: 200, noise: 0.2, seed: 1 }));
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: { type: 'adam', lr: 0.05 },
    epochs: 100_000,
    seed: 1,
    engine: 'tfjs',
  });
  const saved = useCheckpoint(model, trainer, { key: KEY, every: 3 });
  Object.assign(seen, { model, trainer, saved });
  return (
    <Model handle={model} inputShape={[2]} backend="cpu" seed={seed}>
      <Sequential>
        <Linear outFeatures={6} />
        <ReLU />
        <Linear outFeatures={1} />
        <Sigmoid />
      </Sequential>
    </Model>
  );
}

const values = (net: Net) => readNetWeights(net).map((w) => Array.from(w.variable.read().dataSync()));

beforeAll(async () => {
  await tf.setBackend('cpu');
  await deleteCheckpoint(KEY);
});
afterAll(async () => {
  await deleteCheckpoint(KEY);
});

describe('useCheckpoint', () => {
  it('autosaves every 3 epochs and on pause; a remount restores the weights', async () => {
    const start = tf.memory().numTensors;
    const seen = {} as Seen;
    const first = render(<App seed={1} seen={seen} />);
    await until(() => seen.saved.restored && seen.trainer !== null && seen.model.status === 'ready', 'the first mount');
    expect(seen.saved.checkpoint).toBeNull();
    expect(await listCheckpoints()).toEqual([]);

    void seen.trainer?.fit();
    await until(() => (seen.saved.lastSaved?.epoch ?? 0) >= 3, 'a save at epoch 3');
    seen.trainer?.pause();
    await until(() => seen.trainer?.status === 'paused', 'the pause');
    // Saved where training really stopped: at the trainer's last step.
    const stepNow = () => seen.trainer?.getSnapshot().step ?? -1;
    await until(
      () => seen.saved.status === 'idle' && seen.saved.lastSaved?.step === stepNow(),
      'the save on pause',
      () => ({ saved: seen.saved, step: stepNow() }),
    );
    const trained = values(seen.model);
    const stored = await listCheckpoints();
    expect(stored.map((c) => c.key)).toEqual([KEY]);
    expect(stored[0]?.size).toBe(seen.saved.lastSaved?.size);
    first.unmount();
    await wait(20);

    // "Reload": a fresh tree, a different seed; only the stored checkpoint can bring the weights back.
    const again = {} as Seen;
    const second = render(<App seed={2} seen={again} />);
    await until(() => again.saved.restored, 'the restore');
    expect(again.saved.error).toBeNull();
    expect(again.saved.checkpoint?.meta.totalParams).toBe(6 * 2 + 6 + 6 + 1);
    expect(values(again.model)).toEqual(trained);
    second.unmount();
    await wait(20);
    expect(tf.memory().numTensors).toBe(start);
  });
});
