// @vitest-environment jsdom
import * as tf from '@tensorflow/tfjs';
import { act, render } from '@testing-library/react';
import { createContext, StrictMode, useContext } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { ReLU } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import type { Net } from '../../runtime/net';
import { Model } from '../Model';
import { useModel } from '../useModel';

const tick = () => act(() => new Promise((r) => setTimeout(r, 10)));

function Harness({ hidden, onHandle }: { hidden: number; onHandle: (n: Net) => void }) {
  const model = useModel();
  onHandle(model);
  return (
    <>
      <output data-testid="status">{model.status}</output>
      <Model handle={model} inputShape={[2]} backend="cpu">
        <Sequential>
          <Linear outFeatures={3} />
          <ReLU />
          <Linear outFeatures={hidden} />
          <Linear outFeatures={1} />
        </Sequential>
      </Model>
    </>
  );
}

let start = 0;
beforeEach(() => {
  start = tf.memory().numTensors;
});

describe('<Model> in react-dom', () => {
  it('fills the useModel handle and re-renders with status ready', async () => {
    let handle!: Net;
    const view = render(<Harness hidden={4} onHandle={(n) => (handle = n)} />);
    await tick();
    expect(view.getByTestId('status').textContent).toBe('ready');
    // Linear(2→3) 9 + Linear(3→4) 16 + Linear(4→1) 5.
    expect(handle.summary().totalParams).toBe(9 + 16 + 5);
    expect(handle.backend?.name).toBe('cpu');
    view.unmount();
    await tick();
  });

  it('rebuilds on a prop change keeping the first layer’s weights; a bad edit keeps the last model', async () => {
    let handle!: Net;
    const view = render(<Harness hidden={4} onHandle={(n) => (handle = n)} />);
    await tick();
    const first = handle.model?.getLayer('Sequential/Linear_0').getWeights()[0]?.arraySync();
    view.rerender(<Harness hidden={6} onHandle={(n) => (handle = n)} />);
    await tick();
    expect(handle.summary().totalParams).toBe(9 + 3 * 6 + 6 + 6 + 1);
    expect(handle.model?.getLayer('Sequential/Linear_0').getWeights()[0]?.arraySync()).toEqual(first);
    const good = handle.model;
    view.rerender(<Harness hidden={-1} onHandle={(n) => (handle = n)} />);
    await tick();
    expect(view.getByTestId('status').textContent).toBe('error');
    expect(handle.error?.path).toBe('Sequential > Linear[1]');
    expect(handle.error?.message).toContain('outFeatures must be a positive integer (got -1)');
    expect(handle.model).toBe(good);
    view.rerender(<Harness hidden={6} onHandle={(n) => (handle = n)} />);
    await tick();
    expect(view.getByTestId('status').textContent).toBe('ready');
    view.unmount();
    await tick();
  });

  it('bridges context from the react-dom tree into components inside the model', async () => {
    const Units = createContext(1);
    function Hidden() {
      return <Linear outFeatures={useContext(Units)} />;
    }
    let handle!: Net;
    function App() {
      const model = useModel();
      handle = model;
      return (
        <Units.Provider value={7}>
          <Model handle={model} inputShape={[3]} backend="cpu">
            <Sequential>
              <Hidden />
            </Sequential>
          </Model>
        </Units.Provider>
      );
    }
    const view = render(<App />);
    await tick();
    expect(handle.summary().outputShape).toEqual([7]);
    view.unmount();
    await tick();
  });

  it('returns to the starting tensor count after 20 mount → edit → unmount cycles, under StrictMode too', async () => {
    for (const strict of [false, true]) {
      for (let i = 0; i < 20; i++) {
        const wrap = (el: React.ReactElement) => (strict ? <StrictMode>{el}</StrictMode> : el);
        const view = render(wrap(<Harness hidden={4} onHandle={() => {}} />));
        await tick();
        view.rerender(wrap(<Harness hidden={5 + (i % 2)} onHandle={() => {}} />));
        await tick();
        view.unmount();
        await tick();
      }
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('keeps weights through the StrictMode unmount/remount of <Model>', async () => {
    let handle!: Net;
    const view = render(
      <StrictMode>
        <Harness hidden={4} onHandle={(n) => (handle = n)} />
      </StrictMode>,
    );
    await tick();
    expect(handle.status).toBe('ready');
    expect(handle.isDisposed).toBe(false);
    const w = handle.model?.getLayer('Sequential/Linear_0').getWeights()[0]?.arraySync();
    await tick();
    expect(handle.model?.getLayer('Sequential/Linear_0').getWeights()[0]?.arraySync()).toEqual(w);
    view.unmount();
    await tick();
    expect(handle.isDisposed).toBe(true);
  });
});
