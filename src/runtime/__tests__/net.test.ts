// Net's first build: analysed once even when it waits for the backend, and built at once when the
// backend was already chosen (by an earlier model) and is still active.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { el, seq } from '../../layers/__tests__/util';
import { selectBackend } from '../backend';
import { Net } from '../net';

const tree = () => seq(el('Linear', { outFeatures: 3 }), el('ReLU'), el('Linear', { outFeatures: 1 }));

describe('Net first build', () => {
  it('analyses (and validates) a tree once while it waits for the backend; builds at once when it is ready', async () => {
    const start = tf.memory().numTensors;
    // Ask for another backend key first, so that 'cpu' has to be chosen (asynchronously) again.
    await selectBackend();
    const waiting = new Net({ inputShape: [2], backend: 'cpu', seed: 1 });
    let checks = 0;
    waiting.addValidator(() => {
      checks++;
      return null;
    });
    expect(waiting.commit(tree())).toBeNull();
    expect(waiting.status).toBe('building');
    await waiting.ready();
    expect(waiting.status).toBe('ready');
    expect(checks).toBe(1);

    // The same backend request again: no waiting, the model exists when commit returns.
    const immediate = new Net({ inputShape: [2], backend: 'cpu', seed: 1 });
    immediate.commit(tree());
    expect(immediate.status).toBe('ready');
    expect(immediate.backend?.name).toBe('cpu');
    expect(immediate.model?.getLayer('Sequential/ReLU_0')).toBeDefined();
    // Same seed, same weights, whichever path built it.
    const w = (n: Net) => n.model?.weights.map((v) => Array.from(v.read().dataSync()));
    expect(w(immediate)).toEqual(w(waiting));

    // A later edit still recompiles synchronously and carries weights over.
    immediate.commit(seq(el('Linear', { outFeatures: 3 }), el('Tanh'), el('Linear', { outFeatures: 1 })));
    expect(immediate.getSnapshot().lastEdit?.reset).toEqual([]);
    expect(immediate.version).toBe(2);

    waiting.dispose();
    immediate.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('a validator added while the tree waits for the backend still runs on it', async () => {
    await selectBackend();
    const net = new Net({ inputShape: [2], backend: 'cpu' });
    net.commit(tree());
    net.addValidator(() => null);
    let ran = false;
    net.addValidator(() => {
      ran = true;
      return null;
    });
    await net.ready();
    expect(ran).toBe(true);
    net.dispose();
  });
});
