/**
 * The parameters themselves: `WeightHistogram` (the distribution of each layer's weights,
 * live while training) and `ParamsView` (every weight and bias of a small model as numbers,
 * in PyTorch's orientation). Weights are copied on the device and read back in one async
 * `data()` per redraw, at most once per animation frame.
 */
import * as tf from '@tensorflow/tfjs';
import { useLayoutEffect, useRef, useState } from 'react';
import type { AnalyzedGraph } from '../graph/types';
import { netOf } from '../runtime/handle';
import type { Trainer } from '../training/trainer';
import { fmt, fmtInt, type ModelInput, useFrameTask, useRedrawOn, VizFrame, type VizProps, viz } from './common';
import { drawAxes, plotArea, scale, setupCanvas } from './plot';
import { readTheme } from './theme';
import { useStore } from './useStore';

/** One parameter tensor of a layer, read back. */
export interface ParamValues {
  /** `weight`, `bias`, or the tfjs name for others (`gamma`, `moving_mean`, `alpha`…). */
  role: string;
  /** tfjs shape (a Linear kernel is `[in, out]`, PyTorch's weight transposed). */
  shape: number[];
  values: Float32Array;
}

/** A layer's parameters, by the layer's path. */
export interface LayerParams {
  path: string;
  type: string;
  params: ParamValues[];
}

/** Which graph node a tfjs layer belongs to: its name is the node's id (plus `.suffix` for helper layers). */
function nodeIndex(graph: AnalyzedGraph): Map<string, { path: string; type: string }> {
  const map = new Map<string, { path: string; type: string }>();
  const walk = (n: AnalyzedGraph['root']) => {
    map.set(n.id, { path: n.path, type: n.node.type });
    n.children.forEach(walk);
  };
  walk(graph.root);
  return map;
}

function roleOf(name: string): string {
  const last = name.split('/').at(-1) ?? name;
  const bare = last.replace(/_\d+$/, '');
  return bare === 'kernel' ? 'weight' : bare;
}

/**
 * Reads the parameters of every layer (or those `keep` selects) with ONE device copy and one
 * async readback; the copy is disposed before this resolves.
 */
export async function readParams(
  model: tf.LayersModel,
  graph: AnalyzedGraph,
  keep: (layer: { path: string; type: string; role: string }) => boolean = () => true,
): Promise<LayerParams[]> {
  const index = nodeIndex(graph);
  const layers: LayerParams[] = [];
  const vars: tf.Tensor[] = [];
  for (const layer of model.layers) {
    const node = index.get(layer.name.split('.')[0] as string);
    if (!node) continue;
    let entry = layers.find((l) => l.path === node.path);
    for (const w of layer.weights) {
      const role = roleOf(w.originalName ?? w.name);
      if (!keep({ ...node, role })) continue;
      if (!entry) {
        entry = { path: node.path, type: node.type, params: [] };
        layers.push(entry);
      }
      entry.params.push({ role, shape: [...w.shape] as number[], values: new Float32Array(0) });
      vars.push(w.read());
    }
  }
  if (vars.length === 0) return layers;
  const all = tf.tidy(() => tf.concat(vars.map((v) => v.reshape([-1]))));
  let values: Float32Array;
  try {
    values = (await all.data()) as Float32Array;
  } finally {
    all.dispose();
  }
  let offset = 0;
  for (const l of layers) {
    for (const p of l.params) {
      const size = p.shape.reduce((a, b) => a * b, 1);
      p.values = values.slice(offset, offset + size);
      offset += size;
    }
  }
  return layers;
}

/** Props of {@link WeightHistogram}. */
export interface WeightHistogramProps extends VizProps {
  /** A `useModel()` handle or `renderModel()` result; null renders an empty state. */
  model: ModelInput;
  /** Redraw while this trainer trains (at most once per animation frame). */
  trainer?: Trainer | null;
  /** Only this layer: its path (`Sequential > Linear[0]`). Default: every layer with weights. */
  layer?: string;
  /** 'weights' (kernels only, default) or 'all' parameters (biases, BatchNorm's gamma/beta…). */
  include?: 'weights' | 'all';
  /** Number of bins. Default 30. */
  bins?: number;
  /** Size of each layer's histogram in CSS pixels. Default 240 × 120. */
  width?: number;
  height?: number;
}

interface Histogram {
  path: string;
  counts: number[];
  lo: number;
  hi: number;
  n: number;
  mean: number;
  std: number;
}

/**
 * The distribution of each layer's weights as a histogram, updated live while training:
 * watch them spread from their initialisation, or collapse with too much weight decay.
 * The x range only grows (per model), so movements stay visible.
 * @example <WeightHistogram model={model} trainer={trainer} />
 */
