// The server's HTML (rendered here with react-dom/server, as ssr.test.tsx does in plain Node) hydrated in
// Chromium, canvases and charts included: no mismatch (React reports one through console.error or
// onRecoverableError), and then the page does what it would have done client-side — builds, trains, predicts.
import * as tf from '@tensorflow/tfjs';
import { act } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Trainer } from '../../training/trainer';
import { until } from './lifecycle.scenario';
import { Page } from './ssr.page';

describe('hydration', () => {
  it('hydrates server HTML without a mismatch, then trains; console.error stays empty and no tensor is left', async () => {
    const start = tf.memory().numTensors;
    const html = renderToString(<Page />);
    expect(tf.memory().numTensors).toBe(start);

    const logged: unknown[][] = [];
    const recoverable: unknown[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => {
      logged.push(args);
    };
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    try {
      let trainer: Trainer | null = null;
      let root!: ReturnType<typeof hydrateRoot>;
      await act(async () => {
        root = hydrateRoot(container, <Page onHandles={(_m, t) => (trainer = t)} />, {
          onRecoverableError: (e) => recoverable.push(e),
        });
      });
      const status = () => container.querySelector('[data-testid="status"]')?.textContent ?? '';
      await until(() => status().startsWith('done'), 'training to finish');
      expect((trainer as Trainer | null)?.getSnapshot().history.loss).toHaveLength(3);
      await until(() => status().endsWith('2 predictions'), 'predictions');
      expect(status()).toBe('done at epoch 3, 3 losses, 2 predictions');
      act(() => root.unmount());
      await until(() => tf.memory().numTensors === start, 'the tensors to be freed', 30_000);
      expect(recoverable).toEqual([]);
      expect(logged).toEqual([]);
    } finally {
      console.error = consoleError;
      container.remove();
    }
  });
});
