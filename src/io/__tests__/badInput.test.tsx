// Bad input loses nothing: every way a checkpoint can be wrong is a ReactNNError saying what is
// wrong, the running model keeps its weights, and no tensor is left behind.
import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import { ReLU } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { defineLayer } from '../../layers/define';
import { prop } from '../../layers/props';
import { type RenderedModel, renderModel } from '../../react/renderModel';
import { loadCheckpoint, restoreCheckpoint, saveCheckpoint } from '../checkpoint';
import { readNetWeights } from '../netWeights';
import { encodeSafetensors } from '../safetensors';

const mlp = (hidden: number, out = 1) => (
  <Sequential>
    <Linear outFeatures={hidden} />
    <ReLU />
    <Linear outFeatures={out} />
  </Sequential>
);

let start = 0;
let running: RenderedModel;
let runningWeights: number[][];
let bytes: Uint8Array<ArrayBuffer>;

const valuesOf = (m: RenderedModel) => readNetWeights(m.net).map((w) => Array.from(w.variable.read().dataSync()));

beforeEach(async () => {
  start = tf.memory().numTensors;
  running = await renderModel(mlp(4), { inputShape: [3], seed: 1 });
  runningWeights = valuesOf(running);
  bytes = await saveCheckpoint(running);
});
afterEach(async () => {
  // The model that was running when the bad input came is exactly as it was.
  expect(valuesOf(running)).toEqual(runningWeights);
  running.dispose();
  await new Promise((r) => setTimeout(r, 0));
  expect(tf.memory().numTensors).toBe(start);
});

async function rejection(p: Promise<unknown>): Promise<ReactNNError> {
  const e = await p.then(
    () => null,
    (err) => err,
  );
  expect(e, 'expected a ReactNNError').toBeInstanceOf(ReactNNError);
  return e as ReactNNError;
}

/** The checkpoint with one of its files replaced. */
function withFile(name: string, data: Uint8Array | ((old: Uint8Array) => Uint8Array)): Uint8Array {
  const files = unzipSync(bytes);
  files[name] = (typeof data === 'function' ? data(files[name] as Uint8Array) : data) as Uint8Array<ArrayBuffer>;
  return zipSync(files);
}

describe('loading into a different architecture (load_state_dict semantics)', () => {
  it('strict: lists missing, unexpected and shape-mismatched names, and writes nothing', async () => {
    const cp = await loadCheckpoint(bytes);
    const other = await renderModel(
      <Sequential>
        <Linear outFeatures={5} />
        <ReLU />
        <Linear outFeatures={1} />
        <Linear outFeatures={2} />
      </Sequential>,
      { inputShape: [3], seed: 2 },
    );
    const before = valuesOf(other);
    const err = (() => {
      try {
        restoreCheckpoint(other, cp);
      } catch (e) {
        return e as ReactNNError;
      }
      throw new Error('expected a refusal');
    })();
    expect(err).toBeInstanceOf(ReactNNError);
    expect(err.path).toBe('restoreCheckpoint');
    expect(err.message).toContain(
      'missing from the checkpoint: "Sequential > Linear[2] > kernel", "Sequential > Linear[2] > bias"',
    );
    expect(err.message).toContain(
      '"Sequential > Linear[0] > kernel" is [3, 4] in the checkpoint but [3, 5] in the model',
    );
    expect(err.message).toContain(
      '"Sequential > Linear[1] > kernel" is [4, 1] in the checkpoint but [5, 1] in the model',
    );
    expect(err.message).toContain('nothing was loaded');
    // Linear[1]'s bias matched — and still was not written.
    expect(valuesOf(other)).toEqual(before);

    const fewer = await renderModel(
      <Sequential>
        <Linear outFeatures={4} />
      </Sequential>,
      { inputShape: [3] },
    );
    const err2 = (() => {
      try {
        restoreCheckpoint(fewer, cp);
      } catch (e) {
        return e as ReactNNError;
      }
      throw new Error('expected a refusal');
    })();
    expect(err2.message).toContain(
      'not in the model: "Sequential > Linear[1] > kernel", "Sequential > Linear[1] > bias"',
    );
    fewer.dispose();
    other.dispose();
  });

  it('strict: false loads what matches and reports the rest', async () => {
    const cp = await loadCheckpoint(bytes);
    const other = await renderModel(
      <Sequential>
        <Linear outFeatures={4} />
        <ReLU />
        <Linear outFeatures={2} />
      </Sequential>,
      { inputShape: [3], seed: 2 },
    );
    const report = restoreCheckpoint(other, cp, { strict: false });
    expect(report).toEqual({
      loaded: ['Sequential > Linear[0] > kernel', 'Sequential > Linear[0] > bias'],
      missing: [],
      unexpected: [],
      mismatched: [
        { name: 'Sequential > Linear[1] > kernel', saved: [4, 1], model: [4, 2] },
        { name: 'Sequential > Linear[1] > bias', saved: [1], model: [2] },
      ],
    });
    expect(valuesOf(other).slice(0, 2)).toEqual(runningWeights.slice(0, 2));
    other.dispose();
  });

  it('renderModel with a checkpoint that does not fit rejects and leaves no model behind', async () => {
    const cp = await loadCheckpoint(bytes);
    const err = await rejection(renderModel(mlp(6), { inputShape: [3], checkpoint: cp }));
    expect(err.message).toMatch(/shape mismatches/);
  });
});

