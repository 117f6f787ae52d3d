/**
 * Training curves on uPlot: `LossChart` (training vs validation loss per epoch, optionally a
 * thinned per-step curve) and `MetricsChart` (accuracy, F1, … and their validation twins).
 * One uPlot instance lives as long as the component; updates go through `setData` (and
 * `addSeries` when a series such as `val_loss` first appears), never a new plot.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import type { Trainer, TrainerSnapshot } from '../training/trainer';
import { fmt, useWidth, VizFrame, type VizProps, viz } from './common';
import { themedUplot } from './plot';
import { classColor, type VizTheme } from './theme';
import { useUplot } from './uplot';
import { useStore } from './useStore';

/** Per-epoch series by name (`loss`, `val_loss`, `accuracy`, …), as `useMetrics(trainer).history` gives them. */
export type HistoryInput = Readonly<Record<string, readonly number[] | undefined>>;

/** A per-step curve: `epoch[i]` is the (fractional) epoch of step i, e.g. step / stepsPerEpoch. */
export interface StepSeries {
  epoch: ArrayLike<number>;
  loss: ArrayLike<number>;
}

/** Props of {@link LossChart} and {@link MetricsChart}. */
export interface HistoryChartProps extends VizProps {
  /** Per-epoch history (from `useMetrics`). Takes precedence over `trainer`. */
  history?: HistoryInput | null;
  /** A trainer to follow; the chart re-renders at most once per frame while it trains. */
  trainer?: Trainer | null;
  /** Series to draw. LossChart: `['loss', 'val_loss']`; MetricsChart: every metric and its `val_` twin. */
  keys?: readonly string[];
  /** Logarithmic y axis (non-positive values are left out). */
  logScale?: boolean;
  /** A per-step loss curve under the epoch curves, thinned to `maxStepPoints`. */
  steps?: StepSeries | null;
  /** Most points drawn of the per-step curve (bucket means beyond). Default 400. */
  maxStepPoints?: number;
  /** Width in CSS pixels; default: the container's width. */
  width?: number;
  /** Height of the plotting canvas in CSS pixels. Default 220. */
  height?: number;
  /** Called with the uPlot instance once it exists (for custom hooks or tests). */
  onCreate?: (plot: uPlot) => void;
}

const STEP_KEY = '__steps';
const BOUNDED = /* @__PURE__ */ new Set(['accuracy', 'precision', 'recall', 'f1', 'auc']);

/**
 * Training and validation loss per epoch, with a hover read-out (cursor and live legend),
 * an optional log scale and an optional per-step curve.
 * @example
 * const { history } = useMetrics(trainer);
 * <LossChart history={history} logScale />
 * @example <LossChart trainer={trainer} title="Moons MLP" />
 */
export function LossChart(props: HistoryChartProps) {
  return <HistoryChart {...props} kind="loss" />;
}

/**
 * Metrics per epoch (`accuracy`, `f1`, `mae`, …), training solid and validation dashed.
 * @example <MetricsChart trainer={trainer} keys={['accuracy', 'val_accuracy']} />
 */
export function MetricsChart(props: HistoryChartProps) {
  return <HistoryChart {...props} kind="metrics" />;
}

