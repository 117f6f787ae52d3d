import * as tf from '@tensorflow/tfjs';
import { act, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Conv2d } from '../../layers/conv';
import { Flatten, Linear } from '../../layers/core';
import type { BackendName } from '../../runtime/backend';
import type { Net } from '../../runtime/net';
import { Model } from '../Model';
import { renderModel } from '../renderModel';
import { useModel } from '../useModel';

const waitFor = async (cond: () => boolean, ms = 60_000) => {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error('timed out waiting');
    await act(() => new Promise((r) => setTimeout(r, 20)));
  }
};

const tree = (
  <Sequential>
    <Conv2d outChannels={2} kernelSize={3} padding={1} stride={2} />
    <Tanh />
    <Flatten />
    <Linear outFeatures={3} />
  </Sequential>
);
const input = () =>
  tf.tensor4d(
    Array.from({ length: 2 * 6 * 6 }, (_, i) => Math.sin(i)),
    [2, 6, 6, 1],
  );

function App({ backend, onHandle }: { backend?: BackendName; onHandle: (n: Net) => void }) {
  const model = useModel();
  onHandle(model);
  return (
    <>
      <p>{model.status}</p>
      <Model handle={model} inputShape={[6, 6, 1]} backend={backend} seed={7}>
        {tree}
      </Model>
    </>
  );
}

describe('<Model> in Chromium', () => {
  it('runs on WebGPU (SwiftShader) when asked, matching the CPU forward pass within 1e-4', async () => {
    let handle!: Net;
    const view = render(<App backend="webgpu" onHandle={(n) => (handle = n)} />);
    await waitFor(() => handle.status === 'ready');
    expect(handle.backend?.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(handle.backend?.adapter?.isFallbackAdapter).toBe(true);
    const x = input();
    const y = handle.predict(x);
    const gpu = Array.from(await y.data());
    y.dispose();
    x.dispose();
    view.unmount();

    // Same seed → same initial weights on any backend; compare against tfjs' CPU kernels.
    const cpu = await renderModel(tree, { inputShape: [6, 6, 1], backend: 'cpu', seed: 7 });
    const xc = input();
    const yc = cpu.predict(xc);
    const expected = Array.from(await yc.data());
    yc.dispose();
    xc.dispose();
    cpu.dispose();
    expect(gpu).toHaveLength(6);
    gpu.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 4));
    expect(Math.max(...gpu.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-4);
  });

  it('prefers WebGL over a software WebGPU adapter when no backend is given', async () => {
    let handle!: Net;
    const view = render(<App onHandle={(n) => (handle = n)} />);
    await waitFor(() => handle.status === 'ready');
    expect(handle.backend?.name).toBe('webgl');
    expect(handle.backend?.adapter?.isFallbackAdapter).toBe(true);
    expect(handle.backend?.reason).toMatch(/software/);
    view.unmount();
  });
});
