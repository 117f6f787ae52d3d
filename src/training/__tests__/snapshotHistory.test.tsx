// A trainer snapshot's history is the history as it was when the snapshot was published, however
// late it is read — though it is copied only when read (a snapshot is published every frame).
import * as tf from '@tensorflow/tfjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { createTrainer, type EngineName, type TrainerSnapshot } from '../trainer';
import { ownership } from './lifecycle';

beforeEach(async () => {
  await tf.setBackend('cpu');
});
// Disposes what a test owns after it, and checks the tensor count is back where it started.
const { own } = ownership();

/** A trainer (owned by the test) of a seeded logistic regression, Linear · Sigmoid, on 40 moons in batches of 8. */
async function logisticTrainer(engine: EngineName, epochs: number) {
  const data = own(moons({ n: 40, noise: 0.2, seed: 1 }));
  const net = own(
    await renderModel(
      <Sequential>
        <Linear outFeatures={1} />
        <Sigmoid />
      </Sequential>,
      { inputShape: [2], seed: 1 },
    ),
  );
  return own(
    createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'sgd', lr: 0.1 },
      epochs,
      batchSize: 8,
      seed: 2,
      engine,
    }),
  );
}

describe('trainer snapshot history', () => {
  for (const engine of ['tfjs', 'fused-cpu'] as const) {
    it(`${engine}: every published snapshot, read after training ended, holds exactly its own epochs`, async () => {
      const t = await logisticTrainer(engine, 30);
      const seen: TrainerSnapshot[] = [];
      // Keep every snapshot without reading its history.
      const stop = t.subscribe(() => seen.push(t.getSnapshot()));
      const end = await t.fit();
      stop();
      expect(end.history.loss).toHaveLength(30);
      expect(seen.length).toBeGreaterThan(0);
      for (const s of seen) {
        expect(s.history.loss).toHaveLength(s.epoch);
        expect(s.history.loss).toEqual(end.history.loss.slice(0, s.epoch));
        // One copy per snapshot: read twice, the same arrays.
        expect(s.history).toBe(s.history);
      }
      // A spread copies it as a plain value, like any other field.
      const copy = { ...seen.at(-1) };
      expect(Object.getOwnPropertyDescriptor(copy, 'history')?.value).toEqual(seen.at(-1)?.history);
    });
  }

  it('reset() starts a new history: snapshots from before it keep theirs', async () => {
    const t = await logisticTrainer('tfjs', 5);
    await t.fit();
    const before = t.getSnapshot();
    t.reset();
    await t.fit();
    expect(before.history.loss).toHaveLength(5);
    expect(t.getSnapshot().history.loss).toHaveLength(5);
  });
});
