// Training parity against real PyTorch: the exported train.py, started from the exported weights,
// ends with the weights react-nn's own training (tfjs engine, cpu) reaches — house prices with Adam,
// moons with SGD + momentum, full batch. Scale-out: the same script as two DistributedDataParallel
// processes (gloo) ends with the weights of one process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '../../data/index';
import { Linear, ReLU, Sequential } from '../../layers/index';
import { type RenderedModel, renderModel } from '../../react/renderModel';
import { selectBackend } from '../../runtime/backend';
import { earlyStopping, lrSchedule } from '../../training/callbacks';
import { stepLR } from '../../training/schedules';
import { createTrainer } from '../../training/trainer';
import { exportPyTorch } from '../pytorch/exportPyTorch';
import { writeFolder } from '../pytorch/files';
import { stateDictOf } from '../pytorch/stateDict';
import { decodeSafetensors } from '../safetensors';
import { expectClose, python, tempDir } from './pytorchHelpers';

const TOL = 1e-5;

function trainedIn(dir: string, file = 'trained.safetensors'): Record<string, Float32Array> {
  const t = decodeSafetensors(readFileSync(join(dir, file))).tensors;
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.data as Float32Array]));
}

/** The moons classifier, 2 → 8 → ReLU → 1 (logits). */
function renderMoonsMlp(seed: number) {
  return renderModel(
    <Sequential>
      <Linear outFeatures={8} />
      <ReLU />
      <Linear outFeatures={1} />
    </Sequential>,
    { inputShape: [2], backend: 'cpu', seed },
  );
}

/** react-nn's trained weights in PyTorch's names and layouts. */
function ourStateDict(net: RenderedModel): Record<string, Float32Array> {
  const t = stateDictOf(net.net.graph!, net.model, 'test').tensors;
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.data as Float32Array]));
}

describe('train.py trains as react-nn does', () => {
  const tmp = tempDir();
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(() => tmp.remove());

  it('house prices: Linear(1, 1), Adam 0.01, 100 full-batch epochs — same final weights to 1e-5', async () => {
    const start = tf.memory().numTensors;
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={1} />
      </Sequential>,
      { inputShape: [1], backend: 'cpu', seed: 3 },
    );
    const data = datasets.housePrices();
    const trainer = createTrainer(net, {
      data,
      loss: 'mse',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 'full',
      epochs: 100,
      seed: 5,
      engine: 'tfjs',
    });
    const files = await exportPyTorch(trainer, { data: true });
    expect(files['train.py']).toContain('torch.optim.Adam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-8');
    expect(files['train.py']).toContain('LOSS = nn.MSELoss()');
    const dir = join(tmp.dir, 'house');
    await writeFolder(files, dir);
    const snapshot = await trainer.fit();
    expect(snapshot.epoch).toBe(100);
    const out = await python('train.py', [dir]);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(100);
    // PyTorch's epoch losses are react-nn's too (loss before each step, full batch).
    const torchLosses = lines.map((l) => JSON.parse(l).loss as number);
    expectClose(torchLosses, snapshot.history.loss, 1e-4 * Math.max(...snapshot.history.loss));
    const ours = ourStateDict(net);
    const theirs = trainedIn(dir);
    expect(Object.keys(theirs).sort()).toEqual(Object.keys(ours).sort());
    for (const k of Object.keys(ours)) expectClose(theirs[k]!, ours[k]!, TOL);
    // Training moved the weights well beyond the tolerance: the match is not two untouched copies.
    expect(Math.abs(theirs['0.bias']![0]! - trainedIn(dir, 'weights.safetensors')['0.bias']![0]!)).toBeGreaterThan(0.5);
    trainer.dispose();
    data.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('moons MLP: SGD with momentum, 50 full-batch epochs — same weights; two DDP processes (gloo) agree with one', async () => {
    const start = tf.memory().numTensors;
    const net = await renderMoonsMlp(4);
    const data = datasets.moons({ n: 200, noise: 0.2, seed: 1 });
    const trainer = createTrainer(net, {
      data,
      validationSplit: 0.2,
      loss: 'bceWithLogits',
      optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
      batchSize: 'full',
      epochs: 50,
      seed: 2,
      engine: 'tfjs',
    });
    const files = await exportPyTorch(trainer, { data: true });
    expect(files['train.py']).toContain('torch.optim.SGD(params, lr=0.1, momentum=0.9');
    const data0 = decodeSafetensors(files['data.safetensors'] as Uint8Array).tensors;
    expect(data0.x_train?.shape).toEqual([160, 2]);
    expect(data0.x_val?.shape).toEqual([40, 2]);
    const one = join(tmp.dir, 'moons1');
    const two = join(tmp.dir, 'moons2');
    await writeFolder(files, one);
    await writeFolder(files, two);
    const snapshot = await trainer.fit();
    expect(snapshot.epoch).toBe(50);
    const [single, ddp] = await Promise.all([
      python('train.py', [one]),
      python('ddp.py', [two, '2', String(29_500 + (process.pid % 500))]),
    ]);
    const logs = single
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(logs).toHaveLength(50);
    expect(logs[49]).toHaveProperty('val_loss');
    expect(logs[49]).toHaveProperty('accuracy');
    expectClose(
      logs.map((l) => l.val_loss as number),
      snapshot.history.val_loss as number[],
      1e-4,
    );
    const ours = ourStateDict(net);
    const alone = trainedIn(one);
    const distributed = trainedIn(two);
    for (const k of Object.keys(ours)) {
      expectClose(alone[k]!, ours[k]!, TOL);
      expectClose(distributed[k]!, alone[k]!, TOL);
    }
    expect(ddp.trim().split('\n')).toHaveLength(50);
    const initial = trainedIn(one, 'weights.safetensors');
    expect(Math.max(...alone['2.weight']!.map((v, i) => Math.abs(v - initial['2.weight']![i]!)))).toBeGreaterThan(0.1);
    trainer.dispose();
    data.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('early stopping (restoring the best weights) and a step LR schedule: same stopping epoch and weights', async () => {
    const start = tf.memory().numTensors;
    const net = await renderMoonsMlp(6);
    const data = datasets.moons({ n: 200, noise: 0.3, seed: 3 });
    const trainer = createTrainer(net, {
      data,
      validationSplit: 0.2,
      loss: 'bceWithLogits',
      optimizer: { type: 'adam', lr: 0.05 },
      batchSize: 'full',
      epochs: 150,
      seed: 2,
      engine: 'tfjs',
      callbacks: [
        earlyStopping({ monitor: 'val_loss', patience: 4, minDelta: 0.002, restoreBestWeights: true }),
        lrSchedule(stepLR({ stepSize: 10, gamma: 0.7 })),
      ],
    });
    const files = await exportPyTorch(trainer, { data: true });
    const dir = join(tmp.dir, 'stopping');
    await writeFolder(files, dir);
    const snapshot = await trainer.fit();
    // The run stops early in react-nn: the test is about that case.
    expect(snapshot.epoch).toBeLessThan(150);
    const out = await python('train.py', [dir]);
    const lines = out.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^early stopping: val_loss did not improve for 4 epochs/);
    expect(lines.length - 1).toBe(snapshot.epoch);
    const ours = ourStateDict(net);
    const theirs = trainedIn(dir);
    for (const k of Object.keys(ours)) expectClose(theirs[k]!, ours[k]!, TOL);
    trainer.dispose();
    data.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
