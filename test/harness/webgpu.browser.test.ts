// Smoke test of the `browser` project: Chromium runs WebGPU on SwiftShader and tfjs' webgpu backend works there.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { afterAll, describe, expect, it } from 'vitest';

const A = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9.5],
];
const B = [
  [0.5, -1, 2],
  [3, 0.25, -2],
  [-1.5, 4, 1],
];

async function matMulOn(backend: string): Promise<number[]> {
  expect(await tf.setBackend(backend)).toBe(true);
  await tf.ready();
  expect(tf.getBackend()).toBe(backend);
  const a = tf.tensor2d(A);
  const b = tf.tensor2d(B);
  const c = tf.matMul(a, b);
  const out = Array.from(await c.data());
  tf.dispose([a, b, c]);
  return out;
}

describe('browser harness', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('has a WebGPU adapter, and it is the SwiftShader fallback adapter', async () => {
    expect(navigator.gpu, 'navigator.gpu is missing: is Chromium started with --enable-unsafe-webgpu?').toBeDefined();
    const adapter = await navigator.gpu.requestAdapter();
    expect(adapter, 'requestAdapter() returned null: is libvulkan1 installed?').not.toBeNull();
    expect(adapter!.info.isFallbackAdapter).toBe(true);
  });

  it("runs a 3x3 matMul on tfjs' webgpu backend with the CPU backend's result", async () => {
    expect(tf.engine().registryFactory.webgpu, 'the webgpu backend did not register').toBeDefined();
    const cpu = await matMulOn('cpu');
    const gpu = await matMulOn('webgpu');
    expect(gpu).toHaveLength(9);
    for (let i = 0; i < 9; i++) expect(Math.abs(gpu[i]! - cpu[i]!)).toBeLessThan(1e-4);
  });
});
