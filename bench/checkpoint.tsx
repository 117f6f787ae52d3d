// Saving and loading a trained model: react-nn's `.rnn` checkpoints against what a tfjs user does instead —
// `model.save(tf.io.withSaveHandler(…))` (topology JSON + one weight buffer) and
// `tf.loadLayersModel(tf.io.fromMemory(…))`. Both sides in memory, same model, same backend, interleaved rounds.
import * as tf from '@tensorflow/tfjs';
import type { ReactElement } from 'react';
import {
  createTrainer,
  fromArrays,
  Linear,
  loadCheckpoint,
  ReLU,
  renderModel,
  Sequential,
  saveCheckpoint,
  type Trainer,
} from '../src/index';
import { createRng } from '../src/random';
import { log, median, now } from './measure';
import { cnn } from './models';

export interface CheckpointCase {
  name: string;
  params: number;
  /** Whether the react-nn file holds a trainer's state (Adam: two slots per weight, step counts, history). */
  withTrainerState: boolean;
  rounds: number;
  /** Median ms: saveCheckpoint → bytes, and model.save to memory. */
  saveMs: number;
  handSaveMs: number;
  /** Median ms: loadCheckpoint + renderModel with the checkpoint, and tf.loadLayersModel from memory. */
  loadMs: number;
  handLoadMs: number;
  /** Bytes of the .rnn file, and of the tfjs artifacts (topology JSON + weight data). */
  bytes: number;
  handBytes: number;
}

/** MNIST's 784-128-10 MLP. */
const mnistMlp = (
  <Sequential>
    <Linear outFeatures={128} />
    <ReLU />
    <Linear outFeatures={10} />
  </Sequential>
);

/** About a million parameters: 784-1024-256-10. */
const millionMlp = (
  <Sequential>
    <Linear outFeatures={1024} />
    <ReLU />
    <Linear outFeatures={256} />
    <ReLU />
    <Linear outFeatures={10} />
  </Sequential>
);

const CASES: { name: string; element: ReactElement; inputShape: number[]; trainer: boolean }[] = [
  { name: 'MNIST MLP 784-128-10', element: mnistMlp, inputShape: [784], trainer: true },
  { name: 'course CNN (Conv2d 8 k3 · MaxPool · Linear 10)', element: cnn(), inputShape: [28, 28, 1], trainer: true },
  { name: '1M parameters (784-1024-256-10)', element: millionMlp, inputShape: [784], trainer: false },
];

/**
 * A real trainer state: Adam (two slots per weight, a step count each) after one epoch of 64
 * random examples with 10 classes — what `saveCheckpoint(trainer)` writes after a pause.
 */
async function trainedAdam(net: Awaited<ReturnType<typeof renderModel>>, inputShape: number[]): Promise<Trainer> {
  const rows = 64;
  const size = inputShape.reduce((a, b) => a * b, 1);
  const rng = createRng(1);
  const data = fromArrays({
    x: { data: Float32Array.from({ length: rows * size }, rng), shape: [rows, ...inputShape] },
    y: Int32Array.from({ length: rows }, (_, i) => i % 10),
    numClasses: 10,
  });
  const trainer = createTrainer(net, {
    data,
    loss: 'crossEntropy',
    optimizer: { type: 'adam', lr: 1e-3 },
    batchSize: 32,
    epochs: 1,
    seed: 1,
    engine: 'tfjs',
  });
  await trainer.fit();
  const dispose = trainer.dispose.bind(trainer);
  trainer.dispose = () => {
    dispose();
    data.dispose();
  };
  return trainer;
}

export async function benchCheckpoint(rounds: number): Promise<CheckpointCase[]> {
  const out: CheckpointCase[] = [];
  for (const c of CASES) {
    log(`checkpoint: ${c.name}, ${rounds} rounds of save and load (react-nn vs tfjs in memory)`);
    const net = await renderModel(c.element, { inputShape: c.inputShape, seed: 1 });
    const trainer = c.trainer ? await trainedAdam(net, c.inputShape) : null;
    const source = trainer ?? net;
    const save: number[] = [];
    const handSave: number[] = [];
    const load: number[] = [];
    const handLoad: number[] = [];
    let bytes = new Uint8Array(0);
    let artifacts: tf.io.ModelArtifacts | null = null;
    // One untimed round first (JIT, first-use allocations), then interleaved timed rounds.
    for (let r = 0; r <= rounds; r++) {
      let t = now();
      bytes = await saveCheckpoint(source);
      const s1 = now() - t;
      t = now();
      await net.model.save(
        tf.io.withSaveHandler(async (a) => {
          artifacts = a;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const s2 = now() - t;
      t = now();
      const cp = await loadCheckpoint(bytes);
      const copy = await renderModel(cp.element, { checkpoint: cp });
      const l1 = now() - t;
      copy.dispose();
      t = now();
      const hand = await tf.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
      const l2 = now() - t;
      hand.dispose();
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (r === 0) continue;
      save.push(s1);
      handSave.push(s2);
      load.push(l1);
      handLoad.push(l2);
    }
    const a = artifacts as unknown as tf.io.ModelArtifacts;
    const weightBytes = a.weightData instanceof ArrayBuffer ? a.weightData.byteLength : 0;
    out.push({
      name: c.name,
      params: net.summary().totalParams,
      withTrainerState: trainer !== null,
      rounds,
      saveMs: median(save),
      handSaveMs: median(handSave),
      loadMs: median(load),
      handLoadMs: median(handLoad),
      bytes: bytes.length,
      handBytes: weightBytes + JSON.stringify(a.modelTopology).length + JSON.stringify(a.weightSpecs).length,
    });
    trainer?.dispose();
    net.dispose();
  }
  return out;
}
