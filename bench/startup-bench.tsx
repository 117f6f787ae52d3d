// Start-up of a short run: a fresh react-nn trainer training TF Playground's default net (2-4-2-1 tanh, batch 10,
// SGD 0.03, squared error, 250 circle points) for 50,000 examples (200 epochs), against TF Playground's own
// nn.ts doing the same from a freshly built network. What a user feels after pressing play, and what the
// sustained rows of fused-bench.tsx hide: the fresh trainer's plan, code generation, compilation and — in a
// browser — the Worker it trains in. Shared by the Node half and the Chromium page of bench/fused.mjs.
import * as nn from 'tf-playground-nn';
import { createTrainer, type Dataset, datasets, fromArrays, Linear, Sequential, Tanh } from '../src/core';
import { renderModel } from '../src/react/renderModel';
import type { FusedRow } from './fused-bench';
import { log, median, now, quiesce, settle } from './measure';

export const STARTUP_CASE = 'startup-2-4-2-1';
const EXAMPLES = 50_000;
const ROWS = 250;
const BATCH = 10;
const LR = 0.03;
export const FRESH_TRAINER = 'react-nn auto, fresh trainer';
export const FRESH_NN = 'TF Playground nn.ts, fresh network';

async function circles(): Promise<Dataset> {
  const d = datasets.circles({ n: ROWS, noise: 0.1, seed: 1 });
  const y = Array.from(await d.y.data(), (v) => 2 * v - 1);
  const ds = fromArrays({ x: { data: await d.x.data(), shape: [ROWS, 2] }, y, task: 'regression' });
  d.dispose();
  return ds;
}

/**
 * One short run of react-nn: a new trainer (engine 'auto') on an already built net — the Playground page's model
 * exists before play is pressed — trained for EXAMPLES examples, disposed. Timed from createTrainer to the
 * weights synced back. Resolves with [seconds, what auto chose].
 */
async function freshTrainer(data: Dataset): Promise<[number, string]> {
  const net = await renderModel(
    <Sequential>
      <Linear outFeatures={4} />
      <Tanh />
      <Linear outFeatures={2} />
      <Tanh />
      <Linear outFeatures={1} />
      <Tanh />
    </Sequential>,
    { inputShape: [2], seed: 1 },
  );
  try {
    const t0 = now();
    const trainer = createTrainer(net, {
      data,
      loss: 'mse',
      optimizer: { type: 'sgd', lr: LR },
      batchSize: BATCH,
      epochs: EXAMPLES / ROWS,
      seed: 1,
    });
    const snap = await trainer.fit();
    await settle(net.model);
    const seconds = (now() - t0) / 1000;
    trainer.dispose();
    if (snap.status !== 'done') throw new Error(`fresh trainer: ${snap.status} ${snap.error}`);
    return [seconds, `${snap.engine.name}: ${snap.engine.reason}`];
  } finally {
    net.dispose();
  }
}

/** The same short run with TF Playground's nn.ts, as its app's oneStep() trains (see playgroundContender). */
async function freshNn(data: Dataset): Promise<number> {
  const xs = await data.x.data();
  const ys = await data.y.data();
  const points = Array.from({ length: ROWS }, (_v, i) => ({
    x: xs[2 * i] as number,
    y: xs[2 * i + 1] as number,
    label: ys[i] as number,
  }));
  const t0 = now();
  const network = nn.buildNetwork([2, 4, 2, 1], nn.Activations.TANH, nn.Activations.TANH, null, ['x', 'y']);
  for (let e = 0; e < EXAMPLES / ROWS; e++) {
    points.forEach((p, i) => {
      nn.forwardProp(network, [p.x, p.y]);
      nn.backProp(network, p.label, nn.Errors.SQUARE);
      if ((i + 1) % BATCH === 0) nn.updateWeights(network, LR, 0);
    });
  }
  return (now() - t0) / 1000;
}

/**
 * The first fresh trainer of the process (nothing compiled, no Worker yet) measured on its own first, then
 * `rounds` interleaved rounds of both sides (the order rotating) — a new trainer on an architecture trained
 * before, which is what the kernel cache and the Worker pool are for.
 */
export async function benchStartup(backend: string, rounds: number): Promise<FusedRow> {
  const data = await circles();
  const row: FusedRow = {
    case: STARTUP_CASE,
    detail: `fresh trainer, ${EXAMPLES.toLocaleString('en-US')} examples: 2-4-2-1 tanh, batch 10, SGD 0.03, 250 points`,
    backend,
    examplesPerSecond: {},
    rounds: { [FRESH_TRAINER]: [], [FRESH_NN]: [] },
    notes: {},
    intervals: { [FRESH_TRAINER]: [], [FRESH_NN]: [] },
  };
  try {
    const [coldSeconds, engine] = await freshTrainer(data);
    const cold = EXAMPLES / coldSeconds;
    log(`${backend}: ${STARTUP_CASE} — the process's first fresh trainer: ${Math.round(cold)} examples/s (${engine})`);
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 ? [FRESH_NN, FRESH_TRAINER] : [FRESH_TRAINER, FRESH_NN]) {
        await quiesce();
        const from = now();
        const seconds = side === FRESH_NN ? await freshNn(data) : (await freshTrainer(data))[0];
        row.rounds[side]?.push(EXAMPLES / seconds);
        row.intervals[side]?.push([from, now()]);
      }
    }
    for (const side of [FRESH_TRAINER, FRESH_NN]) {
      row.examplesPerSecond[side] = median(row.rounds[side] as number[]);
      log(`${backend}: ${STARTUP_CASE} — ${side}: ${Math.round(row.examplesPerSecond[side] as number)} examples/s`);
    }
    row.notes[FRESH_TRAINER] = `${engine}; the process's first fresh trainer: ${Math.round(cold)} examples/s`;
    row.notes[FRESH_NN] = 'buildNetwork + 200 epochs of oneStep()';
  } finally {
    data.dispose();
  }
  return row;
}
