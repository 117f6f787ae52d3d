// Shared by the engine parity tests (Node and Chromium): train the same seeded model on the
// same batches with each engine and compare the weights.
import * as tf from '@tensorflow/tfjs';
import type { ReactNode } from 'react';
import type { Dataset } from '../../../data/dataset';
import { fromArrays } from '../../../data/fromArrays';
import { moons } from '../../../data/generators';
import { createRng } from '../../../random';
import { renderModel } from '../../../react/renderModel';
import type { BackendName } from '../../../runtime/backend';
import { type LossSpec, resolveLoss } from '../../losses';
import type { Optimizer } from '../../optimizers';
import { createTrainer, type EngineName, type TrainerOptions, type TrainerSnapshot } from '../../trainer';
import type { StepConfig } from '../types';
import { mlp } from './cases';

export interface EngineRun {
  weights: Float32Array[];
  names: string[];
  snapshot: TrainerSnapshot;
}

export type RunOptions = Omit<TrainerOptions, 'data' | 'engine'>;

/** A step config of a loss and an optimizer alone (no regularization, no clipping), for tests that drive an engine's runChunk. */
export function plainStepConfig(loss: LossSpec, optimizer: Optimizer): StepConfig {
  return {
    loss: resolveLoss(loss),
    optimizer,
    regularization: undefined,
    clipGradNorm: undefined,
    clipGradValue: undefined,
  };
}

/** Trains `tree` (seeded) on `data` with one engine; returns the final weights and snapshot. */
export async function trainWith(
  engine: EngineName,
  tree: ReactNode,
  data: Dataset,
  options: RunOptions,
  net: { inputShape: number[]; seed?: number; backend?: BackendName } = { inputShape: [2] },
): Promise<EngineRun> {
  const model = await renderModel(tree, { inputShape: net.inputShape, seed: net.seed ?? 7, backend: net.backend });
  const trainer = createTrainer(model, { seed: 3, ...options, data, engine });
  try {
    const snapshot = await trainer.fit();
    if (snapshot.error) throw snapshot.error;
    const ws = model.model.weights;
    const weights = await Promise.all(ws.map(async (w) => new Float32Array(await w.read().data())));
    return { weights, names: ws.map((w) => w.originalName), snapshot };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** A run's record: the model's weights now (read synchronously) with their names, and the snapshot. */
export function runOf(model: tf.LayersModel, snapshot: TrainerSnapshot): EngineRun {
  const ws = model.weights;
  return {
    weights: ws.map((w) => Float32Array.from(w.read().dataSync())),
    names: ws.map((w) => w.originalName),
    snapshot,
  };
}

/**
 * Adam on moons in phases of 3 epochs (5 steps each), one engine per phase — switched by
 * `setOptions({ engine })` when `switches`, else tfjs throughout — recording
 * `trainer.optimizer.paramSteps()` after each phase.
 */
export async function trainInPhases(
  phases: readonly EngineName[],
  switches: boolean,
  backend?: BackendName,
): Promise<{ run: EngineRun; stepsSeen: Record<string, number>[] }> {
  const data = moons({ n: 100, noise: 0.2, seed: 5 });
  const net = await renderModel(mlp(1, 'sigmoid'), { inputShape: [2], seed: 5, backend });
  const t = createTrainer(net, {
    data,
    loss: 'bce',
    optimizer: { type: 'adam', lr: 0.02 },
    batchSize: 20,
    epochs: 0,
    seed: 5,
    engine: 'tfjs',
  });
  try {
    const stepsSeen: Record<string, number>[] = [];
    for (const [i, engine] of phases.entries()) {
      if (switches) t.setOptions({ engine });
      t.setOptions({ epochs: 3 * (i + 1) });
      const snap = await t.fit();
      if (snap.error) throw snap.error;
      if (snap.engine.name !== (switches ? engine : 'tfjs')) throw new Error(`phase ${i} ran on ${snap.engine.name}`);
      stepsSeen.push(t.optimizer.paramSteps());
    }
    return { run: runOf(net.model, t.getSnapshot()), stepsSeen };
  } finally {
    t.dispose();
    net.dispose();
    data.dispose();
  }
}

/**
 * Largest difference between two runs' weights (they must have the same layout): absolute for
 * weights up to 1 in size, relative above — float32 rounding noise grows with the weight.
 */
export function maxDiff(a: EngineRun, b: EngineRun): number {
  if (a.names.join() !== b.names.join()) throw new Error(`weight layouts differ: ${a.names} vs ${b.names}`);
  let m = 0;
  a.weights.forEach((w, i) => {
    const v = b.weights[i] as Float32Array;
    for (let j = 0; j < w.length; j++) {
      const x = w[j] as number;
      m = Math.max(m, Math.abs(x - (v[j] as number)) / Math.max(1, Math.abs(x)));
    }
  });
  return m;
}

/** How far the weights moved from their start: parity is only meaningful if training did something. */
export function maxWeight(a: EngineRun): number {
  return Math.max(...a.weights.map((w) => Math.max(...Array.from(w, Math.abs))));
}

/** A small seeded regression set: y = [sin(x0) + x1/2, x0·x1] + noise, n rows of 2 features. */
export function regression(n: number, outputs = 1, seed = 1): Dataset {
  const rng = createRng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = rng() * 4 - 2;
    const b = rng() * 4 - 2;
    x.push([a, b]);
    const row = [Math.sin(a) + b / 2 + (rng() - 0.5) * 0.1, a * b * 0.5];
    y.push(row.slice(0, outputs));
  }
  return fromArrays({ x, y, task: 'regression' });
}

export const tensorsNow = () => tf.memory().numTensors;
