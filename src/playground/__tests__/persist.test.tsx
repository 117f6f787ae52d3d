// Save / Open / Share of the Playground through the library's checkpoint and share-link formats:
// the page state and the trained weights round-trip exactly; damaged or altered input is refused
// (Open) or falls back with a notice (a link), never half-applied.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { saveCheckpoint } from '../../io/checkpoint';
import { readNetWeights } from '../../io/netWeights';
import { encodeShareState } from '../../io/share';
import { unzipFiles, zipFiles } from '../../io/zip';
import { renderModel } from '../../react/renderModel';
import type { Net } from '../../runtime/net';
import { createTrainer } from '../../training/trainer';
import { NetworkLayers } from '../layers';
import { openPlayground, PLAYGROUND_FILE, playgroundFile, readShareLink, SHARE_PARAM, shareLink } from '../persist';
import { quantizePoint } from '../points';
import { activeFeatures, defaultState, type PlaygroundState } from '../state';

let start = 0;
const nets: { dispose(): void }[] = [];
beforeEach(() => {
  start = tf.memory().numTensors;
});
afterEach(async () => {
  for (const n of nets.splice(0)) n.dispose();
  await new Promise((r) => setTimeout(r, 0));
  expect(tf.memory().numTensors).toBe(start);
});

/** A page state off the defaults in the network, the features and the data. */
function pageState(): PlaygroundState {
  const s = defaultState();
  return {
    ...s,
    networkShape: [5, 3],
    activation: 'relu',
    extra: 'dropout',
    dropout: 0.2,
    learningRate: 0.1,
    seed: 42,
    features: { ...s.features, xSquared: true, sinY: true },
    drawn: [quantizePoint({ x: 1.234, y: -2.5, label: 1 }), quantizePoint({ x: -4, y: 3.3, label: -1 })],
  };
}

/** The page's network for a state, built, with its weights moved off their initial values. */
async function build(state: PlaygroundState): Promise<Net> {
  const rendered = await renderModel(<NetworkLayers state={state} />, {
    inputShape: [activeFeatures(state).length],
    seed: 3,
  });
  nets.push(rendered);
  const net = rendered.net;
  for (const w of readNetWeights(net)) {
    const t = tf.randomNormal(w.shape as number[], 0, 1, 'float32', 11);
    w.variable.write(t);
    t.dispose();
  }
  return net;
}

const values = (net: Net) =>
  new Map(readNetWeights(net).map((w) => [w.name, Array.from(w.variable.read().dataSync())]));
const asArrays = (weights: ReadonlyMap<string, { data: Float32Array }> | null) =>
  new Map([...(weights ?? new Map())].map(([k, v]) => [k, Array.from(v.data)]));

describe('Playground share links', () => {
  it('carry the whole page state and the trained weights, bit for bit', async () => {
    const state = pageState();
    const net = await build(state);
    const made = await shareLink(state, net, { origin: 'http://x', pathname: '/docs/', hash: '#/playground' });
    expect(made.withWeights).toBe(true);
    const url = new URL(made.url);
    expect(url.hash).toBe('#/playground');
    const restored = readShareLink(url.searchParams.get(SHARE_PARAM) as string);
    expect(restored.notices).toEqual([]);
    expect(restored.state).toEqual(state);
    expect(asArrays(restored.weights)).toEqual(values(net));
  });

  it('a damaged link or another page’s link gives the defaults with a notice', async () => {
    const cut = readShareLink('rnn1.eJyrVkrOz0lVslIqyczP');
    expect(cut.state).toEqual(defaultState());
    expect(cut.weights).toBeNull();
    expect(cut.notices).toEqual([expect.stringMatching(/damaged.*showing the defaults instead/)]);
    const other = readShareLink(encodeShareState({ example: 'moons', options: { lr: 0.1 } }));
    expect(other.notices).toEqual([expect.stringMatching(/not a Playground link \(it is for moons\)/)]);
    // Bad values inside a good link fall back one by one, as in the plain URL.
    const bad = readShareLink(encodeShareState({ example: 'playground', options: { query: 'learningRate=x&seed=5' } }));
    expect(bad.state.seed).toBe(5);
    expect(bad.notices).toEqual(['learningRate="x" ignored: not a number; using 0.03.']);
  });
});

