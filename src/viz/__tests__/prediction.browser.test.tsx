import { cleanup, render } from '@testing-library/react';
import { StrictMode } from 'react';
import type uPlot from 'uplot';
import { afterEach, describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import { PredictionScatter } from '../prediction';
import { parseColor } from '../theme';
import { settle, textAlternative, until } from './helpers';

afterEach(cleanup);

// Six well-separated points on a 3 × 2 grid; rows 1 and 4 are misclassified.
const X = [
  [0, 0],
  [1, 0],
  [2, 0],
  [0, 1],
  [1, 1],
  [2, 1],
];
const LABELS = [0, 0, 0, 1, 1, 1];
const PREDICTED = [0, 1, 0, 1, 0, 1];

/** `u.data[i]` of a scatter-mode plot as [xs, ys]. */
const facet = (u: uPlot, i: number) => u.data[i] as unknown as [number[], number[]];
/** The points of a series as "x,y" strings, sorted. */
const pointsOf = (u: uPlot, i: number) => {
  const [xs, ys] = facet(u, i);
  return xs.map((x, k) => `${x},${ys[k]}`).sort();
};
/** Calls `fn` when uPlot destroys `u`. */
function onDestroy(u: uPlot, fn: (u: uPlot) => void) {
  u.hooks.destroy = [...(u.hooks.destroy ?? []), fn];
}
const rows = (idx: number[]) => idx.map((i) => (X[i] as number[]).join(',')).sort();

describe('PredictionScatter', () => {
  it('draws one points-only uPlot series per class and the misclassified rows as a series of their own', async () => {
    const plots: uPlot[] = [];
    const view = render(
      <PredictionScatter
        x={X}
        labels={LABELS}
        predicted={PREDICTED}
        classNames={['left', 'right']}
        width={300}
        onCreate={(u) => plots.push(u)}
      />,
    );
    const fig = view.getByRole('figure', { name: 'Predicted class' });
    // The first chart of a page loads uPlot, so its plot appears a moment after mount; later charts draw at once.
    await until(() => plots.length > 0, 30_000, 'uPlot to load');
    expect(plots).toHaveLength(1);
    const u = plots[0] as uPlot;
    expect((u as unknown as { mode: number }).mode).toBe(2); // scatter mode
    expect(u.series.slice(1).map((s) => s.label)).toEqual(['predicted left', 'predicted right', 'misclassified']);
    // Coloured by prediction: class 0 holds rows 0, 2, 4; class 1 rows 1, 3, 5.
    expect(pointsOf(u, 1)).toEqual(rows([0, 2, 4]));
    expect(pointsOf(u, 2)).toEqual(rows([1, 3, 5]));
    // Exactly the rows where label ≠ predicted.
    expect(pointsOf(u, 3)).toEqual(rows([1, 4]));
    // Points only: no line series, uPlot's own point markers off (the path builder draws the dots).
    u.series.forEach((s, i) => {
      if (i > 0) expect((s.points as { show: (u: uPlot, i: number) => boolean }).show(u, i)).toBe(false);
    });

    const img = view.getByRole('img', { name: '6 points, 2 misclassified' });
    expect(fig.contains(img)).toBe(true);
    expect(fig.dataset.points).toBe('6');
    expect(fig.dataset.misclassified).toBe('2');
    expect(fig.dataset.colorBy).toBe('predicted');
    expect(textAlternative(fig)).toBe(
      '6 points, 2 misclassified (accuracy 0.667). Points by predicted class: left 3, right 3.',
    );
    view.unmount();
  });

  it('colours by true class with colorBy="true"; the rings stay the same', () => {
    const plots: uPlot[] = [];
    const view = render(
      <PredictionScatter x={X} labels={LABELS} predicted={PREDICTED} colorBy="true" onCreate={(u) => plots.push(u)} />,
    );
    const fig = view.getByRole('figure', { name: 'True class' });
    const u = plots[0] as uPlot;
    expect(u.series.slice(1).map((s) => s.label)).toEqual(['true class 0', 'true class 1', 'misclassified']);
    expect(pointsOf(u, 1)).toEqual(rows([0, 1, 2]));
    expect(pointsOf(u, 2)).toEqual(rows([3, 4, 5]));
    expect(pointsOf(u, 3)).toEqual(rows([1, 4]));
    expect(fig.dataset.colorBy).toBe('true');
    view.unmount();
  });

  it('paints each class in its theme colour and the mistakes as rings in the error colour', async () => {
    const plots: uPlot[] = [];
    const view = render(
      <div
        style={{
          ['--rnn-class-0' as string]: '#123456',
          ['--rnn-class-1' as string]: '#00ff00',
          ['--rnn-error' as string]: '#ff0000',
        }}
      >
        <PredictionScatter
          x={X}
          labels={LABELS}
          predicted={PREDICTED}
          width={320}
          height={240}
          onCreate={(u) => plots.push(u)}
        />
      </div>,
    );
    const u = plots[0] as uPlot;
    await settle();
    const at = (px: number, py: number) => [
      ...u.ctx.getImageData(Math.round(px), Math.round(py), 1, 1).data.slice(0, 3),
    ];
    const pos = (row: number) => [
      u.valToPos(X[row]?.[0] as number, 'x', true),
      u.valToPos(X[row]?.[1] as number, 'y', true),
    ];
    const near = (got: number[], css: string) => {
      const want = parseColor(css);
      got.forEach((v, i) => expect(Math.abs(v - (want[i] as number)), `${got} vs ${css}`).toBeLessThan(40));
    };
    // Dot centres: row 0 predicted 0, row 5 predicted 1, row 1 predicted 1 (wrongly).
    near(at(...(pos(0) as [number, number])), '#123456');
    near(at(...(pos(5) as [number, number])), '#00ff00');
    near(at(...(pos(1) as [number, number])), '#00ff00');
    // The ring around the mistake, 6.5 CSS px out; a correct point has none.
    // The reddest pixel across the ring's stroke (anti-aliasing blends its edges).
    const ring = (row: number) => {
      const [px, py] = pos(row) as [number, number];
      const across = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5].map((d) => at(px + (6.5 + d) * devicePixelRatio, py));
      return across.reduce((a, b) =>
        (b[0] as number) - (b[1] as number) > (a[0] as number) - (a[1] as number) ? b : a,
      );
    };
    near(ring(1), '#ff0000');
    near(ring(4), '#ff0000');
    const [r, g, b] = ring(0) as [number, number, number];
    expect(r > 200 && g < 60 && b < 60).toBe(false);
    view.unmount();
  });

  it('takes new predictions with setData on the same plot, and a new plot only when the classes change', async () => {
    const plots: uPlot[] = [];
    const onCreate = (u: uPlot) => plots.push(u);
    const view = render(<PredictionScatter x={X} labels={LABELS} predicted={PREDICTED} onCreate={onCreate} />);
    view.rerender(<PredictionScatter x={X} labels={LABELS} predicted={LABELS} onCreate={onCreate} />);
    expect(plots).toHaveLength(1);
    expect(facet(plots[0] as uPlot, 3)[0]).toEqual([]);
    view.getByRole('img', { name: '6 points, 0 misclassified' });

    const destroyed: uPlot[] = [];
    onDestroy(plots[0] as uPlot, (u) => destroyed.push(u));
    view.rerender(<PredictionScatter x={X} labels={LABELS} predicted={[0, 1, 2, 1, 0, 1]} onCreate={onCreate} />);
    expect(plots).toHaveLength(2);
    expect(destroyed).toEqual([plots[0]]);
    expect(plots[1]?.series).toHaveLength(5); // placeholder, 3 classes, misclassified
    view.getByRole('img', { name: '6 points, 3 misclassified' });
    view.unmount();
  });

  it('names the prop and both lengths when labels or predicted do not match x, and reports it once', async () => {
    const errors: ReactNNError[] = [];
    const plots: uPlot[] = [];
    const onError = (e: ReactNNError) => errors.push(e);
    const view = render(
      <PredictionScatter
        x={X}
        labels={[0, 1, 0]}
        predicted={PREDICTED}
        onError={onError}
        onCreate={(u) => plots.push(u)}
      />,
    );
    const fig = view.getByRole('figure', { name: 'Predicted class' });
    const message = 'PredictionScatter: labels has 3 entries but x has 6 rows — give one true class id per row of x';
    expect(view.getByRole('alert').textContent).toBe(message);
    expect(textAlternative(fig)).toMatch(/Error: PredictionScatter: labels has 3 entries/);
    expect(view.queryByRole('img')).toBeNull();
    expect(plots).toHaveLength(0);
    await until(() => errors.length > 0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ReactNNError);
    expect(errors[0]?.code).toBe('data');
    expect(errors[0]?.message).toBe(message);

    view.rerender(<PredictionScatter x={X} labels={LABELS} predicted={[1, 1]} onError={onError} />);
    expect(view.getByRole('alert').textContent).toBe(
      'PredictionScatter: predicted has 2 entries but x has 6 rows — give one predicted class id per row of x',
    );
    view.rerender(<PredictionScatter x={X} labels={LABELS} predicted={[0, 0.8, 0, 1, 0, 1]} onError={onError} />);
    expect(view.getByRole('alert').textContent).toMatch(
      /^PredictionScatter: predicted\[1\] must be a class id, a non-negative integer \(got 0\.8\)/,
    );
    view.rerender(<PredictionScatter x={[[0, 0, 1]]} labels={[0]} predicted={[0]} onError={onError} />);
    expect(view.getByRole('alert').textContent).toMatch(
      /^PredictionScatter: x\[0\] must be 2 finite numbers.*\(got \[0, 0, 1\]\)/,
    );
    await until(() => errors.length === 4);

    // Fixed props: the error goes, the plot comes.
    view.rerender(
      <PredictionScatter
        x={X}
        labels={LABELS}
        predicted={PREDICTED}
        onError={onError}
        onCreate={(u) => plots.push(u)}
      />,
    );
    expect(view.queryByRole('alert')).toBeNull();
    expect(plots).toHaveLength(1);
    view.getByRole('img', { name: '6 points, 2 misclassified' });
    view.unmount();
  });

  it('shows an empty state for no points', () => {
    const view = render(<PredictionScatter x={[]} labels={[]} predicted={[]} />);
    const fig = view.getByRole('figure', { name: 'Predicted class' });
    expect(fig.textContent).toMatch(/No points yet/);
    view.getByRole('img', { name: '0 points, 0 misclassified' });
    view.unmount();
  });

  it('destroys its uPlot instance on unmount', () => {
    const plots: uPlot[] = [];
    const destroyed: uPlot[] = [];
    const view = render(
      <PredictionScatter
        x={X}
        labels={LABELS}
        predicted={PREDICTED}
        onCreate={(u) => {
          plots.push(u);
          onDestroy(u, (p) => destroyed.push(p));
        }}
      />,
    );
    const u = plots[0] as uPlot;
    expect(u.root.isConnected).toBe(true);
    view.unmount();
    expect(destroyed).toEqual([u]);
    expect(u.root.isConnected).toBe(false);
    expect(document.querySelector('.uplot')).toBeNull();
  });

  it('leaves exactly one live plot under StrictMode, and none after unmount', () => {
    const plots: uPlot[] = [];
    const destroyed = new Set<uPlot>();
    const view = render(
      <StrictMode>
        <PredictionScatter
          x={X}
          labels={LABELS}
          predicted={PREDICTED}
          onCreate={(u) => {
            plots.push(u);
            onDestroy(u, (p) => destroyed.add(p));
          }}
        />
      </StrictMode>,
    );
    expect(plots.filter((u) => !destroyed.has(u))).toHaveLength(1);
    expect(document.querySelectorAll('.uplot')).toHaveLength(1);
    view.unmount();
    expect(plots.every((u) => destroyed.has(u))).toBe(true);
    expect(document.querySelector('.uplot')).toBeNull();
  });
});
