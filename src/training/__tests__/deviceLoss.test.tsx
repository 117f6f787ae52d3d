// A WebGPU device lost during fused-webgpu training, in Node (Dawn on SwiftShader, as in
// engines/__tests__/webgpu.test.tsx): training goes on on fused-cpu from the weights and the
// optimizer state read back together at the last chunk's end, so the run ends where a run that
// never lost its device ends.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { create, globals } from 'webgpu';
import { moons } from '../../data/generators';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { fusedGpuBufferCount } from '../engines/fused/webgpu';
import type { OptimizerConfig } from '../optimizers';
import { createTrainer, type EngineName } from '../trainer';

/** Every device the fused engine asks for, so the test can destroy it. */
const devices: GPUDevice[] = [];

beforeAll(() => {
  Object.assign(globalThis, globals);
  const gpu = create([]);
  // navigator.gpu, with the adapter's requestDevice recording the devices it gives.
  const recording = {
    requestAdapter: async (options?: GPURequestAdapterOptions) => {
      const adapter = await gpu.requestAdapter(options);
      if (!adapter) return adapter;
      return new Proxy(adapter, {
        get(target, key) {
          if (key === 'requestDevice') {
            return async (descriptor?: GPUDeviceDescriptor) => {
              const device = await target.requestDevice(descriptor);
              devices.push(device);
              return device;
            };
          }
          const value = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu: recording, userAgent: 'node' },
    configurable: true,
    writable: true,
  });
});

const EPOCHS = 12;
const STEPS = EPOCHS * 8; // 80 rows, batches of 10

/** Trains a small MLP for EPOCHS epochs on `engine`; with `loseAt`, destroys the GPU device at that epoch's end. */
async function train(engine: EngineName, optimizer: OptimizerConfig, loseAt?: number) {
  const data = moons({ n: 80, noise: 0.2, seed: 3 });
  const net = await renderModel(
    <Sequential>
      <Linear outFeatures={8} />
      <ReLU />
      <Linear outFeatures={1} />
      <Sigmoid />
    </Sequential>,
    { inputShape: [2], seed: 1, backend: 'cpu' },
  );
  const trainer = createTrainer(net, {
    data,
    loss: 'bce',
    optimizer,
    batchSize: 10,
    epochs: EPOCHS,
    seed: 1,
    engine,
    onEpochEnd: (epoch) => {
      if (epoch === loseAt) for (const d of devices.splice(0)) d.destroy();
    },
  });
  try {
    const snap = await trainer.fit();
    const state = await trainer.exportState();
    const weights = net.model.getWeights().map((w) => Array.from(w.dataSync()));
    return { snap, state, weights };
  } finally {
    trainer.dispose();
    net.dispose();
    data.dispose();
  }
}

const maxDiff = (a: number[][], b: number[][]) =>
  Math.max(...a.flatMap((w, i) => w.map((v, j) => Math.abs(v - (b[i]?.[j] ?? Number.NaN)))));

describe('a lost WebGPU device during fused-webgpu training', () => {
  it.each([
    ['adam', { type: 'adam', lr: 0.02 }],
    ['sgd with momentum', { type: 'sgd', lr: 0.1, momentum: 0.9 }],
  ] as const)(
    '%s: the optimizer state goes over to fused-cpu with the weights; the run ends as one without the loss',
    async (_name, optimizer) => {
      const tensors = tf.memory().numTensors;
      const buffers = fusedGpuBufferCount();
      const reference = await train('fused-cpu', optimizer);
      const lost = await train('fused-webgpu', optimizer, 4);

      expect(lost.snap.error).toBeNull();
      expect(lost.snap.status).toBe('done');
      expect(lost.snap.step).toBe(STEPS);
      expect(lost.snap.engine.name).toBe('fused-cpu');
      expect(lost.snap.engine.reason).toMatch(/^fused-webgpu stopped: the WebGPU device was lost/);
      // The step counts went on from the GPU's (a fresh optimizer would count only the steps after the loss).
      const params = lost.state.json.optimizer.params;
      expect(params.map((p) => p.key)).toEqual(reference.state.json.optimizer.params.map((p) => p.key));
      expect(params.length).toBe(4);
      for (const p of params) expect(p.step).toBe(STEPS);
      // Weights and slots as if nothing happened: fused-webgpu and fused-cpu agree to float32 rounding
      // (|Δ| < 1e-5 after 500 steps in webgpu.test.tsx); 1e-4 here. Restarting the moments moves weights by ~lr.
      expect(maxDiff(lost.weights, reference.weights)).toBeLessThan(1e-4);
      const slotNames = Object.keys(reference.state.tensors).filter((k) => k.startsWith('optimizer/'));
      expect(slotNames.length).toBe(optimizer.type === 'adam' ? 8 : 4);
      expect(Object.keys(lost.state.tensors).filter((k) => k.startsWith('optimizer/'))).toEqual(slotNames);
      const slots = (s: typeof lost.state) => slotNames.map((k) => Array.from(s.tensors[k]?.data ?? []));
      expect(maxDiff(slots(lost.state), slots(reference.state))).toBeLessThan(1e-4);

      expect(fusedGpuBufferCount()).toBe(buffers);
      expect(tf.memory().numTensors).toBe(tensors);
    },
  );
});
