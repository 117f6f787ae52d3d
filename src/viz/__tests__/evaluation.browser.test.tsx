import { cleanup, render, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { ConfusionMatrix, RocCurve } from '../evaluation';
import { textAlternative, until } from './helpers';

const owned: { dispose(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const o of owned.splice(0).reverse()) o.dispose();
});

/** Cell texts of the body rows: [row header, ...cells]. */
function cells(table: HTMLElement): string[][] {
  return [...table.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? ''),
  );
}

describe('ConfusionMatrix', () => {
  it('counts and normalises a fixed 3-class prediction set as computed by hand', () => {
    const yTrue = [0, 0, 0, 1, 1, 1, 1, 2];
    // Argmax per row: 0, 1, 0, 1, 1, 2, 1, 2.
    const yPred = [
      [0.7, 0.2, 0.1],
      [0.3, 0.6, 0.1],
      [0.5, 0.4, 0.1],
      [0.1, 0.8, 0.1],
      [0.2, 0.5, 0.3],
      [0.1, 0.3, 0.6],
      [0.3, 0.4, 0.3],
      [0.2, 0.2, 0.6],
    ];
    const view = render(<ConfusionMatrix yTrue={yTrue} yPred={yPred} classNames={['cat', 'dog', 'owl']} />);
    const fig = view.getByRole('figure', { name: 'Confusion matrix' });
    const table = within(fig).getByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['predicted cat', 'predicted dog', 'predicted owl']);
    // true cat: 2 → cat, 1 → dog; true dog: 3 → dog, 1 → owl; true owl: 1 → owl. Shares of each row.
    expect(cells(table)).toEqual([
      ['true cat', '266.7%', '133.3%', '00%'],
      ['true dog', '00%', '375.0%', '125.0%'],
      ['true owl', '00%', '00%', '1100%'],
    ]);
    expect(textAlternative(fig)).toBe(
      '8 examples in 3 classes; 6 predicted correctly (accuracy 75.0%). Most common error: true cat predicted as dog, 1 times.',
    );
    view.unmount();
  });

  it('thresholds binary probabilities at 0.5 and normalises by predicted class on request', () => {
    const view = render(
      <ConfusionMatrix yTrue={[0, 0, 1, 1]} yPred={[0.1, 0.4, 0.35, 0.8]} normalize="pred" show="counts" />,
    );
    const table = view.getByRole('table');
    expect(cells(table)).toEqual([
      ['true class 0', '2', '0'],
      ['true class 1', '1', '1'],
    ]);
    const shares = [...table.querySelectorAll<HTMLElement>('tbody td')].map((td) => Number(td.dataset.share));
    expect(shares).toEqual([2 / 3, 0, 1 / 3, 1]);
    view.unmount();
  });

  it('predicts a Dataset with a model', async () => {
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={1} weightInit={(shape) => (shape[0] === 2 ? [1, 0] : [0])} biasInit={0} />
        <Sigmoid />
      </Sequential>,
      { inputShape: [2], backend: 'cpu' },
    );
    const data = fromArrays({
      x: [
        [-1, 0],
        [1, 0],
        [1.5, 1],
        [-2, 3],
      ],
      y: [0, 1, 0, 1],
      numClasses: 2,
    });
    owned.push(net, data);
    const view = render(<ConfusionMatrix model={net} data={data} show="counts" />);
    await until(() => view.queryByRole('table') !== null);
    expect(cells(view.getByRole('table'))).toEqual([
      ['true class 0', '1', '1'],
      ['true class 1', '1', '1'],
    ]);
    view.unmount();
  });

  it('renders an empty state without predictions', () => {
    const view = render(<ConfusionMatrix model={null} />);
    view.getByRole('figure', { name: 'Confusion matrix', description: /no predictions yet/ });
    view.unmount();
  });
});

describe('RocCurve', () => {
  it("has scikit-learn's points and AUC 0.75 for the textbook example", () => {
    const view = render(<RocCurve yTrue={[0, 0, 1, 1]} yScore={[0.1, 0.4, 0.35, 0.8]} />);
    const fig = view.getByRole('figure', { name: 'ROC curve', description: /AUC 0\.750/ });
    expect(fig.dataset.auc).toBe('0.75');
    expect(within(fig).getByText('AUC 0.750')).toBeTruthy();
    const rows = [...fig.querySelectorAll('details tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    // roc_curve(drop_intermediate=False): thresholds inf, .8, .4, .35, .1.
    expect(rows).toEqual([
      ['∞', '0', '0'],
      ['0.8', '0', '0.5'],
      ['0.4', '0.5', '0.5'],
      ['0.35', '0.5', '1'],
      ['0.1', '1', '1'],
    ]);
    view.unmount();
  });

  it('draws one-vs-rest curves with per-class and macro AUC for three classes', () => {
    const yTrue = [0, 1, 2, 0, 1, 2];
    const yScore = [
      [0.8, 0.1, 0.1],
      [0.2, 0.7, 0.1],
      [0.1, 0.2, 0.7],
      [0.6, 0.3, 0.1],
      [0.5, 0.4, 0.1],
      [0.3, 0.3, 0.4],
    ];
    const view = render(<RocCurve yTrue={yTrue} yScore={yScore} />);
    const fig = view.getByRole('figure', { name: 'ROC curve' });
    // Class 1's scores: positives 0.7, 0.4; negatives 0.1, 0.2, 0.3, 0.3 → every pair ranked right: 1.
    // Class 0: positives 0.8, 0.6 over negatives 0.2, 0.1, 0.5, 0.3 → 1. Class 2: 0.7, 0.4 over 0.1 ×4 → 1.
    expect(textAlternative(fig)).toBe(
      'One-vs-rest ROC curves; AUC per class: class 0 1.000, class 1 1.000, class 2 1.000; macro AUC 1.000.',
    );
    view.unmount();
  });

  it('shows AUC below 1 when the ranking has mistakes (ties count half)', () => {
    // Positives 0.5, 0.9; negatives 0.5, 0.1: pairs (0.5 vs 0.5 tie → ½), (0.5 > 0.1), (0.9 > both) → 3.5/4.
    const view = render(<RocCurve yTrue={[1, 1, 0, 0]} yScore={[0.5, 0.9, 0.5, 0.1]} />);
    expect(view.getByRole('figure', { name: 'ROC curve' }).dataset.auc).toBe('0.875');
    view.unmount();
  });
});
