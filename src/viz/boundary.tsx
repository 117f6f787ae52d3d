/**
 * The model over its input space: `DecisionBoundary` (2 inputs: class-coloured heatmap of
 * the prediction with the data on top) and `FitPlot` (1-D regression: the data and the
 * model's curve; or true vs predicted). Canvas based; each redraw is one batched predict,
 * read with `await data()`, at most once per animation frame.
 */
import * as tf from '@tensorflow/tfjs';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ReactNNError } from '../errors';
import { netOf } from '../runtime/handle';
import type { Trainer } from '../training/trainer';
import {
  checkInputs,
  type DataInput,
  endsInProbabilities,
  fmt,
  fmtShape,
  type ModelInput,
  type PointSet,
  predictAll,
  useFrameTask,
  usePoints,
  useRedrawOn,
  useReportError,
  VizFrame,
  type VizProps,
  viz,
} from './common';
import { type Domain, drawAxes, drawLine, drawPoint, extent, pad, plotArea, scale, setupCanvas } from './plot';
import { classColor, classVar, mix, parseColor, type RGB, themeOf } from './theme';
import { useStore } from './useStore';

/** Props of {@link DecisionBoundary}. */
export interface DecisionBoundaryProps extends VizProps {
  /** A 2-input classifier: a `useModel()` handle or `renderModel()` result; null renders an empty state. */
  model: ModelInput;
  /** Points to draw: a Dataset, or `{ train, val }` (validation points are drawn as rings). */
  data?: DataInput;
  /** Redraw while this trainer trains (at most once per animation frame). */
  trainer?: Trainer | null;
  /** Grid cells per side of the heatmap. Default 50. */
  resolution?: number;
  /** Plotted range; default the data's range plus 10 %, or [−1, 1]² without data. */
  domain?: { x: Domain; y: Domain };
  /** Canvas size in CSS pixels. Default 320 × 320. */
  width?: number;
  height?: number;
  /** How to read the output: 'auto' (probabilities after a final Sigmoid/Softmax, else logits). */
  output?: 'auto' | 'probabilities' | 'logits';
  /** Strongest shading of the most confident cells, 0–1. Default 0.8. */
  shading?: number;
  showPoints?: boolean;
  /** Names of the classes, for the legend and the text alternative. Default: the data's classNames. */
  classNames?: readonly string[];
  xLabel?: string;
  yLabel?: string;
  /** Called once per new error (a model that does not take 2 inputs, …); the error is also shown. */
  onError?: (error: ReactNNError) => void;
}

interface Heat {
  image: HTMLCanvasElement;
  /** Share of the area per class. */
  areas: number[];
  /** Heatmaps drawn so far by this component. */
  count: number;
  /** The range the grid covered. */
  domain: { x: Domain; y: Domain };
  /** The point sets predicted with the grid: size and share classified correctly. */
  sets: { role: 'train' | 'val'; n: number; accuracy: number }[];
  classes: number;
}

/**
 * A classifier's decision regions over a 2-D input space: each cell coloured by its
 * predicted class and shaded by confidence (binary: the probability; multi-class: the
 * softmax probability of the winner), with the data points on top — training points filled,
 * validation points as rings. A model that does not take 2 inputs gets a message (and a
 * `ReactNNError` through `onError`) instead of a picture.
 * @example
 * <DecisionBoundary model={model} data={data} trainer={trainer} />
 */