describe('bad files', () => {
  it('a truncated file', async () => {
    for (const cut of [10, bytes.length >> 1, bytes.length - 5]) {
      const err = await rejection(loadCheckpoint(bytes.slice(0, cut)));
      expect(err.message).toMatch(
        /not a react-nn checkpoint \(\.rnn\): no zip directory at the end — the file is truncated/,
      );
    }
  });

  it('a corrupted byte inside the stored weights fails the CRC-32 check', async () => {
    const files = unzipSync(bytes);
    const weights = files['weights.safetensors'] as Uint8Array;
    // Find the weights' data inside the zip (stored uncompressed) and flip one bit of its last value.
    const at = indexOf(bytes, weights.subarray(weights.length - 16)) + 15;
    const bad = bytes.slice();
    bad[at] = (bad[at] as number) ^ 1;
    const err = await rejection(loadCheckpoint(bad));
    expect(err.message).toContain(
      '"weights.safetensors" inside the file fails its CRC-32 check — the file is corrupted',
    );
  });

  it('a wrong format version names both versions', async () => {
    const bad = withFile('model.json', (old) =>
      strToU8(strFromU8(old).replace('"formatVersion": 1', '"formatVersion": 7')),
    );
    const err = await rejection(loadCheckpoint(bad));
    expect(err.message).toMatch(/format version 7 .*this react-nn \(0\.1\.0\) reads version 1/);
  });

  it('a safetensors header that lies about sizes', async () => {
    const lying = encodeSafetensors({
      'Sequential > Linear[0] > kernel': { dtype: 'F32', shape: [3, 4], data: new Float32Array(12) },
    });
    // Claim a bigger shape than the bytes hold.
    const text = strFromU8(lying.subarray(8, 8 + Number(new DataView(lying.buffer).getBigUint64(0, true))));
    const forged = text.replace('[3,4]', '[3,5]');
    const out = lying.slice();
    out.set(strToU8(forged), 8);
    const err = await rejection(loadCheckpoint(withFile('weights.safetensors', out)));
    expect(err.path).toBe('loadCheckpoint');
    expect(err.message).toMatch(/shape \[3, 5\] and dtype F32 needs 60 bytes, but its data_offsets span 48/);
  });

  it("another program's files: a PNG, a JSON file, a zip without model.json, an empty file", async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]);
    expect((await rejection(loadCheckpoint(png))).message).toMatch(/not a react-nn checkpoint/);
    expect((await rejection(loadCheckpoint(strToU8('{"hello": 1}')))).message).toMatch(/not a react-nn checkpoint/);
    expect((await rejection(loadCheckpoint(new Uint8Array(0)))).message).toMatch(/not a react-nn checkpoint/);
    const docx = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w/>') });
    expect((await rejection(loadCheckpoint(docx))).message).toMatch(
      /the zip has no model.json \(it holds "\[Content_Types\].xml", "word\/document.xml"\) — it is not a react-nn checkpoint/,
    );
    const foreignJson = withFile('model.json', strToU8('{"format": "keras", "formatVersion": 1}'));
    expect((await rejection(loadCheckpoint(foreignJson))).message).toMatch(/model.json has format "keras"/);
    const notJson = withFile('model.json', strToU8('<xml/>'));
    expect((await rejection(loadCheckpoint(notJson))).message).toMatch(/model.json is not valid JSON/);
  });

  it('a trainer.json without optimizer.safetensors is incomplete', async () => {
    const bad = withFile('trainer.json', strToU8('{"version":1,"json":{}}'));
    expect((await rejection(loadCheckpoint(bad))).message).toMatch(/trainer.json without optimizer.safetensors/);
  });

  it('indexeddb:// in Node, downloads:// as a source, and sources and targets of the wrong kind', async () => {
    expect((await rejection(loadCheckpoint('indexeddb://moons'))).message).toMatch(/IndexedDB is not available here/);
    expect((await rejection(saveCheckpoint(running, 'indexeddb://moons'))).message).toMatch(
      /IndexedDB is not available/,
    );
    expect((await rejection(saveCheckpoint(running, 'downloads://moons'))).message).toMatch(/works in browsers only/);
    expect((await rejection(loadCheckpoint('downloads://moons'))).message).toMatch(/pass the File/);
    expect((await rejection(saveCheckpoint(running, 'https://example.com/x.rnn'))).message).toMatch(/cannot save to/);
    expect((await rejection(loadCheckpoint(42 as never))).message).toMatch(/source must be bytes/);
    expect((await rejection(saveCheckpoint({} as never))).message).toMatch(/expected a model/);
  });

  it('a prop a file cannot hold is refused by name before anything is written', async () => {
    const CkptHook = defineLayer<{ hook: () => void }>({
      type: 'CkptHook',
      props: { hook: prop.func<() => void>() },
      outputShape: (_p, input) => input,
      build: (_p, ctx) => (x) =>
        tf.layers.activation({ activation: 'linear', name: ctx.name() }).apply(x) as tf.SymbolicTensor,
    });
    const net = await renderModel(
      <Sequential>
        <CkptHook hook={() => {}} />
      </Sequential>,
      { inputShape: [2] },
    );
    const err = await rejection(saveCheckpoint(net));
    expect(err.message).toMatch(/Sequential > CkptHook\[0\] > hook is a function, which a checkpoint cannot store/);
    net.dispose();
  });
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('not found');
}
