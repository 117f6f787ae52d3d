// Export parity against real PyTorch: model.py + weights.safetensors, loaded by PyTorch itself
// (test/python/run_model.py, strict load_state_dict, eval mode), give react-nn's predictions to 1e-5.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Linear, Sequential } from '../../layers/index';
import { renderModel } from '../../react/renderModel';
import { selectBackend } from '../../runtime/backend';
import { exportPyTorch } from '../pytorch/exportPyTorch';
import { writeFolder } from '../pytorch/files';
import { decodeSafetensors, encodeSafetensors } from '../safetensors';
import { EXTRA, expectClose, MODELS, python, render, renderCustom, scrambleWeights, tempDir } from './pytorchHelpers';

const TOL = 1e-5;

describe('exportPyTorch: PyTorch runs the exported model and matches predict', () => {
  const tmp = tempDir();
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(() => tmp.remove());

  const cases = [
    ...MODELS.map((m) => ({ label: m.name, m })),
    ...EXTRA.map((m, i) => ({ label: `extra ${i + 1}`, m })),
  ];
  for (const { label, m } of cases) {
    it(`${label}: same outputs in PyTorch to ${TOL}`, async () => {
      const start = tf.memory().numTensors;
      const net = await render(m);
      scrambleWeights(net);
      const x = m.input();
      const expected = net.predict(x);
      const files = await exportPyTorch(net);
      expect(Object.keys(files).sort()).toEqual(['README.md', 'model.py', 'weights.safetensors']);
      const dir = join(tmp.dir, label.replace(/\W+/g, '_'));
      await writeFolder(files, dir);
      await writeFolder(
        {
          'input.safetensors': encodeSafetensors({
            x: { dtype: 'F32', shape: [...x.shape], data: x.dataSync() as Float32Array },
          }),
        },
        dir,
      );
      const stdout = await python('run_model.py', [dir]);
      const keys = JSON.parse(stdout.trim().replace(/'/g, '"')) as string[];
      // PyTorch's own state_dict has exactly the exported keys (load_state_dict was strict too).
      expect(keys).toEqual(Object.keys(decodeSafetensors(files['weights.safetensors'] as Uint8Array).tensors).sort());
      const out = decodeSafetensors(readFileSync(join(dir, 'output.safetensors'))).tensors.y;
      expect(out?.shape).toEqual(expected.shape);
      expectClose(out?.data as Float32Array, expected.dataSync(), TOL);
      tf.dispose([x, expected]);
      net.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });
  }
});

describe('exportPyTorch: what cannot be translated', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('a custom defineLayer layer becomes a marked stub: its weights load, its forward says what to write', async () => {
    const net = await renderCustom();
    const start = tf.memory().numTensors;
    const files = await exportPyTorch(net);
    const code = files['model.py'] as string;
    expect(code).toContain('# TODO: <SoftExponential> is a custom react-nn layer (defineLayer)');
    expect(code).toContain('class SoftExponential(nn.Module):');
    const keys = Object.keys(decodeSafetensors(files['weights.safetensors'] as Uint8Array).tensors);
    expect(keys.filter((k) => k.startsWith('1.'))).not.toEqual([]);
    const dir = join(tmp.dir, 'custom');
    await writeFolder(files, dir);
    await writeFolder(
      { 'input.safetensors': encodeSafetensors({ x: { dtype: 'F32', shape: [1, 3], data: new Float32Array(3) } }) },
      dir,
    );
    // PyTorch loads every weight (strict), then the stub's forward refuses to guess.
    await expect(python('run_model.py', [dir])).rejects.toThrow(/NotImplementedError: fill in SoftExponential.forward/);
    expect(tf.memory().numTensors).toBe(start);
    net.dispose();
  });

  it('refuses bad sources and options with a ReactNNError naming the API', async () => {
    await expect(exportPyTorch({} as never)).rejects.toThrow(/exportPyTorch: expected a model/);
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={1} />
      </Sequential>,
      { inputShape: [2], backend: 'cpu', seed: 1 },
    );
    await expect(exportPyTorch(net, { data: true })).rejects.toThrow(/exports the training data of a Trainer/);
    await expect(exportPyTorch(net, { zip: true } as never)).rejects.toThrow(/unknown option "zip"/);
    net.dispose();
  });
});