export function DecisionBoundary(props: DecisionBoundaryProps) {
  const { resolution = 50, width = 320, shading = 0.8, showPoints = true, output = 'auto' } = props;
  const height = props.height ?? width;
  const net = netOf(props.model);
  const snap = useStore(net);
  const points = usePoints(props.data);
  const error = useMemo(() => checkInputs('DecisionBoundary', 2, snap?.graph ?? null, points), [snap?.graph, points]);
  useReportError(error, props.onError);

  const domain = useMemo(() => props.domain ?? domainOf(points), [props.domain, points]);
  const pointRows = useMemo(() => points?.map((p) => Float32Array.from(p.x.flat())), [points]);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [heat, setHeat] = useState<Heat | null>(null);
  const area = plotArea(width, height);

  const schedule = useFrameTask(async (alive) => {
    const model = net?.getSnapshot();
    const el = canvas.current;
    if (!net || !model?.model || !model.graph || error || !el) return;
    const n = resolution;
    const [x0, x1] = domain.x;
    const [y0, y1] = domain.y;
    const grid = new Float32Array(n * n * 2);
    for (let r = 0; r < n; r++) {
      const y = y1 - ((r + 0.5) / n) * (y1 - y0);
      for (let c = 0; c < n; c++) {
        grid[(r * n + c) * 2] = x0 + ((c + 0.5) / n) * (x1 - x0);
        grid[(r * n + c) * 2 + 1] = y;
      }
    }
    const pts = points ?? [];
    const flat = [grid, ...(pointRows ?? [])];
    const rows = flat.reduce((s, a) => s + a.length / 2, 0);
    const logits = output === 'logits' || (output === 'auto' && !endsInProbabilities(model.graph));
    // One batched predict: the grid and every data point together.
    const probs = tf.tidy(() => {
      const x = tf.tensor2d(concat(flat), [rows, 2]);
      const y = predictAll(net, x).reshape([rows, -1]);
      if (!logits) return y;
      return y.shape[1] === 1 ? tf.sigmoid(y) : tf.softmax(y);
    });
    let values: Float32Array;
    try {
      values = (await probs.data()) as Float32Array;
    } finally {
      probs.dispose();
    }
    if (!alive()) return;
    const cols = values.length / rows;
    const theme = themeOf(el);
    const classes = cols === 1 ? 2 : cols;
    const bg = parseColor(theme.bg);
    const palette = Array.from({ length: classes }, (_, i) => parseColor(classColor(theme, i)));
    const image = document.createElement('canvas');
    image.width = n;
    image.height = n;
    const ictx = image.getContext('2d');
    if (!ictx) return;
    const pixels = ictx.createImageData(n, n);
    const areas = new Array<number>(classes).fill(0);
    for (let i = 0; i < n * n; i++) {
      const { cls, conf } = decide(values, i, cols);
      areas[cls] = (areas[cls] as number) + 1 / (n * n);
      const rgb = mix(bg, palette[cls] as RGB, 0.12 + (shading - 0.12) * conf);
      pixels.data.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
    }
    ictx.putImageData(pixels, 0, 0);
    let offset = n * n;
    const sets = pts.map((p) => {
      let hits = 0;
      p.x.forEach((_, i) => {
        if (decide(values, offset + i, cols).cls === labelOf(p, i)) hits++;
      });
      offset += p.x.length;
      return { role: p.role, n: p.x.length, accuracy: p.x.length ? hits / p.x.length : Number.NaN };
    });
    setHeat((prev) => ({ image, areas, sets, classes, domain, count: (prev?.count ?? 0) + 1 }));
  });
  useRedrawOn(schedule, net, props.trainer ?? null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new grid, data or look needs a new picture.
  useEffect(schedule, [domain, resolution, points, shading, output, error]);

  // Compose heatmap, axes and points: cheap, so it runs whenever any of them changes.
  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const theme = themeOf(el);
    const ctx = setupCanvas(el, width, height);
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    const sx = scale(domain.x, area.left, area.width);
    const sy = scale(domain.y, area.top, area.height, true);
    if (heat && !error) {
      // Where the heatmap's own range lies now (the range may have changed since it was predicted).
      const [hx0, hx1] = heat.domain.x;
      const [hy0, hy1] = heat.domain.y;
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.width, area.height);
      ctx.clip();
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(heat.image, sx(hx0), sy(hy1), sx(hx1) - sx(hx0), sy(hy0) - sy(hy1));
      ctx.restore();
    }
    drawAxes(ctx, area, domain.x, domain.y, theme, { grid: false, xLabel: props.xLabel, yLabel: props.yLabel });
    if (!showPoints || !points || error) return;
    for (const p of points) {
      p.x.forEach((row, i) => {
        const color = classColor(theme, Math.max(0, labelOf(p, i)));
        drawPoint(ctx, sx(row[0] as number), sy(row[1] as number), 3, color, theme.fg, p.role === 'train');
      });
    }
  });

  const classNames = props.classNames ?? points?.find((p) => p.classNames)?.classNames ?? null;
  const name = (c: number) => classNames?.[c] ?? `class ${c}`;
  const message = !net ? 'No model yet.' : !snap?.model && !error ? 'Waiting for the model…' : undefined;
  return (
    <VizFrame
      {...viz(props)}
      kind="decision-boundary"
      defaultTitle="Decision boundary"
      attrs={{ 'data-draws': heat?.count ?? 0 }}
      error={error}
      message={message}
      summary={boundarySummary(heat, domain, name)}
    >
      <div aria-hidden="true">
        <canvas ref={canvas} className="rnn-canvas" width={width} height={height} />
      </div>
      {heat && !error ? (
        <ul className="rnn-legend" aria-hidden="true">
          {Array.from({ length: heat.classes }, (_, c) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: classes are positional.
            <li key={c}>
              <span className="rnn-swatch" style={{ background: classVar(c) }} />
              {name(c)}
            </li>
          ))}
          {points?.some((p) => p.role === 'val') ? (
            <li>
              <span className="rnn-swatch rnn-hollow" /> validation
            </li>
          ) : null}
        </ul>
      ) : null}
    </VizFrame>
  );
}

