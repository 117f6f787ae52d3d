// Import parity against real PyTorch: state_dicts of models written and briefly trained in PyTorch
// (test/python/make_weights.py) load through loadStateDict, and react-nn then gives PyTorch's outputs.
// Bad input (another model's state_dict, a wrong shape, a non-safetensors file) is refused whole.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import { selectBackend } from '../../runtime/backend';
import { loadStateDict } from '../pytorch/loadStateDict';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from '../safetensors';
import { expectClose, MODELS, python, render, tempDir } from './pytorchHelpers';

const TOL = 1e-5;

function weightsOf(net: { model: tf.LayersModel }): Float32Array[] {
  return net.model.weights.map((w) => (w.read().dataSync() as Float32Array).slice());
}

async function refusal(p: Promise<unknown>): Promise<ReactNNError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ReactNNError);
    return e as ReactNNError;
  }
  throw new Error('expected a ReactNNError, but the load succeeded');
}

describe('loadStateDict: state_dicts trained in PyTorch', () => {
  const tmp = tempDir();
  beforeAll(async () => {
    await selectBackend('cpu');
    await python('make_weights.py', [tmp.dir]);
  });
  afterAll(() => tmp.remove());

  for (const m of MODELS) {
    it(`${m.name}: react-nn gives PyTorch's outputs to ${TOL}`, async () => {
      const start = tf.memory().numTensors;
      const net = await render(m);
      const report = await loadStateDict(net, join(tmp.dir, `${m.name}.safetensors`));
      expect(report.missingKeys).toEqual([]);
      expect(report.unexpectedKeys).toEqual([]);
      const io = decodeSafetensors(readFileSync(join(tmp.dir, `${m.name}_io.safetensors`))).tensors;
      const x = tf.tensor(io.x?.data as Float32Array, io.x?.shape);
      const y = net.predict(x);
      expect(y.shape).toEqual(io.y?.shape);
      expectClose(y.dataSync(), io.y?.data as Float32Array, TOL);
      tf.dispose([x, y]);
      net.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });
  }

  it("refuses another model's state_dict, listing missing and unexpected keys; the model is untouched", async () => {
    const net = await render(MODELS[0] as (typeof MODELS)[0]);
    const start = tf.memory().numTensors;
    const before = weightsOf(net);
    const e = await refusal(loadStateDict(net, join(tmp.dir, 'lstm.safetensors')));
    expect(e.message).toContain('missing key(s) in the file: "0.weight"');
    expect(e.message).toContain('unexpected key(s) in the file:');
    expect(e.message).toContain('"rnn.weight_ih_l0"');
    expect(e.message).toContain('strict: false');
    expect(weightsOf(net)).toEqual(before);
    expect(tf.memory().numTensors).toBe(start);
    net.dispose();
  });

  it('refuses a wrong shape even with strict: false, naming the key, both shapes and the layer', async () => {
    const net = await render(MODELS[0] as (typeof MODELS)[0]);
    const start = tf.memory().numTensors;
    const before = weightsOf(net);
    const file = decodeSafetensors(readFileSync(join(tmp.dir, 'mlp.safetensors'))).tensors;
    const bad: Record<string, SafeTensor> = {
      ...file,
      '2.weight': { dtype: 'F32', shape: [8, 5], data: new Float32Array(40) },
    };
    const e = await refusal(loadStateDict(net, encodeSafetensors(bad), { strict: false }));
    expect(e.message).toContain('size mismatch for 2.weight: the file has shape [8, 5]');
    expect(e.message).toContain('Sequential > Linear[1] needs [8, 8]');
    // Nothing was half-loaded: the keys that did match (0.weight …) were not copied either.
    expect(weightsOf(net)).toEqual(before);
    expect(tf.memory().numTensors).toBe(start);
    net.dispose();
  });

  it('refuses a file that is not safetensors, before touching the model', async () => {
    const net = await render(MODELS[0] as (typeof MODELS)[0]);
    const start = tf.memory().numTensors;
    const before = weightsOf(net);
    const path = join(tmp.dir, 'model.pt');
    // What torch.save writes: a zip archive, not safetensors.
    writeFileSync(path, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    const e = await refusal(loadStateDict(net, path));
    expect(e.message).toMatch(/safetensors/);
    const e2 = await refusal(loadStateDict(net, new Uint8Array([1, 2, 3])));
    expect(e2.message).toContain('8-byte header length');
    expect(weightsOf(net)).toEqual(before);
    expect(tf.memory().numTensors).toBe(start);
    net.dispose();
  });

  it('strict: false loads the keys that match and reports the rest', async () => {
    const net = await render(MODELS[0] as (typeof MODELS)[0]);
    const file = decodeSafetensors(readFileSync(join(tmp.dir, 'mlp.safetensors'))).tensors;
    const { '4.weight': _w, '4.bias': _b, ...partial } = file;
    const extra: Record<string, SafeTensor> = {
      ...partial,
      'head.scale': { dtype: 'F32', shape: [1], data: new Float32Array([2]) },
    };
    const report = await loadStateDict(net, new Blob([encodeSafetensors(extra) as BlobPart]), { strict: false });
    expect(report.loadedKeys.sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    expect(report.missingKeys.sort()).toEqual(['4.bias', '4.weight']);
    expect(report.unexpectedKeys).toEqual(['head.scale']);
    // 0.weight is PyTorch's [out, in]; tfjs holds its transpose.
    const kernel = net.model.getLayer('Sequential/Linear_0').getWeights()[0] as tf.Tensor;
    const w = file['0.weight'] as SafeTensor;
    expect(Array.from(tf.tidy(() => kernel.transpose().dataSync()))).toEqual(Array.from(w.data as Float32Array));
    net.dispose();
  });
});
