// Share links: architecture, hyper-parameters, data choice and small weights through a URL
// fragment and back, exactly; the size limit; and every damaged link refused by name.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { Net } from '../../runtime/net';
import { toGraphNode } from '../modelFile';
import { readNetWeights } from '../netWeights';
import { loadWeights } from '../restore';
import { decodeShareState, encodeShareState, SHARE_WEIGHT_LIMIT, shareModel } from '../share';

const moons = (hidden: number) => (
  <Sequential>
    <Linear outFeatures={hidden} name="hidden" />
    <ReLU />
    <Linear outFeatures={1} />
    <Sigmoid />
  </Sequential>
);

let start = 0;
beforeEach(() => {
  start = tf.memory().numTensors;
});
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 0));
  expect(tf.memory().numTensors).toBe(start);
});

const values = (net: Net) => readNetWeights(net).map((w) => Array.from(w.variable.read().dataSync()));

function refusal(f: () => unknown): ReactNNError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ReactNNError);
    return e as ReactNNError;
  }
  throw new Error('expected a ReactNNError');
}

describe('share links', () => {
  it('carry the architecture, hyper-parameters, data choice and small weights exactly', async () => {
    const net = await renderModel(moons(8), { inputShape: [2], seed: 4 });
    const options = { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 32 };
    const data = { name: 'moons', n: 1000, noise: 0.3 };
    const hash = encodeShareState({ ...(await shareModel(net.net)), options, data, example: 'home-moons' });
    expect(hash).toMatch(/^rnn1\.[A-Za-z0-9_-]+$/);
    // 8·2+8 + 8+1 = 33 weights: well under the limit, and the link stays short.
    expect(hash.length).toBeLessThan(800);

    const state = decodeShareState(`https://example.org/docs/#/getting-started?share=${hash}`);
    expect(state.options).toEqual(options);
    expect(state.data).toEqual(data);
    expect(state.example).toBe('home-moons');
    expect(state.model?.inputShape).toEqual([2]);
    const copy = new Net({ inputShape: state.model?.inputShape, seed: 9 });
    copy.commit(toGraphNode(state.model?.tree as never));
    await copy.ready();
    expect(copy.summary()).toEqual(net.summary());
    loadWeights(copy, state.weights as never);
    expect(values(copy)).toEqual(values(net.net));
    copy.dispose();
    net.dispose();
  });

  it(`leave the weights out above ${SHARE_WEIGHT_LIMIT} values, and refuse them when forced in`, async () => {
    const big = await renderModel(moons(2000), { inputShape: [2] });
    const shared = await shareModel(big.net);
    expect(shared.weights).toBeUndefined();
    const hash = encodeShareState(shared);
    expect(decodeShareState(hash).model?.tree.children?.[0]?.props).toEqual({ outFeatures: 2000, name: 'hidden' });
    const all = new Map(
      readNetWeights(big.net).map((w) => [
        w.name,
        { shape: [...w.shape], data: new Float32Array(w.variable.read().dataSync()) },
      ]),
    );
    expect(refusal(() => encodeShareState({ weights: all })).message).toMatch(
      /the weights hold 8001 values; a share link carries at most 4096/,
    );
    big.dispose();
  });

  it('refuse damaged links: missing, cut off, altered, wrong version, wrong types, unknown layers', () => {
    const hash = encodeShareState({
      code: '<Sequential><Linear outFeatures={3} /></Sequential>',
      options: { lr: 0.1 },
    });
    expect(decodeShareState(`#${hash}`).code).toBe('<Sequential><Linear outFeatures={3} /></Sequential>');
    expect(refusal(() => decodeShareState('#/guides/cnns')).message).toMatch(/holds no react-nn state/);
    expect(refusal(() => decodeShareState(hash.slice(0, hash.length - 6))).message).toMatch(
      /the shared state is damaged/,
    );
    expect(refusal(() => decodeShareState(`${hash.slice(0, 12)}A${hash.slice(13)}`)).message).toMatch(/damaged/);
    expect(refusal(() => decodeShareState('rnn1.$$$')).message).toMatch(/characters outside base64url/);
    expect(refusal(() => decodeShareState(42 as never)).message).toMatch(/expected the link's fragment as a string/);
    // Well-formed payloads with the wrong contents.
    const forge = (state: unknown) => encodeShareState(state as never);
    expect(refusal(() => decodeShareState(forge({ v: 2 }))).message).toMatch(/state version 2/);
    expect(refusal(() => decodeShareState(forge({ code: 5 }))).message).toMatch(/code is not a string/);
    expect(
      refusal(() => decodeShareState(forge({ model: { tree: { type: 'Linear', props: {} }, inputShape: [0] } })))
        .message,
    ).toMatch(/model.inputShape is not a shape/);
    const unknown = refusal(() =>
      decodeShareState(forge({ model: { tree: { type: 'Nope', props: {} }, inputShape: [2] } })),
    );
    expect(unknown.message).toMatch(/"Nope", which is not registered/);
  });
});
