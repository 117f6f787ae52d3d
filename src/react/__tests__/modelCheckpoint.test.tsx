// @vitest-environment jsdom
// <Model checkpoint={cp}>: the first model built gets the checkpoint's weights; one that does not
// fit shows up as the handle's error, the model keeps its own weights; StrictMode changes nothing.
import * as tf from '@tensorflow/tfjs';
import { act, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Checkpoint, loadCheckpoint, saveCheckpoint } from '../../io/checkpoint';
import { readNetWeights } from '../../io/netWeights';
import { ReLU } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import type { Net } from '../../runtime/net';
import { Model } from '../Model';
import { renderModel } from '../renderModel';
import { useModel } from '../useModel';

const tick = () => act(() => new Promise((r) => setTimeout(r, 10)));
const values = (net: Net) => readNetWeights(net).map((w) => Array.from(w.variable.read().dataSync()));

function Harness({
  hidden,
  checkpoint,
  onHandle,
}: {
  hidden: number;
  checkpoint: Checkpoint;
  onHandle: (n: Net) => void;
}) {
  const model = useModel();
  onHandle(model);
  return (
    <Model handle={model} inputShape={[2]} backend="cpu" seed={42} checkpoint={checkpoint}>
      <Sequential>
        <Linear outFeatures={hidden} />
        <ReLU />
        <Linear outFeatures={1} />
      </Sequential>
    </Model>
  );
}

let start = 0;
beforeEach(() => {
  start = tf.memory().numTensors;
});

describe('<Model checkpoint>', () => {
  for (const strict of [false, true]) {
    it(`builds with the saved weights${strict ? ' (StrictMode)' : ''}`, async () => {
      const saved = await renderModel(
        <Sequential>
          <Linear outFeatures={3} />
          <ReLU />
          <Linear outFeatures={1} />
        </Sequential>,
        { inputShape: [2], seed: 1, backend: 'cpu' },
      );
      const expected = values(saved.net);
      const cp = await loadCheckpoint(await saveCheckpoint(saved));
      saved.dispose();
      let handle!: Net;
      const tree = <Harness hidden={3} checkpoint={cp} onHandle={(n) => (handle = n)} />;
      const view = render(strict ? <StrictMode>{tree}</StrictMode> : tree);
      await tick();
      expect(handle.status).toBe('ready');
      expect(values(handle)).toEqual(expected);
      view.unmount();
      await tick();
      expect(tf.memory().numTensors).toBe(start);
    });
  }

  it('a checkpoint that does not fit is the handle error; the model runs with its own weights', async () => {
    const saved = await renderModel(
      <Sequential>
        <Linear outFeatures={5} />
        <ReLU />
        <Linear outFeatures={1} />
      </Sequential>,
      {
        inputShape: [2],
        backend: 'cpu',
      },
    );
    const cp = await loadCheckpoint(await saveCheckpoint(saved));
    saved.dispose();
    let handle!: Net;
    const view = render(<Harness hidden={3} checkpoint={cp} onHandle={(n) => (handle = n)} />);
    await tick();
    expect(handle.error?.message).toMatch(
      /restoreCheckpoint: the checkpoint does not fit this model — shape mismatches/,
    );
    expect(handle.model).not.toBeNull();
    view.unmount();
    await tick();
    expect(tf.memory().numTensors).toBe(start);
  });
});
