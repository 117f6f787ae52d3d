import * as tf from '@tensorflow/tfjs';
import { StrictMode, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import { ReLU, Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Conv2d } from '../../layers/conv';
import { Flatten, Linear } from '../../layers/core';
import { renderModel } from '../renderModel';

/** Reads every weight of a tf layer whose name is `id`, as plain arrays. */
function weightsOf(model: tf.LayersModel, id: string): number[][] {
  return model
    .getLayer(id)
    .getWeights()
    .map((w) => Array.from(w.dataSync()));
}

const mlp = (hidden: number) => (
  <Sequential>
    <Linear outFeatures={8} />
    <ReLU />
    <Linear outFeatures={hidden} />
    <Tanh />
    <Linear outFeatures={1} />
  </Sequential>
);

let start = 0;
beforeEach(() => {
  start = tf.memory().numTensors;
});
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 0));
});

describe('renderModel', () => {
  it('compiles JSX into a tf.LayersModel with the summary PyTorch would give', async () => {
    const net = await renderModel(mlp(8), { inputShape: [2] });
    expect(net.model).toBeInstanceOf(tf.LayersModel);
    const s = net.summary();
    // Linear(2→8) 24 + Linear(8→8) 72 + Linear(8→1) 9 = 105.
    expect(s.totalParams).toBe(105);
    expect(net.model.countParams()).toBe(105);
    expect(s.layers.map((l) => l.path)).toEqual([
      'Sequential',
      'Sequential > Linear[0]',
      'Sequential > ReLU[0]',
      'Sequential > Linear[1]',
      'Sequential > Tanh[0]',
      'Sequential > Linear[2]',
    ]);
    const y = net.predict([[1, 2]]);
    expect(y.shape).toEqual([1, 1]);
    y.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('keeps bit-identical weights of unchanged layers when a middle layer changes size', async () => {
    const net = await renderModel(mlp(8), { inputShape: [2] });
    const first = weightsOf(net.model, 'Sequential/Linear_0');
    const oldModel = net.model;
    await net.update(mlp(16));
    expect(net.model).not.toBe(oldModel);
    expect(net.summary().totalParams).toBe(24 + 8 * 16 + 16 + 16 + 1);
    expect(weightsOf(net.model, 'Sequential/Linear_0')).toEqual(first);
    expect(net.net.getSnapshot().lastEdit?.reset).toEqual(
      expect.arrayContaining([expect.stringMatching(/Linear_1/), expect.stringMatching(/Linear_2/)]),
    );
    net.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('keeps each keyed layer’s weights when keyed children are reordered', async () => {
    const tree = (order: string[]) => (
      <Sequential>
        {order.map((k) => (
          <Linear key={k} outFeatures={4} />
        ))}
      </Sequential>
    );
    const net = await renderModel(tree(['a', 'b', 'c']), { inputShape: [4] });
    const before = Object.fromEntries(['a', 'b', 'c'].map((k) => [k, weightsOf(net.model, `Sequential/Linear-k${k}`)]));
    await net.update(tree(['c', 'a', 'b']));
    for (const k of ['a', 'b', 'c']) expect(weightsOf(net.model, `Sequential/Linear-k${k}`)).toEqual(before[k]);
    expect(net.model.layers.slice(1).map((l) => l.name)).toEqual([
      'Sequential/Linear-kc',
      'Sequential/Linear-ka',
      'Sequential/Linear-kb',
    ]);
    net.dispose();
  });

  it('rejects a bad edit with a ReactNNError naming the layer, and keeps the last good model', async () => {
    const net = await renderModel(mlp(8), { inputShape: [2] });
    const good = net.model;
    await expect(
      net.update(
        <Sequential>
          <Linear outFeatures={8} />
          <Linear outFeatures={2.5} />
        </Sequential>,
      ),
    ).rejects.toThrow('Sequential > Linear[1]: outFeatures must be a positive integer (got 2.5)');
    expect(net.model).toBe(good);
    const y = net.predict([[0, 0]]);
    expect(y.shape).toEqual([1, 1]);
    y.dispose();
    expect(net.net.getSnapshot().status).toBe('error');
    await net.update(mlp(8));
    expect(net.net.getSnapshot().status).toBe('ready');
    net.dispose();
  });

  it('names unknown elements, text, missing inputShape and Linear-after-Conv2d', async () => {
    await expect(
      renderModel(
        <Sequential>
          <Linear outFeatures={2} />
          <div />
        </Sequential>,
        { inputShape: [2] },
      ),
    ).rejects.toMatchObject({ path: 'Sequential > div[0]', message: expect.stringContaining('not a react-nn layer') });
    await expect(renderModel(<Sequential>hello</Sequential>, { inputShape: [2] })).rejects.toThrow(/text "hello"/);
    const e = await renderModel(mlp(8), {}).catch((x) => x);
    expect(e).toBeInstanceOf(ReactNNError);
    expect(e.message).toMatch(/inputShape/);
    const e2 = await renderModel(
      <Sequential>
        <Conv2d outChannels={8} kernelSize={3} />
        <Linear outFeatures={10} />
      </Sequential>,
      { inputShape: [28, 28, 1] },
    ).catch((x) => x);
    expect(e2).toBeInstanceOf(ReactNNError);
    expect(e2.path).toBe('Sequential > Linear[0]');
    expect(e2.message).toMatch(/Flatten/);
    expect(e2.message).toMatch(/26, 26, 8/);
    expect(e2.message).toMatch(/from Conv2d \(Sequential > Conv2d\[0\]\)/);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('accepts whitespace between layers on one line', async () => {
    const net = await renderModel(
      <Sequential>
        <Conv2d outChannels={2} kernelSize={3} /> <ReLU /> <Flatten /> <Linear outFeatures={3} />
      </Sequential>,
      { inputShape: [5, 5, 1] },
    );
    expect(net.summary().outputShape).toEqual([3]);
    net.dispose();
  });

  it('returns to the starting tensor count after 20 mount → update → unmount cycles, StrictMode included', async () => {
    for (const strict of [false, true]) {
      for (let i = 0; i < 20; i++) {
        const net = await renderModel(mlp(8), { inputShape: [2], strict });
        await net.update(mlp(4 + (i % 3)));
        const y = net.predict([[1, 1]]);
        y.dispose();
        net.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('renders function components and their state inside a model', async () => {
    function Block({ units }: { units: number }) {
      const [n] = useState(units);
      return (
        <>
          <Linear outFeatures={n} />
          <ReLU />
        </>
      );
    }
    const net = await renderModel(
      <StrictMode>
        <Sequential>
          <Block units={3} />
          <Linear outFeatures={1} />
        </Sequential>
      </StrictMode>,
      { inputShape: [2] },
    );
    expect(net.summary().totalParams).toBe(2 * 3 + 3 + 3 + 1);
    net.dispose();
  });
});
