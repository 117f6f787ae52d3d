/**
 * How good a classifier is: `ConfusionMatrix` (a heatmap that is also an accessible table)
 * and `RocCurve` with its AUC. Both take labels and predictions directly, or a model and a
 * Dataset, which they predict once per epoch while a trainer runs (read with `await data()`).
 */
import * as tf from '@tensorflow/tfjs';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Dataset } from '../data/dataset';
import { netOf } from '../runtime/handle';
import { auc as aucOf, confusionMatrix, type MetricArray, type MetricInput, rocCurve } from '../training/metrics';
import type { Trainer } from '../training/trainer';
import {
  type DataInput,
  dataParts,
  endsInProbabilities,
  fmt,
  type ModelInput,
  predictAll,
  useFrameTask,
  VizFrame,
  type VizProps,
  viz,
} from './common';
import { drawAxes, drawLine, plotArea, scale, setupCanvas } from './plot';
import { classColor, classVar, readTheme, sequentialColor, textOn, type VizTheme } from './theme';
import { useStore } from './useStore';

/** Where the labels and predictions of an evaluation view come from. */
export interface EvaluationSource {
  /** True labels: class ids `[n]`, or one-hot rows. */
  yTrue?: MetricInput;
  /** Predictions: probabilities (or logits with `fromLogits`), one column (binary) or one per class. */
  yPred?: MetricInput;
  /** The predictions are logits. Default: false, or with a model, whether it lacks a final Sigmoid/Softmax. */
  fromLogits?: boolean;
  /** Or: a model to predict `data` with… */
  model?: ModelInput;
  /** …the data (a Dataset, or `{ train, val }`)… */
  data?: DataInput;
  /** …which part of `{ train, val }` to evaluate. Default 'val' when there is one. */
  split?: 'train' | 'val';
  /** …re-evaluated after every epoch of this trainer. */
  trainer?: Trainer | null;
  /** Class names for headers and the text alternative. Default: the data's, else "class i". */
  classNames?: readonly string[];
}

interface Evaluation {
  yTrue: MetricInput;
  yPred: MetricInput;
  fromLogits: boolean;
  classNames: readonly string[] | undefined;
  numClasses: number | undefined;
}