/** Props of {@link FitPlot}. */
export interface FitPlotProps extends VizProps {
  /** A regression model: a `useModel()` handle or `renderModel()` result; null renders an empty state. */
  model: ModelInput;
  /** The data: a Dataset, or `{ train, val }` (validation points drawn as rings). */
  data?: DataInput;
  /** Redraw while this trainer trains (at most once per animation frame). */
  trainer?: Trainer | null;
  /**
   * 'fit': the data and the model's curve over x (models with one input); 'truePred': predicted
   * against true values with the y = x line (any model). Default: 'fit' for one input, else 'truePred'.
   */
  variant?: 'fit' | 'truePred';
  /** Points on the model's curve. Default 200. */
  samples?: number;
  /** x range of the curve; default the data's range plus 5 %, or [−1, 1]. */
  domain?: Domain;
  /** Which output column to plot. Default 0. */
  outputIndex?: number;
  /** Canvas size in CSS pixels. Default 360 × 260. */
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** Called once per new error (a model with the wrong input for the variant, …); also shown. */
  onError?: (error: ReactNNError) => void;
}

interface Fit {
  curve: { x: Float32Array; y: Float32Array } | null;
  /** The point sets predicted with the curve: x (first feature), true and predicted values. */
  sets: { role: 'train' | 'val'; x: number[]; truth: number[]; predicted: number[] }[];
}

/**
 * A regression model against its data: the data points and the model's curve for one
 * input (the course's house-price line), or predicted against true values for any model.
 * @example <FitPlot model={model} data={datasets.housePrices()} trainer={trainer} xLabel="m²" yLabel="price" />
 * @example <FitPlot model={model} data={{ train, val }} variant="truePred" />
 */