export function WeightHistogram(props: WeightHistogramProps) {
  const { bins = 30, width = 240, height = 120, include = 'weights' } = props;
  const net = netOf(props.model);
  const snap = useStore(net);
  const [hists, setHists] = useState<Histogram[] | null>(null);
  const ranges = useRef<{ version: number; byPath: Map<string, number> }>({ version: -1, byPath: new Map() });

  const schedule = useFrameTask(async (alive) => {
    const s = net?.getSnapshot();
    if (!s?.model || !s.graph) return;
    const layers = await readParams(
      s.model,
      s.graph,
      (l) => (props.layer === undefined || l.path === props.layer) && (include === 'all' || l.role === 'weight'),
    );
    if (!alive()) return;
    if (ranges.current.version !== s.version) ranges.current = { version: s.version, byPath: new Map() };
    setHists(
      layers.map((l) => {
        let values = l.params[0]?.values ?? new Float32Array(0);
        if (l.params.length > 1) {
          values = new Float32Array(l.params.reduce((a, p) => a + p.values.length, 0));
          let o = 0;
          for (const p of l.params) {
            values.set(p.values, o);
            o += p.values.length;
          }
        }
        let max = ranges.current.byPath.get(l.path) ?? 0;
        for (const v of values) max = Math.max(max, Math.abs(v));
        max = max || 1;
        ranges.current.byPath.set(l.path, max);
        return histogram(l.path, values, -max, max, bins);
      }),
    );
  });
  useRedrawOn(schedule, net, props.trainer ?? null);

  const canvases = useRef(new Map<string, HTMLCanvasElement>());
  useLayoutEffect(() => {
    for (const h of hists ?? []) {
      const el = canvases.current.get(h.path);
      if (!el) continue;
      const theme = readTheme(el);
      const ctx = setupCanvas(el, width, height);
      if (!ctx) continue;
      ctx.clearRect(0, 0, width, height);
      const area = plotArea(width, height, { left: 36, bottom: 22 });
      const top = Math.max(1, ...h.counts);
      drawAxes(ctx, area, [h.lo, h.hi], [0, top], theme);
      const sx = scale([h.lo, h.hi], area.left, area.width);
      const sy = scale([0, top], area.top, area.height, true);
      const step = (h.hi - h.lo) / h.counts.length;
      ctx.fillStyle = theme.train;
      h.counts.forEach((c, i) => {
        if (c === 0) return;
        const x0 = sx(h.lo + i * step);
        const x1 = sx(h.lo + (i + 1) * step);
        ctx.fillRect(x0 + 0.5, sy(c), Math.max(1, x1 - x0 - 1), sy(0) - sy(c));
      });
    }
  });

  const what = include === 'all' ? 'parameters' : 'weights';
  const summary = hists
    ? hists.length === 0
      ? `The model has no ${what} to show.`
      : hists
          .map((h) => `${h.path}: ${fmtInt(h.n)} ${what}, mean ${fmt(h.mean)}, standard deviation ${fmt(h.std)}`)
          .join('; ')
    : 'Weight histogram: no model yet.';
  return (
    <VizFrame
      {...viz(props)}
      kind="weight-histogram"
      defaultTitle="Weight histogram"
      message={!net ? 'No model yet.' : !snap?.model ? 'Waiting for the model…' : undefined}
      summary={summary}
    >
      <div className="rnn-cards" style={{ ['--rnn-card' as string]: `${width}px` }} aria-hidden="true">
        {hists?.map((h) => (
          <figure key={h.path}>
            <canvas
              ref={(el) => {
                if (el) canvases.current.set(h.path, el);
                else canvases.current.delete(h.path);
              }}
              width={width}
              height={height}
              style={{ imageRendering: 'auto', border: 0 }}
            />
            <figcaption>
              {h.path} · σ {fmt(h.std)}
            </figcaption>
          </figure>
        ))}
      </div>
    </VizFrame>
  );
}

function histogram(path: string, values: Float32Array, lo: number, hi: number, bins: number): Histogram {
  const counts = new Array<number>(bins).fill(0);
  let sum = 0;
  for (const v of values) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    counts[i] = (counts[i] as number) + 1;
    sum += v;
  }
  const n = values.length;
  const mean = n ? sum / n : Number.NaN;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { path, counts, lo, hi, n, mean, std: n ? Math.sqrt(sq / n) : Number.NaN };
}

