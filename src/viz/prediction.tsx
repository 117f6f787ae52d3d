/**
 * `PredictionScatter`: "true vs predicted" for a classifier with two input features — its
 * points over the two features, coloured by true or by predicted class, every misclassified
 * point ringed. Drawn with uPlot in scatter mode (`mode: 2`): one points-only series per class
 * and one more of hollow rings, in the theme's error colour, for the mistakes. One uPlot
 * instance lives as long as the component; new predictions go through `setData`.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import { describe, ReactNNError } from '../errors';
import { fmt, useReportError, useWidth, VizFrame, type VizProps, viz } from './common';
import { pad, themedUplot } from './plot';
import { classColor } from './theme';
import { type UPlot, useUplot } from './uplot';

/** Props of {@link PredictionScatter}. */
export interface PredictionScatterProps extends VizProps {
  /** The points: one row of two features per example. */
  x: readonly (readonly number[])[];
  /** True class id of each row of `x`. */
  labels: readonly number[];
  /** Predicted class id of each row of `x` (threshold or argmax the model's output first). */
  predicted: readonly number[];
  /** Which class colours the points. Default 'predicted'. */
  colorBy?: 'true' | 'predicted';
  /** Names of the classes, for the legend and the text alternative. Default "class i". */
  classNames?: readonly string[];
  /** Axis labels. Default "feature 0" and "feature 1". */
  xLabel?: string;
  yLabel?: string;
  /** Width in CSS pixels; default: the container's width. */
  width?: number;
  /** Height of the plotting canvas in CSS pixels. Default 260. */
  height?: number;
  /** Called with the uPlot instance once it exists (for custom hooks or tests). */
  onCreate?: (plot: uPlot) => void;
  /** Called once per new error (mismatched lengths, bad class ids, …); the error is also shown. */
  onError?: (error: ReactNNError) => void;
}

/** Radius of a point and of the ring around a mistake, in CSS pixels. */
const DOT = 3.5;
const RING = 6.5;
const PATH = 'PredictionScatter';

interface Scatter {
  /** uPlot's scatter data: `[null, [xs, ys] per class…, [xs, ys] of the mistakes]`. */
  data: uPlot.AlignedData;
  numClasses: number;
  /** Points per class (as coloured). */
  counts: number[];
  points: number;
  wrong: number;
}

/**
 * A classifier's points over its two input features, coloured by true or predicted class,
 * with every misclassified point (label ≠ prediction) ringed in the error colour.
 * @example <PredictionScatter x={val.x} labels={val.labels} predicted={yHat} />
 * @example <PredictionScatter x={x} labels={y} predicted={yHat} colorBy="true" classNames={['outer', 'inner']} />
 */