function HistoryChart(props: HistoryChartProps & { kind: 'loss' | 'metrics' }) {
  const { kind, logScale = false, steps = null, maxStepPoints = 400, height = 220, onCreate } = props;
  const followed = useTrainerHistory(props.trainer);
  const history: HistoryInput | null = props.history ?? followed;
  const hasSteps = steps !== null;
  const keys = useMemo(() => {
    const k = seriesKeys(kind, history, props.keys);
    // The step curve goes first, so the epoch curves are drawn over it.
    return hasSteps ? [STEP_KEY, ...k] : k;
  }, [kind, history, props.keys, hasSteps]);
  const data = useMemo(
    () => buildData(history, keys, steps, logScale, maxStepPoints),
    [history, keys, steps, logScale, maxStepPoints],
  );
  const epochs = data.epochs;
  const container = useRef<HTMLDivElement>(null);
  const width = useWidth(container, 400, props.width);
  const plot = useRef<{ u: uPlot; keys: string[]; themed: ReturnType<typeof themedUplot> } | null>(null);
  const { uPlot: UPlot, error } = useUplot(kind === 'loss' ? 'LossChart' : 'MetricsChart');
  const latest = useRef({ data, keys, width, height, onCreate });
  latest.current = { data, keys, width, height, onCreate };

  // One plot per mount (and per log-scale switch); everything else is setData.
  // biome-ignore lint/correctness/useExhaustiveDependencies: hasSteps only decides the series list, read from `latest`.
  useLayoutEffect(() => {
    const el = container.current;
    if (!el || !UPlot) return;
    const themed = themedUplot(() => el);
    const { data: d, keys: k, width: w, height: h } = latest.current;
    const opts: uPlot.Options = {
      width: w,
      height: h,
      scales: {
        x: { time: false, range: (_u, _min, max) => [0, Math.max(1, max ?? 1)] },
        y: logScale
          ? { distr: 3 }
          : {
              // Accuracy-like metrics on [0, 1]; anything else (loss, mae, r2) fitted to the data.
              range: (_u, min, max) => {
                const shown = plot.current?.keys ?? k;
                const bounded =
                  kind === 'metrics' && shown.length > 0 && shown.every((key) => BOUNDED.has(baseOf(key)));
                return bounded ? [0, 1] : UPlot.rangeNum(min, max, 0.1, true);
              },
            },
      },
      axes: themed.axes('epoch', kind === 'loss' ? 'loss' : 'value'),
      legend: { live: true },
      cursor: { points: { size: 6 } },
      series: [{ label: 'epoch', value: (_u, v) => fmt(v) }, ...k.map((key) => seriesFor(kind, key, k, themed.theme))],
      hooks: themed.hooks,
    };
    const u = new UPlot(opts, d.aligned, el);
    plot.current = { u, keys: [...k], themed };
    latest.current.onCreate?.(u);
    return () => {
      plot.current = null;
      u.destroy();
    };
  }, [logScale, kind, hasSteps, UPlot]);

  useLayoutEffect(() => {
    const p = plot.current;
    if (!p) return;
    // A series that appears later (val_loss after the first epoch) is added, not re-created.
    if (p.keys.join('|') !== keys.join('|')) {
      for (let i = p.keys.length - 1; i >= 0; i--) if (!keys.includes(p.keys[i] as string)) p.u.delSeries(i + 1);
      p.keys = p.keys.filter((k) => keys.includes(k));
      keys.forEach((key, i) => {
        if (p.keys[i] === key) return;
        p.u.addSeries(seriesFor(kind, key, keys, p.themed.theme), i + 1);
        p.keys.splice(i, 0, key);
      });
    }
    p.u.setData(data.aligned);
  }, [data, keys, kind]);

  useLayoutEffect(() => {
    plot.current?.u.setSize({ width, height });
  }, [width, height]);

  const empty = epochs === 0 && !hasSteps;
  return (
    <VizFrame
      {...viz(props)}
      kind={kind === 'loss' ? 'loss-chart' : 'metrics-chart'}
      defaultTitle={kind === 'loss' ? 'Loss' : 'Metrics'}
      error={error}
      summary={summarize(kind, history, keys, epochs)}
      message={
        empty ? (props.trainer || props.history ? 'No finished epochs yet.' : 'No training history yet.') : undefined
      }
      attrs={{ 'data-epochs': epochs }}
    >
      <div ref={container} aria-hidden="true" />
    </VizFrame>
  );
}

/**
 * The trainer's history, as the same object until an epoch adds to it: the trainer publishes
 * about once a frame while training (steps count up), but the curves only change per epoch.
 */
function useTrainerHistory(trainer: Trainer | null | undefined): HistoryInput | null {
  return useStore(trainer, historyOf, sameHistory);
}

const historyOf = (s: TrainerSnapshot): HistoryInput => s.history;

/** Equal when every series has the same length and last value (histories only grow, or restart). */
function sameHistory(a: HistoryInput, b: HistoryInput): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => {
    const x = a[k];
    const y = b[k];
    return !!x && !!y && x.length === y.length && Object.is(x.at(-1), y.at(-1));
  });
}

function baseOf(key: string): string {
  return key.startsWith('val_') ? key.slice(4) : key;
}

function seriesKeys(kind: 'loss' | 'metrics', history: HistoryInput | null, keys?: readonly string[]): string[] {
  if (keys) return [...keys];
  const present = Object.keys(history ?? {});
  if (kind === 'loss') return ['loss', ...(present.includes('val_loss') ? ['val_loss'] : [])];
  const bases = present.filter((k) => !k.startsWith('val_') && k !== 'loss' && k !== 'val_loss');
  for (const k of present) {
    const base = baseOf(k);
    if (k.startsWith('val_') && base !== 'loss' && !bases.includes(base)) bases.push(base);
  }
  return bases.flatMap((b) => [b, `val_${b}`].filter((k) => present.includes(k)));
}

/** Human name of a series: `val_loss` → "validation loss". */
export function seriesLabel(key: string): string {
  if (key === STEP_KEY) return 'loss per step';
  return key.startsWith('val_') ? `validation ${key.slice(4)}` : `training ${key}`;
}

