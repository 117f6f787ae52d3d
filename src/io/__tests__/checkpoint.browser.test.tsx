// Checkpoints in real Chromium: IndexedDB save/load/list/delete, and downloads:// producing a real
// <a download> whose blob loads back into the same weights. Backend: cpu, so the numbers compare
// bit for bit with what was saved; the storage and download paths do not depend on it.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import { ReLU } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { BatchNorm1d } from '../../layers/norm';
import { type RenderedModel, renderModel } from '../../react/renderModel';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint';
import { deleteCheckpoint, listCheckpoints } from '../indexedDb';
import { readNetWeights } from '../netWeights';

const values = (m: RenderedModel) =>
  readNetWeights(m.net).map((w) => [w.name, Array.from(w.variable.read().dataSync())]);
const model = (
  <Sequential>
    <Linear outFeatures={8} />
    <BatchNorm1d />
    <ReLU />
    <Linear outFeatures={2} />
  </Sequential>
);

let start = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const c of await listCheckpoints()) await deleteCheckpoint(c.key);
});
beforeEach(() => {
  start = tf.memory().numTensors;
});
afterAll(async () => {
  for (const c of await listCheckpoints()) await deleteCheckpoint(c.key);
});

describe('IndexedDB', () => {
  it('saves, lists, loads and deletes; the stored bytes are the returned bytes', async () => {
    const net = await renderModel(model, { inputShape: [4], seed: 1, backend: 'cpu' });
    const bytes = await saveCheckpoint(net, 'indexeddb://browser-test');
    await saveCheckpoint(net, 'indexeddb://second');
    const list = await listCheckpoints();
    expect(list.map((c) => c.key).sort()).toEqual(['browser-test', 'second']);
    expect(list.find((c) => c.key === 'browser-test')?.size).toBe(bytes.length);
    expect(Date.parse(list[0]?.savedAt as string)).toBeGreaterThan(Date.now() - 60_000);

    const cp = await loadCheckpoint('indexeddb://browser-test');
    const copy = await renderModel(cp.element, { checkpoint: cp, seed: 2, backend: 'cpu' });
    expect(values(copy)).toEqual(values(net));
    copy.dispose();
    net.dispose();

    expect(await deleteCheckpoint('indexeddb://second')).toBe(true);
    expect(await deleteCheckpoint('second')).toBe(false);
    expect((await listCheckpoints()).map((c) => c.key)).toEqual(['browser-test']);
    await new Promise((r) => setTimeout(r, 0));
    expect(tf.memory().numTensors).toBe(start);
  });

  it('a missing key is a ReactNNError naming the keys that exist', async () => {
    const err = await loadCheckpoint('indexeddb://nope').catch((e) => e);
    expect(err).toBeInstanceOf(ReactNNError);
    expect(err.message).toMatch(/no checkpoint is stored under "indexeddb:\/\/nope" — stored keys: "browser-test"/);
    const empty = await saveCheckpoint({} as never, 'indexeddb://x').catch((e) => e);
    expect(empty).toBeInstanceOf(ReactNNError);
    expect((await listCheckpoints()).map((c) => c.key)).toEqual(['browser-test']);
  });
});

describe('downloads://', () => {
  it('clicks a real <a download="NAME.rnn"> whose blob is the checkpoint, and that file loads back', async () => {
    const net = await renderModel(model, { inputShape: [4], seed: 3, backend: 'cpu' });
    const clicked: { href: string; download: string; attached: boolean }[] = [];
    const onClick = (e: MouseEvent) => {
      const a = e.target as HTMLAnchorElement;
      clicked.push({ href: a.href, download: a.download, attached: document.body.contains(a) });
      // Keep the test page where it is; the bytes are read from the blob URL instead.
      e.preventDefault();
    };
    document.addEventListener('click', onClick, true);
    let bytes: Uint8Array;
    try {
      bytes = await saveCheckpoint(net, 'downloads://my model');
    } finally {
      document.removeEventListener('click', onClick, true);
    }
    expect(clicked).toHaveLength(1);
    expect(clicked[0]?.download).toBe('my model.rnn');
    expect(clicked[0]?.attached).toBe(true);
    expect(clicked[0]?.href).toMatch(/^blob:/);
    const file = await (await fetch(clicked[0]?.href as string)).blob();
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    const cp = await loadCheckpoint(file);
    const copy = await renderModel(cp.element, { checkpoint: cp, backend: 'cpu' });
    expect(values(copy)).toEqual(values(net));
    copy.dispose();
    net.dispose();
    // The anchor is gone from the page.
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 0));
    expect(tf.memory().numTensors).toBe(start);
  });

  it('a URL served by the page loads (fetch)', async () => {
    const net = await renderModel(model, { inputShape: [4], backend: 'cpu' });
    const bytes = await saveCheckpoint(net);
    const url = URL.createObjectURL(new Blob([bytes]));
    const cp = await loadCheckpoint(url);
    URL.revokeObjectURL(url);
    expect(cp.meta.totalParams).toBe(net.summary().totalParams);
    const missing = await loadCheckpoint('/no-such-checkpoint.rnn').catch((e) => e);
    expect(missing).toBeInstanceOf(ReactNNError);
    expect(missing.message).toMatch(/HTTP 404/);
    net.dispose();
  });
});