export function PredictionScatter(props: PredictionScatterProps) {
  const { x, labels, predicted, colorBy = 'predicted', classNames, height = 260 } = props;
  const minClasses = classNames?.length ?? 0;
  const checked = useMemo(() => {
    const error = validate(x, labels, predicted, colorBy);
    if (error) return { error, scatter: null };
    return { error: null, scatter: toScatter(x, labels, predicted, colorBy, minClasses) };
  }, [x, labels, predicted, colorBy, minClasses]);
  const { uPlot: UPlot, error: loadError } = useUplot(PATH);
  const { scatter } = checked;
  const error = checked.error ?? loadError;
  useReportError(error, props.onError);

  const container = useRef<HTMLDivElement>(null);
  const width = useWidth(container, 320, props.width);
  const plot = useRef<{ u: uPlot; key: string } | null>(null);
  const latest = useRef({ width, height, onCreate: props.onCreate, xLabel: props.xLabel, yLabel: props.yLabel });
  latest.current = { width, height, onCreate: props.onCreate, xLabel: props.xLabel, yLabel: props.yLabel };
  const name = (c: number) => classNames?.[c] ?? `class ${c}`;
  const namesKey = scatter ? Array.from({ length: scatter.numClasses }, (_, c) => name(c)).join('\u0000') : '';

  // A new plot only when the series change (number of classes, their names, what colours them);
  // new predictions are setData.
  // biome-ignore lint/correctness/useExhaustiveDependencies: namesKey stands for classNames; the rest is read from `latest`.
  useLayoutEffect(() => {
    const el = container.current;
    if (!el || !UPlot) return;
    if (!scatter) {
      plot.current?.u.destroy();
      plot.current = null;
      return;
    }
    const key = `${scatter.numClasses}|${colorBy}|${namesKey}|${latest.current.xLabel}|${latest.current.yLabel}`;
    if (plot.current?.key === key) {
      plot.current.u.setData(scatter.data);
      return;
    }
    plot.current?.u.destroy();
    const themed = themedUplot(() => el);
    const names = namesKey.split('\u0000');
    // The data's extent plus 8 % on every side, so that no point or ring is cut at the edge.
    const range: uPlot.Scale.Range = (_u, min, max) => pad([min ?? 0, max ?? 1], 0.08);
    const u = new UPlot(
      {
        mode: 2,
        width: latest.current.width,
        height: latest.current.height,
        scales: { x: { time: false, range }, y: { range } },
        axes: themed.axes(latest.current.xLabel ?? 'feature 0', latest.current.yLabel ?? 'feature 1'),
        legend: { live: false },
        cursor: { show: false },
        series: [
          {},
          ...names.map(
            (label, c): uPlot.Series => ({
              label: `${colorBy === 'true' ? 'true' : 'predicted'} ${label}`,
              fill: () => classColor(themed.theme(), c),
              stroke: () => themed.theme().bg,
              width: 1,
              paths: dots(UPlot, DOT),
              points: { show: false },
            }),
          ),
          {
            label: 'misclassified',
            stroke: () => themed.theme().error,
            width: 2,
            paths: dots(UPlot, RING),
            points: { show: false },
            // Its points are drawn anyway; they must not widen the axes.
            auto: false,
          },
        ],
        hooks: themed.hooks,
      },
      scatter.data,
      el,
    );
    plot.current = { u, key };
    latest.current.onCreate?.(u);
  }, [scatter, colorBy, namesKey, props.xLabel, props.yLabel, UPlot]);

  useLayoutEffect(
    () => () => {
      plot.current?.u.destroy();
      plot.current = null;
    },
    [],
  );
  useLayoutEffect(() => {
    plot.current?.u.setSize({ width, height });
  }, [width, height]);

  const label = scatter ? countLabel(scatter) : undefined;
  return (
    <VizFrame
      {...viz(props)}
      kind="prediction-scatter"
      defaultTitle={colorBy === 'true' ? 'True class' : 'Predicted class'}
      error={error}
      message={scatter && scatter.points === 0 ? 'No points yet.' : undefined}
      summary={scatter ? scatterSummary(scatter, colorBy, name) : 'Prediction scatter: nothing drawn.'}
      attrs={{
        'data-color-by': colorBy,
        'data-points': scatter?.points,
        'data-misclassified': scatter?.wrong,
      }}
    >
      <div ref={container} {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })} />
    </VizFrame>
  );
}

/** Filled discs (or, for a series without fill, rings) of radius `r` CSS pixels at the series' points. */
function dots(UPlot: UPlot, r: number): uPlot.Series.PathBuilder {
  return (u, si) => {
    const [xs, ys] = u.data[si] as unknown as [number[], number[]];
    const radius = r * UPlot.pxRatio;
    const path = new Path2D();
    for (let i = 0; i < xs.length; i++) {
      const cx = u.valToPos(xs[i] as number, 'x', true);
      const cy = u.valToPos(ys[i] as number, 'y', true);
      path.moveTo(cx + radius, cy);
      path.arc(cx, cy, radius, 0, 2 * Math.PI);
    }
    return { stroke: path, fill: path, flags: 0 };
  };
}