function seriesFor(
  kind: 'loss' | 'metrics',
  key: string,
  keys: readonly string[],
  theme: () => VizTheme,
): uPlot.Series {
  const isVal = key.startsWith('val_');
  const bases = [...new Set(keys.filter((k) => k !== STEP_KEY).map(baseOf))];
  const color = () => {
    const t = theme();
    if (key === STEP_KEY || kind === 'loss') return isVal ? t.val : t.train;
    return classColor(t, Math.max(0, bases.indexOf(baseOf(key))));
  };
  return {
    label: seriesLabel(key),
    stroke: color,
    width: key === STEP_KEY ? 1 : 2,
    alpha: key === STEP_KEY ? 0.45 : 1,
    dash: isVal ? [6, 4] : undefined,
    spanGaps: true,
    points: { show: key !== STEP_KEY },
    value: (_u, v) => fmt(v),
  };
}

interface ChartData {
  aligned: uPlot.AlignedData;
  epochs: number;
}

/** x = epoch numbers (1-based), merged with the per-step x values when there is a step curve. */
function buildData(
  history: HistoryInput | null,
  keys: readonly string[],
  steps: StepSeries | null,
  logScale: boolean,
  maxStepPoints: number,
): ChartData {
  const clean = (v: number | undefined) => (v === undefined || !Number.isFinite(v) || (logScale && v <= 0) ? null : v);
  const epochKeys = keys.filter((k) => k !== STEP_KEY);
  const epochs = Math.max(0, ...epochKeys.map((k) => history?.[k]?.length ?? 0));
  if (!steps) {
    const x = Array.from({ length: epochs }, (_, i) => i + 1);
    const ys = epochKeys.map((k) => x.map((_, i) => clean(history?.[k]?.[i])));
    return { aligned: [x, ...ys] as uPlot.AlignedData, epochs };
  }
  const thinned = thin(steps, maxStepPoints);
  // Merge the two x grids; each series is null where it has no point (spanGaps joins them).
  const xs = [...new Set([...thinned.x, ...Array.from({ length: epochs }, (_, i) => i + 1)])].sort((a, b) => a - b);
  const stepAt = new Map(thinned.x.map((x, i) => [x, thinned.y[i] as number]));
  const aligned = [
    xs,
    ...keys.map((k) => {
      if (k === STEP_KEY) return xs.map((x) => clean(stepAt.get(x)));
      const s = history?.[k] ?? [];
      return xs.map((x) => (Number.isInteger(x) && x >= 1 && x <= s.length ? clean(s[x - 1]) : null));
    }),
  ];
  return { aligned: aligned as uPlot.AlignedData, epochs };
}

/** Bucket means down to at most `max` points (keeps the curve's shape, drops the noise). */
function thin(steps: StepSeries, max: number): { x: number[]; y: number[] } {
  const n = Math.min(steps.epoch.length, steps.loss.length);
  const buckets = Math.max(1, Math.min(n, Math.floor(max)));
  const size = n / buckets;
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.max(from + 1, Math.floor((b + 1) * size));
    let sy = 0;
    let count = 0;
    for (let i = from; i < to && i < n; i++) {
      const v = steps.loss[i] as number;
      if (Number.isFinite(v)) {
        sy += v;
        count++;
      }
    }
    x.push(steps.epoch[Math.min(to, n) - 1] as number);
    y.push(count ? sy / count : Number.NaN);
  }
  return { x, y };
}

function summarize(kind: 'loss' | 'metrics', history: HistoryInput | null, keys: readonly string[], epochs: number) {
  const name = kind === 'loss' ? 'Loss' : 'Metrics';
  if (epochs === 0) return `${name} chart: no finished epochs yet.`;
  const parts = keys
    .filter((k) => k !== STEP_KEY)
    .map((k) => {
      const s = history?.[k] ?? [];
      return `${seriesLabel(k)} ${fmt(s[epochs - 1])}`;
    });
  const joined = parts.join(', ');
  let text = `${joined.charAt(0).toUpperCase()}${joined.slice(1)} at epoch ${epochs}.`;
  const watch = kind === 'loss' ? (history?.val_loss?.length ? 'val_loss' : 'loss') : null;
  if (watch && epochs > 1) {
    const s = history?.[watch] ?? [];
    let best = 0;
    s.forEach((v, i) => {
      if (v < (s[best] as number)) best = i;
    });
    text += ` Lowest ${seriesLabel(watch)} ${fmt(s[best])} at epoch ${best + 1}.`;
  }
  return text;
}
