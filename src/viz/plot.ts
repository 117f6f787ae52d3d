/**
 * Small canvas plotting kit for the views uPlot does not fit (heatmaps, scatter plots,
 * curves with their own x per series): crisp canvases at any device pixel ratio, nice
 * ticks, linear scales and axes drawn in the theme's colours. Also the theme-aware base
 * options of the uPlot charts.
 * @internal
 */
import type uPlot from 'uplot';
import { fmt } from './common';
import { readTheme, themeOf, type VizTheme } from './theme';

/** The plotting area inside a canvas, in CSS pixels. */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type Domain = readonly [number, number];

/** Room for tick labels around the plotting area. */
export const MARGIN = { left: 44, right: 10, top: 8, bottom: 30 } as const;

/**
 * Sizes a canvas for the device pixel ratio and returns its 2-D context scaled to CSS
 * pixels. Only resizes (which clears) when the size changed. Null where there is no 2-D canvas
 * (jsdom in component tests): the view then keeps its frame and text alternative, undrawn.
 */
export function setupCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const dpr = typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1;
  const w = Math.round(width * dpr);
  const h = Math.round(height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** The plotting area of a width × height canvas with the default margins. */
export function plotArea(
  width: number,
  height: number,
  margin: Partial<Record<keyof typeof MARGIN, number>> = {},
): PlotArea {
  const m = { ...MARGIN, ...margin };
  return {
    left: m.left,
    top: m.top,
    width: Math.max(1, width - m.left - m.right),
    height: Math.max(1, height - m.top - m.bottom),
  };
}

/** Maps a data value to a pixel along [start, start + length]; `flip` for y (up is larger). */
export function scale(domain: Domain, start: number, length: number, flip = false): (v: number) => number {
  const [d0, d1] = domain;
  const k = d1 === d0 ? 0 : length / (d1 - d0);
  return flip ? (v) => start + length - (v - d0) * k : (v) => start + (v - d0) * k;
}

/** Min and max of finite values, or [0, 1] when there are none. */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Widens a domain by `fraction` of its span on each side (and a zero span to ±0.5). */
export function pad([lo, hi]: Domain, fraction = 0.05): [number, number] {
  const span = hi - lo || Math.abs(lo) || 1;
  return hi - lo === 0 ? [lo - span / 2, hi + span / 2] : [lo - span * fraction, hi + span * fraction];
}

/** About `count` round tick values inside [lo, hi] (1, 2, 5 × 10ⁿ steps). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

export interface AxesOptions {
  xLabel?: string;
  yLabel?: string;
  /** Draw grid lines at the ticks. Default true. */
  grid?: boolean;
}

/** Axes with ticks, labels and an optional grid around `area`. */
export function drawAxes(
  ctx: CanvasRenderingContext2D,
  area: PlotArea,
  x: Domain,
  y: Domain,
  theme: VizTheme,
  options: AxesOptions = {},
): void {
  const sx = scale(x, area.left, area.width);
  const sy = scale(y, area.top, area.height, true);
  ctx.save();
  ctx.font = theme.font;
  ctx.lineWidth = 1;
  ctx.fillStyle = theme.muted;
  ctx.strokeStyle = theme.grid;
  const bottom = area.top + area.height;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of niceTicks(x[0], x[1], Math.max(2, Math.floor(area.width / 70)))) {
    const px = Math.round(sx(t)) + 0.5;
    if (options.grid !== false) line(ctx, px, area.top, px, bottom);
    ctx.fillText(fmt(t), px, bottom + 4);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of niceTicks(y[0], y[1], Math.max(2, Math.floor(area.height / 40)))) {
    const py = Math.round(sy(t)) + 0.5;
    if (options.grid !== false) line(ctx, area.left, py, area.left + area.width, py);
    ctx.fillText(fmt(t), area.left - 4, py);
  }
  ctx.strokeStyle = theme.muted;
  ctx.strokeRect(area.left + 0.5, area.top + 0.5, area.width - 1, area.height - 1);
  if (options.xLabel) {
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText(options.xLabel, area.left + area.width, bottom + 28);
  }
  if (options.yLabel) {
    ctx.translate(10, area.top);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    ctx.fillText(options.yLabel, 0, -10);
  }
  ctx.restore();
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

/** A polyline through (xs[i], ys[i]), skipping non-finite points. */
export function drawLine(
  ctx: CanvasRenderingContext2D,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  sx: (v: number) => number,
  sy: (v: number) => number,
  stroke: string,
  width = 2,
  dash: number[] = [],
): void {
  ctx.save();
  ctx.strokeStyle = stroke;
  ctx.lineWidth = width;
  ctx.lineJoin = 'round';
  ctx.setLineDash(dash);
  ctx.beginPath();
  let open = false;
  for (let i = 0; i < xs.length; i++) {
    const xv = xs[i] as number;
    const yv = ys[i] as number;
    if (!Number.isFinite(xv) || !Number.isFinite(yv)) {
      open = false;
      continue;
    }
    if (open) ctx.lineTo(sx(xv), sy(yv));
    else ctx.moveTo(sx(xv), sy(yv));
    open = true;
  }
  ctx.stroke();
  ctx.restore();
}

/** A marker: a filled disc (`filled`) or a ring, outlined so it reads on any background. */
export function drawPoint(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  r: number,
  color: string,
  outline: string,
  filled = true,
): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  if (filled) {
    ctx.fillStyle = color;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = outline;
    ctx.stroke();
  } else {
    ctx.lineWidth = 2;
    ctx.strokeStyle = color;
    ctx.stroke();
  }
}

/**
 * Base uPlot options whose colours follow the theme of `el` at every redraw, so a switch
 * to dark mode needs no new plot.
 */
export function themedUplot(el: () => Element | null): {
  theme: () => VizTheme;
  axes: (xLabel: string, yLabel: string) => uPlot.Axis[];
  hooks: uPlot.Hooks.Arrays;
} {
  let current = readTheme(el());
  const theme = () => current;
  const axis = (label: string): uPlot.Axis => ({
    label,
    stroke: () => current.muted,
    grid: { stroke: () => current.grid, width: 1 },
    ticks: { stroke: () => current.grid, width: 1 },
    font: current.font,
    labelFont: current.font,
    labelSize: 16,
  });
  return {
    theme,
    axes: (xLabel, yLabel) => [axis(xLabel), { ...axis(yLabel), size: 52 }],
    hooks: {
      drawClear: [
        () => {
          current = themeOf(el());
        },
      ],
    },
  };
}
