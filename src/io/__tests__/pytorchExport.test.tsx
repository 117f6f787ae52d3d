// Export parity against real PyTorch: model.py + weights.safetensors, loaded by PyTorch itself
// (test/python/run_model.py, strict load_state_dict, eval mode), give react-nn's predictions to 1e-5.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../runtime/backend';
import { exportPyTorch } from '../pytorch/exportPyTorch';
import { writeFolder } from '../pytorch/files';
import { decodeSafetensors, encodeSafetensors } from '../safetensors';
import { expectClose, MODELS, python, render, scrambleWeights, tempDir } from './pytorchHelpers';

const TOL = 1e-5;

describe('exportPyTorch: PyTorch runs the exported model and matches predict', () => {
  const tmp = tempDir();
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(() => tmp.remove());

  for (const m of MODELS) {
    it(`${m.name}: same outputs in PyTorch to ${TOL}`, async () => {
      const start = tf.memory().numTensors;
      const net = await render(m);
      scrambleWeights(net);
      const x = m.input();
      const expected = net.predict(x);
      const files = await exportPyTorch(net);
      expect(Object.keys(files).sort()).toEqual(['README.md', 'model.py', 'weights.safetensors']);
      const dir = join(tmp.dir, m.name);
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