describe('Playground files', () => {
  it('Save → Open restores the controls, the data and the weights exactly', async () => {
    const state = pageState();
    const net = await build(state);
    const bytes = await playgroundFile(net, state);
    const opened = await openPlayground(bytes, defaultState());
    expect(opened.notices).toEqual([]);
    expect(opened.state).toEqual(state);
    expect(asArrays(opened.weights)).toEqual(values(net));
  });

  it('a file saved from a paused trainer gives its run to continue; one saved from the model gives none', async () => {
    const state = pageState();
    const net = await build(state);
    const inputs = activeFeatures(state).length;
    const data = fromArrays({
      x: { data: Float32Array.from({ length: 24 * inputs }, (_, i) => Math.sin(i)), shape: [24, inputs] },
      y: { data: Float32Array.from({ length: 24 }, (_, i) => (i % 2 ? 1 : -1)), shape: [24, 1] },
      task: 'regression',
    });
    const trainer = createTrainer(net, {
      data,
      loss: 'mse',
      optimizer: { type: 'adam', lr: 0.01 },
      batchSize: 5,
      epochs: 10,
      seed: state.seed,
      engine: 'tfjs',
    });
    nets.push(trainer, data);
    for (let i = 0; i < 7; i++) await trainer.step();
    const withRun = await openPlayground(await playgroundFile(trainer, state), defaultState());
    const run = withRun.trainerState?.json as { epoch: number; step: number; history: { loss: number[] } };
    expect(run.epoch).toBe(1);
    expect(run.step).toBe(7);
    expect(run.history.loss).toEqual(trainer.getSnapshot().history.loss);
    // The Adam slots of every weight, as the trainer holds them.
    expect(Object.keys(withRun.trainerState?.tensors ?? {}).length).toBeGreaterThan(0);
    expect(withRun.state).toEqual(state);
    expect(asArrays(withRun.weights)).toEqual(values(net));
    const weightsOnly = await openPlayground(await playgroundFile(net, state), defaultState());
    expect(weightsOnly.trainerState).toBeUndefined();
  });

  it('a checkpoint saved elsewhere keeps the page data and takes the network when it can be shown', async () => {
    const state = pageState();
    const net = await build(state);
    const plain = await saveCheckpoint(net);
    const page = { ...defaultState(), features: state.features, noise: 20 };
    const opened = await openPlayground(plain, page);
    expect(opened.state.noise).toBe(20);
    expect(opened.state.networkShape).toEqual([5, 3]);
    expect(opened.state.activation).toBe('relu');
    expect(opened.notices).toEqual([expect.stringMatching(/no Playground settings/)]);
    // A page with another number of inputs cannot take it: refused, saying how to fix it.
    await expect(openPlayground(plain, defaultState())).rejects.toThrow(
      /shape \[4\] but the page has 2 input features/,
    );
  });

  it('refuses a file whose settings do not describe its network, or that is not a checkpoint', async () => {
    const state = pageState();
    const net = await build(state);
    const files = unzipFiles(await playgroundFile(net, state), 'test');
    files[PLAYGROUND_FILE] = new TextEncoder().encode(
      JSON.stringify({ query: 'networkShape=2&xSquared=true&sinY=true' }),
    );
    await expect(openPlayground(zipFiles(files), defaultState())).rejects.toThrow(/file was altered/);
    files[PLAYGROUND_FILE] = new TextEncoder().encode('{"query": 3}');
    await expect(openPlayground(zipFiles(files), defaultState())).rejects.toThrow(/no "query" string/);
    await expect(openPlayground(new Uint8Array([1, 2, 3]), defaultState())).rejects.toThrow(
      /not a react-nn checkpoint/,
    );
  });
});