export function FitPlot(props: FitPlotProps) {
  const { samples = 200, width = 360, height = 260, outputIndex = 0 } = props;
  const net = netOf(props.model);
  const snap = useStore(net);
  const points = usePoints(props.data);
  const graph = snap?.graph ?? null;
  const variant =
    props.variant ?? (graph && !(graph.inputShape.length === 1 && graph.inputShape[0] === 1) ? 'truePred' : 'fit');
  const error = useMemo(() => {
    if (variant === 'fit') return checkInputs('FitPlot', 1, graph, points);
    if (graph && graph.outputShape.length !== 1) {
      return new ReactNNError(
        'shape',
        'FitPlot',
        `needs one output vector per example but the model outputs ${fmtShape(graph.outputShape)} — end the model with <Flatten /> and <Linear>`,
      );
    }
    return null;
  }, [variant, graph, points]);
  useReportError(error, props.onError);
  const xDomain = useMemo<Domain>(
    () =>
      props.domain ??
      (points?.length ? pad(extent(points.flatMap((p) => p.x.map((r) => r[0] as number))), 0.05) : [-1, 1]),
    [props.domain, points],
  );
  const canvas = useRef<HTMLCanvasElement>(null);
  const [fit, setFit] = useState<Fit | null>(null);

  const schedule = useFrameTask(async (alive) => {
    const model = net?.getSnapshot();
    if (!net || !model?.model || !model.graph || error) return;
    const pts = points ?? [];
    if (variant === 'truePred' && pts.length === 0) return;
    const inShape = model.graph.inputShape;
    const features = inShape.reduce((a, b) => a * b, 1);
    const curveX =
      variant === 'fit'
        ? Float32Array.from({ length: samples }, (_, i) => xDomain[0] + (i / (samples - 1)) * (xDomain[1] - xDomain[0]))
        : new Float32Array(0);
    const parts = [curveX, ...pts.map((p) => Float32Array.from(p.x.flat()))];
    const rows = parts.reduce((s, a) => s + a.length / features, 0);
    // One batched predict: the curve and every data point together.
    const y = tf.tidy(() => predictAll(net, tf.tensor(concat(parts), [rows, ...inShape])).reshape([rows, -1]));
    let values: Float32Array;
    try {
      values = (await y.data()) as Float32Array;
    } finally {
      y.dispose();
    }
    if (!alive()) return;
    const cols = values.length / rows;
    const col = (i: number) => values[i * cols + Math.min(outputIndex, cols - 1)] as number;
    const curve = variant === 'fit' ? { x: curveX, y: Float32Array.from({ length: samples }, (_, i) => col(i)) } : null;
    let offset = curveX.length;
    const sets = pts.map((p) => {
      const predicted = p.x.map((_, i) => col(offset + i));
      offset += p.x.length;
      return { role: p.role, x: p.x.map((r) => r[0] as number), truth: truthOf(p, outputIndex), predicted };
    });
    setFit({ curve, sets });
  });
  useRedrawOn(schedule, net, props.trainer ?? null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new range, data or variant needs a new prediction.
  useEffect(schedule, [xDomain, samples, points, variant, outputIndex, error]);

  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const theme = themeOf(el);
    const ctx = setupCanvas(el, width, height);
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    const area = plotArea(width, height);
    const pts = error ? [] : (points ?? []);
    const ys = [
      ...pts.flatMap((p) => truthOf(p, outputIndex)),
      ...(fit?.curve?.y ?? []),
      ...(fit?.sets.flatMap((s) => s.predicted) ?? []),
    ];
    const yDomain = pad(extent(ys), 0.08);
    const xd = variant === 'fit' ? xDomain : yDomain;
    drawAxes(ctx, area, xd, yDomain, theme, {
      xLabel: props.xLabel ?? (variant === 'fit' ? 'x' : 'true'),
      yLabel: props.yLabel ?? (variant === 'fit' ? 'y' : 'predicted'),
    });
    const sx = scale(xd, area.left, area.width);
    const sy = scale(yDomain, area.top, area.height, true);
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    if (variant === 'truePred') drawLine(ctx, yDomain, yDomain, sx, sy, theme.muted, 1, [4, 4]);
    // The data as given (fit), or as last predicted (true vs predicted).
    const shown =
      variant === 'fit'
        ? pts.map((p) => ({ role: p.role, xs: p.x.map((r) => r[0] as number), ys: truthOf(p, outputIndex) }))
        : (fit?.sets ?? []).map((s) => ({ role: s.role, xs: s.truth, ys: s.predicted }));
    for (const s of shown) {
      const color = s.role === 'train' ? theme.train : theme.val;
      s.xs.forEach((xv, i) => {
        drawPoint(ctx, sx(xv), sy(s.ys[i] as number), 3.5, color, theme.bg, s.role === 'train');
      });
    }
    if (fit?.curve) drawLine(ctx, fit.curve.x, fit.curve.y, sx, sy, theme.fg, 2);
    ctx.restore();
  });

  const message = !net ? 'No model yet.' : !snap?.model && !error ? 'Waiting for the model…' : undefined;
  return (
    <VizFrame
      {...viz(props)}
      kind="fit-plot"
      defaultTitle={variant === 'fit' ? 'Model fit' : 'Predicted vs true'}
      error={error}
      message={message ?? (variant === 'truePred' && !points ? 'No data to compare with.' : undefined)}
      summary={fitSummary(variant, fit, xDomain)}
    >
      <div aria-hidden="true">
        <canvas ref={canvas} className="rnn-canvas" width={width} height={height} />
      </div>
    </VizFrame>
  );
}