/** Labels and predictions: as given, or predicted from a model (once per epoch and rebuild). */
function useEvaluation(src: EvaluationSource): Evaluation | null {
  const net = netOf(src.model);
  const snap = useStore(net);
  // Once per finished epoch and when training stops, not at every step.
  const epochKey = useStore(src.trainer, (t) => `${t.epoch}:${t.status}`);
  const parts = dataParts(src.data);
  const part = (parts.find((p) => p.role === (src.split ?? 'val')) ?? parts[0])?.set ?? null;
  const [predicted, setPredicted] = useState<{ set: Dataset; yTrue: MetricArray; yPred: MetricArray } | null>(null);
  const graph = snap?.graph ?? null;

  const schedule = useFrameTask(async (alive) => {
    if (!net || !part || part.isDisposed || !net.getSnapshot().model) return;
    const pred = tf.tidy(() => predictAll(net, part.x));
    let p: Float32Array;
    let t: Float32Array;
    try {
      [p, t] = (await Promise.all([pred.data(), part.y.data()])) as [Float32Array, Float32Array];
    } finally {
      pred.dispose();
    }
    if (!alive()) return;
    setPredicted({
      set: part,
      yPred: { data: p, shape: pred.shape },
      yTrue: { data: t, shape: part.y.shape },
    });
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-evaluate per finished epoch, rebuild and data change.
  useEffect(schedule, [net, snap?.version, part, epochKey]);

  if (src.yTrue !== undefined && src.yPred !== undefined) {
    return {
      yTrue: src.yTrue,
      yPred: src.yPred,
      fromLogits: src.fromLogits ?? false,
      classNames: src.classNames,
      numClasses: undefined,
    };
  }
  if (!predicted || predicted.set !== part || part.isDisposed) return null;
  return {
    yTrue: predicted.yTrue,
    yPred: predicted.yPred,
    fromLogits: src.fromLogits ?? (graph ? !endsInProbabilities(graph) : false),
    classNames: src.classNames ?? part.classNames,
    numClasses: part.numClasses,
  };
}

function columns(m: MetricInput): number {
  if ('shape' in m && 'data' in m) {
    const shape = (m as MetricArray).shape;
    return shape.length < 2 ? 1 : shape.slice(1).reduce((a, b) => a * b, 1);
  }
  const first = (m as ArrayLike<unknown>)[0];
  return Array.isArray(first) ? first.length : 1;
}

/** Props of {@link ConfusionMatrix}. */
export interface ConfusionMatrixProps extends VizProps, EvaluationSource {
  /** Precomputed counts, `matrix[true][predicted]` (instead of labels and predictions). */
  matrix?: readonly (readonly number[])[];
  /** Number of classes; default from the predictions (or 2 for one column). */
  numClasses?: number;
  /** What the percentages are of: each true class (rows, recall; default), each predicted class (columns, precision) or all. */
  normalize?: 'true' | 'pred' | 'all';
  /** Show counts, percentages or both in the cells. Default 'both'. */
  show?: 'both' | 'counts' | 'normalized';
}

/**
 * Counts of (true class, predicted class) as a heatmap that is a real `<table>`: rows are
 * true classes, columns predicted ones; each cell shows its count and its share of the row
 * (or column, or total), coloured on a viridis/cividis scale.
 * @example <ConfusionMatrix model={model} data={{ train, val }} trainer={trainer} classNames={['outer', 'inner']} />
 * @example <ConfusionMatrix yTrue={[0, 1, 1]} yPred={[0.2, 0.9, 0.4]} />
 */
export function ConfusionMatrix(props: ConfusionMatrixProps) {
  const { normalize = 'true', show = 'both' } = props;
  const ev = useEvaluation(props);
  const ref = useRef<HTMLTableElement>(null);
  const [seq, setSeq] = useState<VizTheme['sequential']>('viridis');
  useLayoutEffect(() => setSeq(readTheme(ref.current).sequential), []);

  let matrix: number[][] | null = props.matrix ? props.matrix.map((r) => [...r]) : null;
  let error: Error | null = null;
  if (!matrix && ev) {
    const cols = columns(ev.yPred);
    const k = props.numClasses ?? ev.numClasses ?? (cols === 1 ? 2 : cols);
    try {
      matrix = confusionMatrix(ev.yTrue, ev.yPred, k, { fromLogits: ev.fromLogits, path: 'ConfusionMatrix' });
    } catch (e) {
      error = e as Error;
    }
  }
  const names = props.classNames ?? ev?.classNames;
  const name = (c: number) => names?.[c] ?? `class ${c}`;
  const total = matrix?.flat().reduce((a, b) => a + b, 0) ?? 0;
  const share = (t: number, p: number): number => {
    const m = matrix as number[][];
    const v = m[t]?.[p] ?? 0;
    const denom =
      normalize === 'all'
        ? total
        : normalize === 'pred'
          ? m.reduce((s, row) => s + (row[p] ?? 0), 0)
          : (m[t] ?? []).reduce((a, b) => a + b, 0);
    return denom > 0 ? v / denom : 0;
  };
  const of = normalize === 'true' ? 'of the true class' : normalize === 'pred' ? 'of the predicted class' : 'of all';

  return (
    <VizFrame
      {...viz(props)}
      kind="confusion-matrix"
      defaultTitle="Confusion matrix"
      error={error}
      message={matrix ? undefined : props.model || props.yTrue ? 'No predictions yet.' : 'No model or predictions yet.'}
      summary={matrix ? matrixSummary(matrix, name) : 'Confusion matrix: no predictions yet.'}
    >
      {matrix ? (
        <div className="rnn-scroll">
          <table ref={ref} className="rnn-table rnn-cm">
            <caption>Rows: true class; columns: predicted class; percentages {of}.</caption>
            <thead>
              <tr>
                <td />
                {matrix.map((_, p) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: classes are positional.
                  <th key={p} scope="col">
                    predicted {name(p)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.map((row, t) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: classes are positional.
                <tr key={t}>
                  <th scope="row">true {name(t)}</th>
                  {row.map((count, p) => {
                    const s = share(t, p);
                    const bg = sequentialColor(seq, s);
                    return (
                      <td
                        // biome-ignore lint/suspicious/noArrayIndexKey: classes are positional.
                        key={p}
                        style={{ background: `rgb(${bg.join(',')})`, color: textOn(bg) }}
                        data-count={count}
                        data-share={s}
                      >
                        {show !== 'normalized' ? count : null}
                        {show === 'both' ? <small>{fmtPct(s)}</small> : show === 'normalized' ? fmtPct(s) : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </VizFrame>
  );
}

function fmtPct(v: number): string {
  return `${(v * 100).toFixed(v === 0 || v === 1 ? 0 : 1)}%`;
}

function matrixSummary(m: number[][], name: (c: number) => string): string {
  const total = m.flat().reduce((a, b) => a + b, 0);
  const correct = m.reduce((s, row, i) => s + (row[i] ?? 0), 0);
  let worst: [number, number, number] | null = null;
  m.forEach((row, t) => {
    row.forEach((v, p) => {
      if (t !== p && v > 0 && (!worst || v > worst[2])) worst = [t, p, v];
    });
  });
  let text = `${total} examples in ${m.length} classes; ${correct} predicted correctly (accuracy ${fmtPct(total ? correct / total : 0)}).`;
  const w = worst as [number, number, number] | null;
  if (w) text += ` Most common error: true ${name(w[0])} predicted as ${name(w[1])}, ${w[2]} times.`;
  return text;
}

/** Props of {@link RocCurve}. */
export interface RocCurveProps extends VizProps, EvaluationSource {
  /** Scores of the positive class (binary) or one column per class (one-vs-rest curves). Same as `yPred`. */
  yScore?: MetricInput;
  /** Canvas size in CSS pixels. Default 320 × 320. */
  width?: number;
  height?: number;
}

interface Curve {
  label: string;
  fpr: number[];
  tpr: number[];
  thresholds: number[];
  auc: number;
  color: number;
}

/**
 * The ROC curve (true-positive rate against false-positive rate over every threshold) with
 * its AUC; one-vs-rest curves per class for multi-class scores. The points are also listed
 * in a table for screen readers.
 * @example <RocCurve yTrue={[0, 0, 1, 1]} yScore={[0.1, 0.4, 0.35, 0.8]} />  // AUC 0.75
 * @example <RocCurve model={model} data={{ train, val }} trainer={trainer} />
 */
export function RocCurve(props: RocCurveProps) {
  const { width = 320 } = props;
  const height = props.height ?? width;
  const ev = useEvaluation({ ...props, yPred: props.yScore ?? props.yPred });
  const canvas = useRef<HTMLCanvasElement>(null);
  const names = props.classNames ?? ev?.classNames;

  const { curves, error } = useMemo((): { curves: Curve[] | null; error: Error | null } => {
    if (!ev) return { curves: null, error: null };
    try {
      return { curves: rocCurves(ev, names), error: null };
    } catch (e) {
      return { curves: null, error: e as Error };
    }
  }, [ev?.yTrue, ev?.yPred, ev?.fromLogits, names, ev]);

  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const theme = readTheme(el);
    const ctx = setupCanvas(el, width, height);
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    const area = plotArea(width, height);
    drawAxes(ctx, area, [0, 1], [0, 1], theme, { xLabel: 'false-positive rate', yLabel: 'true-positive rate' });
    const sx = scale([0, 1], area.left, area.width);
    const sy = scale([0, 1], area.top, area.height, true);
    drawLine(ctx, [0, 1], [0, 1], sx, sy, theme.muted, 1, [4, 4]);
    for (const c of curves ?? []) drawLine(ctx, c.fpr, c.tpr, sx, sy, classColor(theme, c.color), 2);
  });

  const main = curves?.length === 1 ? curves[0] : null;
  const macro = curves && curves.length > 1 ? mean(curves.map((c) => c.auc)) : null;
  return (
    <VizFrame
      {...viz(props)}
      kind="roc-curve"
      defaultTitle="ROC curve"
      error={error}
      message={curves || error ? undefined : 'No predictions yet.'}
      summary={rocSummary(curves)}
      attrs={{ 'data-auc': main ? main.auc : (macro ?? undefined) }}
    >
      <div aria-hidden="true">
        <canvas ref={canvas} className="rnn-canvas" width={width} height={height} />
      </div>
      {curves ? (
        <ul className="rnn-legend">
          {curves.map((c) => (
            <li key={c.label}>
              <span className="rnn-swatch" style={{ background: classVar(c.color) }} aria-hidden="true" />
              {curves.length > 1 ? `${c.label}: ` : ''}AUC {c.auc.toFixed(3)}
            </li>
          ))}
          {macro !== null ? <li>macro AUC {macro.toFixed(3)}</li> : null}
        </ul>
      ) : null}
      {curves ? (
        <details>
          <summary>Curve points</summary>
          {curves.map((c) => (
            <table key={c.label} className="rnn-table">
              <caption>{c.label}: threshold, false-positive rate, true-positive rate</caption>
              <thead>
                <tr>
                  <th scope="col">threshold</th>
                  <th scope="col">FPR</th>
                  <th scope="col">TPR</th>
                </tr>
              </thead>
              <tbody>
                {thinIndices(c.fpr.length, 100).map((i) => (
                  <tr key={i}>
                    <td>{fmt(c.thresholds[i])}</td>
                    <td>{fmt(c.fpr[i])}</td>
                    <td>{fmt(c.tpr[i])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </details>
      ) : null}
    </VizFrame>
  );
}

function rocCurves(ev: Evaluation, names: readonly string[] | undefined): Curve[] {
  const cols = columns(ev.yPred);
  if (cols <= 2) {
    const c = rocCurve(ev.yTrue, ev.yPred, { fromLogits: ev.fromLogits, path: 'RocCurve' });
    const a = aucOf(ev.yTrue, ev.yPred, { fromLogits: ev.fromLogits, task: 'binary', path: 'RocCurve' });
    return [{ label: names?.[1] ?? 'positive class', ...c, auc: a, color: 0 }];
  }
  // One-vs-rest on softmax probabilities, as the multiclass AUC.
  const { data, rows } = asRows(ev.yPred, cols);
  const probs = ev.fromLogits ? softmaxRows(data, rows, cols) : data;
  const truth = classIds(ev.yTrue, rows, cols);
  return Array.from({ length: cols }, (_, c) => {
    const bits = Array.from(truth, (t) => (t === c ? 1 : 0));
    const scores = Array.from({ length: rows }, (_, i) => probs[i * cols + c] as number);
    const curve = rocCurve(bits, scores, { path: 'RocCurve' });
    return { label: names?.[c] ?? `class ${c}`, ...curve, auc: aucOf(bits, scores, { task: 'binary' }), color: c };
  }).filter((c) => !Number.isNaN(c.auc));
}

function asRows(m: MetricInput, cols: number): { data: ArrayLike<number>; rows: number } {
  if ('shape' in m && 'data' in m)
    return { data: (m as MetricArray).data, rows: (m as MetricArray).data.length / cols };
  const rows = m as readonly (readonly number[])[];
  return { data: rows.flat(), rows: rows.length };
}

function classIds(yTrue: MetricInput, rows: number, cols: number): Int32Array {
  const { data } = asRows(yTrue, columns(yTrue));
  const width = data.length / rows;
  return Int32Array.from({ length: rows }, (_, i) => {
    if (width === 1) return data[i] as number;
    let best = 0;
    for (let c = 1; c < Math.min(width, cols); c++)
      if ((data[i * width + c] as number) > (data[i * width + best] as number)) best = c;
    return best;
  });
}

function softmaxRows(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, data[i * cols + c] as number);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += out[i * cols + c] = Math.exp((data[i * cols + c] as number) - max);
    for (let c = 0; c < cols; c++) out[i * cols + c] = (out[i * cols + c] as number) / sum;
  }
  return out;
}

function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

/** At most `max` indices spread over 0..n-1, always including the ends. */
function thinIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return [...new Set(Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1))))];
}

function rocSummary(curves: Curve[] | null): string {
  if (!curves) return 'ROC curve: no predictions yet.';
  if (curves.length === 1) {
    const c = curves[0] as Curve;
    return `ROC curve with AUC ${c.auc.toFixed(3)} over ${c.fpr.length} thresholds (0.5 is chance, 1 is perfect).`;
  }
  const each = curves.map((c) => `${c.label} ${c.auc.toFixed(3)}`).join(', ');
  return `One-vs-rest ROC curves; AUC per class: ${each}; macro AUC ${mean(curves.map((c) => c.auc)).toFixed(3)}.`;
}
