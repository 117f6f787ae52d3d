// A trainer snapshot's history is the history as it was when the snapshot was published, however
// late it is read — though it is copied only when read (a snapshot is published every frame).
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moons } from '../../data/generators';
import { Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import type { TrainerSnapshot } from '../trainer';
import { createTrainer } from '../trainer';

let start = 0;
beforeEach(async () => {
  await tf.setBackend('cpu');
  start = tf.memory().numTensors;
});
afterEach(() => expect(tf.memory().numTensors).toBe(start));

describe('trainer snapshot history', () => {
  for (const engine of ['tfjs', 'fused-cpu'] as const) {
    it(`${engine}: every published snapshot, read after training ended, holds exactly its own epochs`, async () => {
      const data = moons({ n: 40, noise: 0.2, seed: 1 });
      const net = await renderModel(
        <Sequential>
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>,
        { inputShape: [2], seed: 1 },
      );
      const t = createTrainer(net, {
        data,
        loss: 'bce',
        optimizer: { type: 'sgd', lr: 0.1 },
        epochs: 30,
        batchSize: 8,
        seed: 2,
        engine,
      });
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
      t.dispose();
      net.dispose();
      data.dispose();
    });
  }

  it('reset() starts a new history: snapshots from before it keep theirs', async () => {
    const data = moons({ n: 40, noise: 0.2, seed: 1 });
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={1} />
        <Sigmoid />
      </Sequential>,
      { inputShape: [2], seed: 1 },
    );
    const t = createTrainer(net, {
      data,
      loss: 'bce',
      optimizer: { type: 'sgd', lr: 0.1 },
      epochs: 5,
      batchSize: 8,
      seed: 2,
      engine: 'tfjs',
    });
    await t.fit();
    const before = t.getSnapshot();
    t.reset();
    await t.fit();
    expect(before.history.loss).toHaveLength(5);
    expect(t.getSnapshot().history.loss).toHaveLength(5);
    t.dispose();
    net.dispose();
    data.dispose();
  });
});