/** Props of {@link ParamsView}. */
export interface ParamsViewProps extends VizProps {
  /** A small model: a `useModel()` handle or `renderModel()` result; null renders an empty state. */
  model: ModelInput;
  /** Refresh while this trainer trains. */
  trainer?: Trainer | null;
  /** Refresh only every this many epochs while training (the course prints every 10). Default 1. */
  everyEpochs?: number;
  /** Significant digits. Default 4. */
  digits?: number;
  /** Tensors with more values show only their shape. Default 64. */
  maxValues?: number;
}

/**
 * Every weight and bias of a small model as numbers, the way PyTorch prints
 * `model.named_parameters()`: a Linear's `weight` is `[out, in]` (tfjs stores it `[in, out]`).
 * @example <ParamsView model={model} trainer={trainer} everyEpochs={10} />
 */
export function ParamsView(props: ParamsViewProps) {
  const { digits = 4, maxValues = 64, everyEpochs = 1 } = props;
  const net = netOf(props.model);
  const snap = useStore(net);
  // Refresh every `everyEpochs` epochs, when training stops, and at each step taken by hand.
  const every = Math.max(1, everyEpochs);
  const refresh = useStore(props.trainer, (t) =>
    t.status === 'running' ? `e${Math.floor(t.epoch / every)}` : `${t.status}:${t.epoch}:${t.step}`,
  );
  const epoch = useStore(props.trainer, (t) => t.epoch);
  const [layers, setLayers] = useState<LayerParams[] | null>(null);
  const schedule = useFrameTask(async (alive) => {
    const s = net?.getSnapshot();
    if (!s?.model || !s.graph) return;
    const read = await readParams(s.model, s.graph);
    if (alive()) setLayers(read);
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: refresh on rebuilds and as `refresh` says.
  useLayoutEffect(schedule, [snap?.version, refresh]);

  const total = layers?.reduce((s, l) => s + l.params.reduce((a, p) => a + p.values.length, 0), 0) ?? 0;
  return (
    <VizFrame
      {...viz(props)}
      kind="params"
      defaultTitle="Parameters"
      message={!net ? 'No model yet.' : !snap?.model ? 'Waiting for the model…' : undefined}
      summary={
        layers
          ? `${layers.length} layers with parameters, ${fmtInt(total)} values${epoch === null ? '' : ` after epoch ${epoch}`}.`
          : 'Parameters: no model yet.'
      }
    >
      {layers?.flatMap((l) =>
        l.params.map((p) => {
          const rows = torchRows(p);
          const dims = torchShape(p).join(' × ');
          return (
            <div key={`${l.path}/${p.role}`} className="rnn-scroll">
              <table className="rnn-table">
                <caption>
                  {l.path} {p.role} [{dims}]
                </caption>
                <tbody>
                  {p.values.length > maxValues ? (
                    <tr>
                      <td className="rnn-left">{fmtInt(p.values.length)} values (more than maxValues)</td>
                    </tr>
                  ) : (
                    rows.map((r, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional.
                      <tr key={i}>
                        {r.map((v, j) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional.
                          <td key={j}>{v.toPrecision(digits)}</td>
                        ))}
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </div>
          );
        }),
      )}
    </VizFrame>
  );
}

/** PyTorch's shape of a parameter: kernels with the output axis first. */
function torchShape(p: ParamValues): number[] {
  if (p.role !== 'weight' || p.shape.length < 2) return p.shape;
  const out = p.shape[p.shape.length - 1] as number;
  if (p.shape.length === 2) return [out, p.shape[0] as number];
  // Conv2d: tfjs [kh, kw, in, out] → PyTorch [out, in, kh, kw].
  return [out, p.shape[2] as number, p.shape[0] as number, p.shape[1] as number];
}

/** Rows to print: one per output unit (PyTorch orientation), or one row for vectors. */
function torchRows(p: ParamValues): number[][] {
  if (p.role !== 'weight' || p.shape.length < 2) return [Array.from(p.values)];
  const out = p.shape[p.shape.length - 1] as number;
  const per = p.values.length / out;
  // tfjs is channels-last: the output index is the fastest-moving one.
  if (p.shape.length !== 4) {
    return Array.from({ length: out }, (_, o) =>
      Array.from({ length: per }, (_, i) => p.values[i * out + o] as number),
    );
  }
  // Conv2d: row o lists PyTorch's weight[o] flattened as (in, kh, kw).
  const [kh, kw, cin] = p.shape as [number, number, number, number];
  return Array.from({ length: out }, (_, o) => {
    const row: number[] = [];
    for (let i = 0; i < cin; i++)
      for (let h = 0; h < kh; h++)
        for (let w = 0; w < kw; w++) row.push(p.values[((h * kw + w) * cin + i) * out + o] as number);
    return row;
  });
}
