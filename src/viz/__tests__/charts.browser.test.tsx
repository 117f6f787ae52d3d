import { cleanup, render } from '@testing-library/react';
import type uPlot from 'uplot';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dataset } from '../../data/dataset';
import type { RenderedModel } from '../../react/renderModel';
import { createTrainer, type Trainer } from '../../training/trainer';
import { LossChart, MetricsChart } from '../charts';
import { moonsData, moonsMlp, settle, textAlternative, until } from './helpers';

const owned: { dispose(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const o of owned.splice(0).reverse()) o.dispose();
});

describe('LossChart', () => {
  it('is a figure named "Loss" whose text alternative reads the last epoch', async () => {
    const history = { loss: [0.9, 0.5, 0.31], val_loss: [1, 0.6, 0.35] };
    const view = render(<LossChart history={history} width={300} />);
    const fig = view.getByRole('figure', {
      name: 'Loss',
      description: /Training loss 0\.31, validation loss 0\.35 at epoch 3\. Lowest validation loss 0\.35 at epoch 3/,
    });
    expect(fig.dataset.epochs).toBe('3');
    // The first chart of a page loads uPlot, so its plot appears a moment after mount; later charts draw at once.
    await until(() => fig.querySelector('.uplot') !== null, 30_000, 'uPlot to load');
    view.unmount();
  });

  it('renders an empty state for a null trainer, and takes a custom title', () => {
    const view = render(<LossChart trainer={null} title="Moons loss" />);
    const fig = view.getByRole('figure', { name: 'Moons loss' });
    expect(fig.textContent).toMatch(/No training history yet/);
    expect(textAlternative(fig)).toMatch(/no finished epochs/);
    view.unmount();
  });

  it('shows one point per finished epoch while a real trainer runs, without re-creating the plot', async () => {
    const net: RenderedModel = await moonsMlp();
    const data: Dataset = moonsData(400);
    const trainer: Trainer = createTrainer(net, {
      data,
      validationSplit: 0.25,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.05 },
      epochs: 8,
      batchSize: 16,
      seed: 1,
    });
    owned.push(net, data, trainer);
    const plots: uPlot[] = [];
    const view = render(<LossChart trainer={trainer} width={320} onCreate={(u) => plots.push(u)} />);
    const fig = view.getByRole('figure', { name: 'Loss' });
    const seen: { n: number; x: number[]; loss: (number | null)[]; series: number }[] = [];
    const observer = new MutationObserver(() => {
      const u = plots.at(-1) as uPlot;
      seen.push({
        n: Number(fig.dataset.epochs),
        x: [...(u.data[0] as number[])],
        loss: [...(u.data[1] as (number | null)[])],
        series: u.series.length,
      });
    });
    observer.observe(fig, { attributes: true, attributeFilter: ['data-epochs'] });
    const done = trainer.fit();
    await until(() => trainer.status !== 'running' && trainer.status !== 'idle', 60_000, 'training');
    await done;
    await settle();
    observer.disconnect();

    expect(plots).toHaveLength(1);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    const history = trainer.getSnapshot().history;
    let last = 0;
    for (const s of seen) {
      expect(s.n).toBeGreaterThan(last);
      last = s.n;
      // Exactly one x per finished epoch, 1..n, and the loss as the trainer reported it.
      expect(s.x).toEqual(Array.from({ length: s.n }, (_, i) => i + 1));
      s.loss.forEach((v, i) => expect(v).toBeCloseTo(history.loss[i] as number, 6));
    }
    expect(last).toBe(8);
    // loss and val_loss, the latter added once it appeared (same plot).
    expect(plots[0]?.series.map((s) => s.label)).toEqual(['epoch', 'training loss', 'validation loss']);
    expect(textAlternative(fig)).toMatch(/at epoch 8/);
    view.unmount();
  });

  it('switches to a log scale and thins a per-step curve', () => {
    const plots: uPlot[] = [];
    const steps = {
      epoch: Array.from({ length: 2000 }, (_, i) => (i + 1) / 500),
      loss: Array.from({ length: 2000 }, (_, i) => 1 / (1 + i / 100)),
    };
    const view = render(
      <LossChart
        history={{ loss: [0.5, 0.2, 0.1, 0.05] }}
        steps={steps}
        maxStepPoints={100}
        logScale
        width={300}
        onCreate={(u) => plots.push(u)}
      />,
    );
    const u = plots[0] as uPlot;
    expect(u.scales.y?.distr).toBe(3);
    expect(u.series.map((s) => s.label)).toEqual(['epoch', 'loss per step', 'training loss']);
    const stepPoints = (u.data[1] as (number | null)[]).filter((v) => v !== null);
    expect(stepPoints).toHaveLength(100);
    const epochPoints = (u.data[2] as (number | null)[]).filter((v) => v !== null);
    expect(epochPoints).toEqual([0.5, 0.2, 0.1, 0.05]);
    view.unmount();
  });
});

describe('MetricsChart', () => {
  it('draws each metric and its validation twin, with a text alternative', async () => {
    const plots: uPlot[] = [];
    const history = { loss: [1, 0.5], accuracy: [0.6, 0.8], val_accuracy: [0.55, 0.75] };
    const view = render(<MetricsChart history={history} width={300} onCreate={(u) => plots.push(u)} />);
    view.getByRole('figure', {
      name: 'Metrics',
      description: 'Training accuracy 0.8, validation accuracy 0.75 at epoch 2.',
    });
    expect(plots[0]?.series.map((s) => s.label)).toEqual(['epoch', 'training accuracy', 'validation accuracy']);
    await settle();
    expect(plots[0]?.scales.y?.min).toBe(0);
    expect(plots[0]?.scales.y?.max).toBe(1);
    view.unmount();
  });

  it('fits the y axis to unbounded metrics such as mae', async () => {
    const plots: uPlot[] = [];
    const view = render(
      <MetricsChart history={{ loss: [1, 1], mae: [3, 2.5], val_mae: [3.5, 2.8] }} onCreate={(u) => plots.push(u)} />,
    );
    await settle();
    expect(plots[0]?.scales.y?.max).toBeGreaterThan(3.5);
    expect(textAlternative(view.getByRole('figure', { name: 'Metrics' }))).toBe(
      'Training mae 2.5, validation mae 2.8 at epoch 2.',
    );
    view.unmount();
  });
});
