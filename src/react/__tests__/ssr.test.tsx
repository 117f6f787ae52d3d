// Server rendering in plain Node (no DOM at all): the page renders to HTML without choosing a backend or
// creating a tensor — models, data and trainers are made in effects, which the server never runs.
import * as tf from '@tensorflow/tfjs';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Net } from '../../runtime/net';
import type { Trainer } from '../../training/trainer';
import { Page } from './ssr.page';

describe('server rendering', () => {
  it('renders a page with <Model>, the hooks and views without touching a backend or creating tensors', () => {
    expect(typeof document).toBe('undefined');
    const before = tf.memory();
    let model: Net | null = null;
    let trainer: Trainer | null | undefined;
    const html = renderToString(
      <Page
        onHandles={(m, t) => {
          model = m;
          trainer = t;
        }}
      />,
    );
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    // The model handle exists but nothing was built: no backend chosen, no tfjs model.
    const net = model as Net | null;
    expect(net).not.toBeNull();
    expect(net?.backend).toBeNull();
    expect(net?.model).toBeNull();
    expect(trainer).toBeNull();
    // What the page says before anything exists: idle, and each view's empty state. (React separates
    // adjacent text with empty comments.)
    const text = html.replace(/<!-- -->/g, '');
    expect(text).toContain('idle at epoch 0, 0 losses, no predictions');
    expect(text).toContain('No trainer yet.');
    expect(text).toContain('No training history yet.');
    expect(html).toMatch(/<figure class="rnn-viz rnn-loss-chart"/);
    expect(html).toMatch(/<figure class="rnn-viz rnn-decision-boundary"/);
  });
});
