// ONNX export: onnxruntime-node runs every exported model and matches react-nn's predict to 1e-5;
// onnx.checker (python3, onnx 1.12) accepts every file; layers without a mapping are named in the error.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import { selectBackend } from '../../runtime/backend';
import { exportONNX } from '../pytorch/onnx';
import { EXTRA, expectClose, MODELS, python, render, renderCustom, scrambleWeights, tempDir } from './pytorchHelpers';

const TOL = 1e-5;

/** NHWC → NCHW for image batches; other tensors unchanged. */
function toTorchLayout(t: tf.Tensor): { data: Float32Array; dims: number[] } {
  const moved = t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t;
  const out = { data: moved.dataSync() as Float32Array, dims: [...moved.shape] };
  if (moved !== t) moved.dispose();
  return out;
}

describe('exportONNX', () => {
  const tmp = tempDir();
  const written: string[] = [];
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(() => tmp.remove());

  const cases = [
    ...MODELS.map((m) => ({ label: m.name, m })),
    ...EXTRA.map((m, i) => ({ label: `extra ${i + 1} (${m.name})`, m })),
  ];
  for (const { label, m } of cases) {
    it(`${label}: onnxruntime gives react-nn's outputs to ${TOL}`, async () => {
      const start = tf.memory().numTensors;
      const net = await render(m);
      scrambleWeights(net);
      const bytes = await exportONNX(net);
      const path = join(tmp.dir, `${label.replace(/\W+/g, '_')}.onnx`);
      writeFileSync(path, bytes);
      written.push(path);
      const x = m.input();
      const expected = net.predict(x);
      const session = await ort.InferenceSession.create(bytes);
      const input = toTorchLayout(x);
      const result = await session.run({ input: new ort.Tensor('float32', input.data, input.dims) });
      const out = result.output as ort.Tensor;
      const want = toTorchLayout(expected);
      expect([...out.dims]).toEqual(want.dims);
      expectClose(out.data as Float32Array, want.data, TOL);
      await session.release();
      tf.dispose([x, expected]);
      net.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });
  }

  it('onnx.checker.check_model accepts every exported file (opset 17)', async () => {
    expect(written.length).toBe(cases.length);
    const out = await python('check_onnx.py', written);
    expect(out.trim().split('\n')).toHaveLength(written.length);
    expect(out).toContain('opset 17');
  });

  it('names every layer without an ONNX mapping, and exports nothing', async () => {
    const net = await renderCustom();
    const start = tf.memory().numTensors;
    const error = await exportONNX(net).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReactNNError);
    expect((error as Error).message).toContain(
      'no ONNX mapping for <SoftExponential> (Sequential > SoftExponential[0])',
    );
    expect(tf.memory().numTensors).toBe(start);
    net.dispose();
  });
});
