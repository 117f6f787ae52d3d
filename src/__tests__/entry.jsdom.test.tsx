// @vitest-environment jsdom
// The main entry as an app's component tests meet it (Vitest or Jest on jsdom): jsdom has no matchMedia, no
// 2-D canvas and no WebGPU. Importing react-nn must need none of them; only a mounted chart may, and then it
// says so inside its figure instead of throwing.
import * as tf from '@tensorflow/tfjs';
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

afterEach(cleanup);

describe('react-nn in jsdom', () => {
  it('imports the main entry without matchMedia and renders a model page', async () => {
    expect(typeof window.matchMedia).toBe('undefined');
    const start = tf.memory().numTensors;
    const nn = await import('../index');
    function Page() {
      const model = nn.useModel();
      return (
        <>
          <output data-testid="status">{model.status}</output>
          <nn.Model handle={model} inputShape={[2]} backend="cpu">
            <nn.Sequential>
              <nn.Linear outFeatures={4} />
              <nn.ReLU />
              <nn.Linear outFeatures={1} />
            </nn.Sequential>
          </nn.Model>
          <nn.ModelSummary model={model} />
        </>
      );
    }
    const view = render(<Page />);
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(view.getByTestId('status').textContent).toBe('ready');
    // Linear(2→4) 12 + Linear(4→1) 5.
    expect(view.container.textContent).toContain('17');
    view.unmount();
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(tf.memory().numTensors).toBe(start);
  });

  it('a chart mounted without matchMedia shows a clear error in its figure; the page keeps rendering', async () => {
    const { LossChart } = await import('../index');
    const view = render(
      <>
        <p>before</p>
        <LossChart history={{ loss: [1, 0.5] }} />
      </>,
    );
    const alert = await view.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toMatch(/^LossChart: the chart library \(uPlot\) could not load here: .*matchMedia/);
    expect(view.getByText('before')).toBeTruthy();
  });
});