function truthOf(p: PointSet, outputIndex: number): number[] {
  return p.y.map((r) => r[Math.min(outputIndex, r.length - 1)] as number);
}

function fitSummary(variant: 'fit' | 'truePred', fit: Fit | null, xDomain: Domain): string {
  const head =
    variant === 'fit'
      ? `Model curve over x from ${fmt(xDomain[0])} to ${fmt(xDomain[1])}`
      : 'Predicted against true values';
  if (!fit) return `${head}: no prediction yet.`;
  const parts = fit.sets.map((p) => {
    const t = p.truth;
    const pr = p.predicted;
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    let se = 0;
    let st = 0;
    t.forEach((v, i) => {
      se += (v - (pr[i] as number)) ** 2;
      st += (v - mean) ** 2;
    });
    const r2 = st > 0 ? 1 - se / st : Number.NaN;
    return `${t.length} ${p.role === 'train' ? 'training' : 'validation'} points: MSE ${fmt(se / t.length)}, R² ${fmt(r2)}`;
  });
  return `${head}${parts.length ? `; ${parts.join('; ')}` : ''}.`;
}

/** Class and confidence (0 at chance, 1 when certain) of prediction row `i`. */
function decide(values: Float32Array, i: number, cols: number): { cls: number; conf: number } {
  if (cols === 1) {
    const p = values[i] as number;
    return { cls: p > 0.5 ? 1 : 0, conf: Math.min(1, Math.abs(2 * p - 1)) };
  }
  let best = 0;
  for (let c = 1; c < cols; c++) if ((values[i * cols + c] as number) > (values[i * cols + best] as number)) best = c;
  const chance = 1 / cols;
  return { cls: best, conf: Math.max(0, ((values[i * cols + best] as number) - chance) / (1 - chance)) };
}

function labelOf(p: PointSet, i: number): number {
  if (p.labels) return p.labels[i] as number;
  const y = p.y[i] ?? [];
  return y.length > 1 ? y.indexOf(Math.max(...y)) : (y[0] ?? 0) > 0.5 ? 1 : 0;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The data's range plus 10 % on each side, or [−1, 1]² without data. */
function domainOf(points: PointSet[] | null): { x: Domain; y: Domain } {
  const rows = points?.flatMap((p) => p.x) ?? [];
  if (rows.length === 0) return { x: [-1, 1], y: [-1, 1] };
  return { x: pad(extent(rows.map((r) => r[0] as number)), 0.1), y: pad(extent(rows.map((r) => r[1] as number)), 0.1) };
}

function boundarySummary(heat: Heat | null, current: { x: Domain; y: Domain }, name: (c: number) => string): string {
  const domain = heat?.domain ?? current;
  const range = `x from ${fmt(domain.x[0])} to ${fmt(domain.x[1])}, y from ${fmt(domain.y[0])} to ${fmt(domain.y[1])}`;
  if (!heat) return `Decision boundary over ${range}: no prediction yet.`;
  const shares = heat.areas.map((a, c) => `${Math.round(a * 100)}% ${name(c)}`).join(', ');
  let text = `Predicted classes over ${range}: ${shares}.`;
  for (const p of heat.sets) {
    const who = p.role === 'train' ? 'training' : 'validation';
    text += ` ${p.n} ${who} point${p.n === 1 ? '' : 's'}, ${Math.round(p.accuracy * 100)}% classified correctly.`;
  }
  return text;
}