/** The first thing wrong with the props, naming the prop, or null. */
function validate(
  x: PredictionScatterProps['x'],
  labels: PredictionScatterProps['labels'],
  predicted: PredictionScatterProps['predicted'],
  colorBy: unknown,
): ReactNNError | null {
  if (colorBy !== 'true' && colorBy !== 'predicted') {
    return new ReactNNError('option', PATH, `colorBy must be "true" or "predicted" (got ${describe(colorBy)})`);
  }
  if (!Array.isArray(x)) {
    return new ReactNNError('data', PATH, `x must be an array of [feature 0, feature 1] rows (got ${describe(x)})`);
  }
  for (const [prop, ids, what] of [
    ['labels', labels, 'true'],
    ['predicted', predicted, 'predicted'],
  ] as const) {
    if (!Array.isArray(ids)) {
      return new ReactNNError('data', PATH, `${prop} must be an array of class ids (got ${describe(ids)})`);
    }
    if (ids.length !== x.length) {
      return new ReactNNError(
        'data',
        PATH,
        `${prop} has ${ids.length} entries but x has ${x.length} rows — give one ${what} class id per row of x`,
      );
    }
  }
  for (let i = 0; i < x.length; i++) {
    const row = x[i];
    if (!Array.isArray(row) || row.length !== 2 || !row.every(Number.isFinite)) {
      return new ReactNNError(
        'data',
        PATH,
        `x[${i}] must be 2 finite numbers, one per feature (got ${describe(row)}) — PredictionScatter draws classifiers with two inputs`,
      );
    }
  }
  for (const [prop, ids] of [
    ['labels', labels],
    ['predicted', predicted],
  ] as const) {
    const i = ids.findIndex((v) => !Number.isInteger(v) || v < 0);
    if (i >= 0) {
      return new ReactNNError(
        'data',
        PATH,
        `${prop}[${i}] must be a class id, a non-negative integer (got ${describe(ids[i])}) — threshold probabilities (p > 0.5) or take the argmax first`,
      );
    }
  }
  return null;
}

function toScatter(
  x: PredictionScatterProps['x'],
  labels: readonly number[],
  predicted: readonly number[],
  colorBy: 'true' | 'predicted',
  minClasses: number,
): Scatter {
  let numClasses = Math.max(1, minClasses);
  for (let i = 0; i < x.length; i++)
    numClasses = Math.max(numClasses, (labels[i] as number) + 1, (predicted[i] as number) + 1);
  const classes = Array.from({ length: numClasses }, () => ({ xs: [] as number[], ys: [] as number[] }));
  const wrong = { xs: [] as number[], ys: [] as number[] };
  const colors = colorBy === 'true' ? labels : predicted;
  for (let i = 0; i < x.length; i++) {
    const row = x[i] as readonly number[];
    const target = classes[colors[i] as number] as { xs: number[]; ys: number[] };
    target.xs.push(row[0] as number);
    target.ys.push(row[1] as number);
    if (labels[i] !== predicted[i]) {
      wrong.xs.push(row[0] as number);
      wrong.ys.push(row[1] as number);
    }
  }
  return {
    data: [null, ...classes.map((c) => [c.xs, c.ys]), [wrong.xs, wrong.ys]] as unknown as uPlot.AlignedData,
    numClasses,
    counts: classes.map((c) => c.xs.length),
    points: x.length,
    wrong: wrong.xs.length,
  };
}

/** "200 points, 12 misclassified" */
function countLabel(s: Scatter): string {
  return `${s.points} point${s.points === 1 ? '' : 's'}, ${s.wrong} misclassified`;
}

function scatterSummary(s: Scatter, colorBy: 'true' | 'predicted', name: (c: number) => string): string {
  if (s.points === 0) return 'Prediction scatter: no points.';
  const accuracy = 1 - s.wrong / s.points;
  const per = s.counts.map((n, c) => `${name(c)} ${n}`).join(', ');
  return `${countLabel(s)} (accuracy ${fmt(accuracy)}). Points by ${colorBy} class: ${per}.`;
}
