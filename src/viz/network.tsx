/**
 * NetworkView: a fully connected network drawn the way TF Playground draws it — a thumbnail
 * heatmap of every neuron's output over the input plane, links coloured by the weight's sign and
 * as wide as its size (hover for the value, click or Enter to edit it), and the output as a large
 * heatmap with the data on top. Every neuron of every layer comes from ONE batched predict of a
 * probe model that shares the trained layers, and one readback (with the weights), per frame.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type KeyboardEvent,
  type MouseEvent,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { AnalyzedGraph } from '../graph/types';
import { netOf } from '../runtime/handle';
import { yieldToEventLoop } from '../training/notify';
import type { Trainer } from '../training/trainer';
import { type ModelInput, useFrameTask, useRedrawOn, VizFrame, type VizProps, viz } from './common';
import { paintSigned as paint, signedColor, signedPalette } from './heatmap';
import { themeOf, toCss } from './theme';
import { useStore } from './useStore';

/** A point drawn over the output heatmap. */
export interface NetworkPoint {
  x: number;
  y: number;
  /** Sign decides the colour (classes ±1); regression values are shaded. */
  label: number;
  /** Test points are drawn with a dark ring. */
  test?: boolean;
}

/** Props of {@link NetworkView}. */
export interface NetworkViewProps extends VizProps {
  /** A `useModel()` handle or `renderModel()` result of a Sequential of Linear blocks. */
  model: ModelInput;
  /** Redraw while this trainer trains (at most once per frame). */
  trainer?: Trainer | null;
  /**
   * The model's input at the centres of a resolution × resolution grid over the plane, rows from
   * the top-left, one row of input features per cell (`resolution² × inputs` values).
   */
  grid: { values: Float32Array; resolution: number };
  /** Names of the input features (x₁, x₂, sin x₁…), one per input column. */
  inputLabels?: readonly string[];
  /** Data drawn over the output heatmap. */
  points?: readonly NetworkPoint[];
  /** The plane's extent on both axes. Default [−6, 6]. */
  domain?: readonly [number, number];
  /** Show the output as its sign only (two colours). */
  discretize?: boolean;
  /** Thumbnail size in px. Default 36. */
  thumbSize?: number;
  /** Output heatmap size in px. Default 240. */
  outputSize?: number;
  /** Whether links can be clicked to edit their weight. Default true. */
  editable?: boolean;
  /** Called with each new output grid (resolution² values). */
  onOutput?: (values: Float32Array) => void;
  /** A click on the output heatmap, in plane coordinates (for drawing data). */
  onPlaneClick?: (x: number, y: number, shiftKey: boolean) => void;
  /** Called when a weight edit fails or the model cannot be drawn. */
  onError?: (e: Error) => void;
}

/**
 * How a draw slices the grid on a synchronous backend: `sliceMs` of predict per slice (well inside
 * a frame), never fewer than `minRows` rows (below that a predict call's fixed cost dominates).
 * Tests shrink `sliceMs` to force slicing.
 */
export const networkViewTuning = { sliceMs: 8, minRows: 64 };

/** One Linear block of the model: its kernel and the output of its last layer (activation, dropout…). */
interface Block {
  path: string;
  kernel: tf.LayerVariable;
  units: number;
  output: tf.SymbolicTensor;
}

interface Probe {
  model: tf.LayersModel;
  blocks: Block[];
}

/** The Linear blocks of a Sequential model, in order; null when the model is not one. */
export function linearBlocks(model: tf.LayersModel, graph: AnalyzedGraph): Block[] | null {
  const nodes = new Map<string, { path: string; type: string }>();
  const walk = (n: AnalyzedGraph['root']) => {
    nodes.set(n.id, { path: n.path, type: n.node.type });
    n.children.forEach(walk);
  };
  walk(graph.root);
  const blocks: Block[] = [];
  let lastId = '';
  for (const layer of model.layers) {
    const id = layer.name.split('.')[0] as string;
    const node = nodes.get(id);
    if (!node) continue;
    const output = layer.output;
    if (Array.isArray(output)) return null;
    if (node.type === 'Linear' && id !== lastId) {
      const kernel = layer.weights[0];
      if (kernel?.shape.length !== 2) return null;
      blocks.push({ path: node.path, kernel, units: kernel.shape[1] as number, output });
    } else if (blocks.length === 0) {
      return null;
    } else {
      (blocks.at(-1) as Block).output = output;
    }
    lastId = id;
  }
  return blocks.length ? blocks : null;
}

/** What one draw read: every neuron over the grid, and every kernel. */
interface Heat {
  /** Per block: resolution² × units, row-major. */
  outputs: Float32Array[];
  /** Per block: in × out kernel. */
  kernels: { values: Float32Array; rows: number; cols: number; path: string }[];
  count: number;
}

/**
 * A network as TF Playground shows it: neuron heatmaps over the input plane, weighted links
 * (editable), and the output heatmap with the data. The text alternative gives the layer sizes,
 * the output's share of the plane and the accuracy on the points drawn.
 * @example <NetworkView model={model} trainer={trainer} grid={{ values, resolution: 40 }} inputLabels={['x₁', 'x₂']} />
 */
export function NetworkView(props: NetworkViewProps) {
  const { grid, thumbSize = 36, outputSize = 240, editable = true, discretize = false } = props;
  const domain = props.domain ?? ([-6, 6] as const);
  const net = netOf(props.model);
  const snap = useStore(net);
  const inputs = snap?.model ? ((snap.model.inputs[0]?.shape[1] as number) ?? 0) : 0;
  const probe = useMemo<Probe | null>(() => {
    if (!snap?.model || !snap.graph) return null;
    const blocks = linearBlocks(snap.model, snap.graph);
    if (!blocks) return null;
    return { model: tf.model({ inputs: snap.model.inputs, outputs: blocks.map((b) => b.output) }), blocks };
  }, [snap?.model, snap?.graph]);
  const [heat, setHeat] = useState<Heat | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);
  const onOutput = useRef(props.onOutput);
  onOutput.current = props.onOutput;
  const n = grid.resolution;
  const badGrid = inputs > 0 && grid.values.length !== n * n * inputs;
  const shapeError =
    snap?.model && !probe
      ? new Error('NetworkView: the model must be a Sequential of <Linear> blocks (Linear, activation, …)')
      : badGrid
        ? new Error(
            `NetworkView: grid has ${grid.values.length} values; expected ${n}² cells × ${inputs} inputs = ${n * n * inputs}`,
          )
        : null;
  const error = shapeError ?? problem;

  // The probe of the latest render: a draw that yielded between slices stops if the model changed.
  const probeRef = useRef(probe);
  probeRef.current = probe;
  /** Grid rows per predict call, from the last draw: ~`networkViewTuning.sliceMs` each on a synchronous backend (cpu). */
  const sliceRows = useRef(Number.POSITIVE_INFINITY);

  const schedule = useFrameTask(
    async (alive) => {
      if (!probe || badGrid || inputs === 0) return;
      const rows = n * n;
      const x = tf.tensor2d(grid.values, [rows, inputs]);
      // Outputs of each slice of the grid, per block: on a synchronous backend a big net over the
      // whole grid is one long task, so the grid goes through in slices with the page in between.
      const parts: tf.Tensor[][] = [];
      let flat: tf.Tensor;
      try {
        for (let start = 0; start < rows; ) {
          const count = Math.min(rows - start, Math.max(networkViewTuning.minRows, sliceRows.current));
          const t0 = performance.now();
          parts.push(
            tf.tidy(() => {
              const out = probe.model.predict(x.slice([start, 0], [count, inputs]));
              return Array.isArray(out) ? out : [out];
            }),
          );
          const ms = performance.now() - t0;
          sliceRows.current = ms > 0 ? Math.floor((count * networkViewTuning.sliceMs) / ms) : rows;
          start += count;
          if (start < rows) {
            await yieldToEventLoop();
            if (!alive() || probeRef.current !== probe) return;
          }
        }
        flat = tf.tidy(() =>
          tf.concat([
            ...probe.blocks.map((_, b) => tf.concat(parts.map((p) => p[b] as tf.Tensor)).reshape([-1])),
            ...probe.blocks.map((b) => b.kernel.read().reshape([-1])),
          ]),
        );
      } finally {
        x.dispose();
        for (const p of parts) tf.dispose(p);
      }
      let values: Float32Array;
      try {
        values = (await flat.data()) as Float32Array;
      } finally {
        flat.dispose();
      }
      if (!alive()) return;
      let offset = 0;
      const outputs = probe.blocks.map((b) => {
        const size = n * n * b.units;
        const part = values.slice(offset, offset + size);
        offset += size;
        return part;
      });
      const kernels = probe.blocks.map((b) => {
        const [rows, cols] = b.kernel.shape as [number, number];
        const part = values.slice(offset, offset + rows * cols);
        offset += rows * cols;
        return { values: part, rows, cols, path: b.path };
      });
      const last = outputs.at(-1) as Float32Array;
      onOutput.current?.(last);
      setHeat((prev) => ({ outputs, kernels, count: (prev?.count ?? 0) + 1 }));
    },
    setProblem as (e: unknown) => void,
  );
  useRedrawOn(schedule, net, props.trainer ?? null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new model or grid needs a new picture.
  useEffect(schedule, [probe, grid]);
  const onError = props.onError;
  useEffect(() => {
    if (error) onError?.(error);
  }, [error, onError]);

  const sizes = [inputs, ...(heat?.kernels.map((k) => k.cols) ?? probe?.blocks.map((b) => b.units) ?? [])];
  const labels = (i: number) => props.inputLabels?.[i] ?? `input ${i + 1}`;
  /** "Weight x₁ → layer 1 neuron 2": one link's name, as its label, tooltip and editor say it. */
  const linkName = (block: number, from: number, to: number) =>
    `Weight ${block === 0 ? labels(from) : `layer ${block} neuron ${from + 1}`} → ${block + 1 === sizes.length - 1 ? 'output' : `layer ${block + 1} neuron ${to + 1}`}`;
  const layout = layoutOf(sizes, thumbSize);
  const frame = useRef<HTMLElement>(null);
  const thumbs = useRef(new Map<string, HTMLCanvasElement>());
  const outputCanvas = useRef<HTMLCanvasElement>(null);

  // Paint thumbnails and the output after each read (and when discretize or the points change).
  useLayoutEffect(() => {
    const theme = themeOf(frame.current);
    const colors = signedPalette(theme);
    const inputCount = sizes[0] ?? 0;
    for (let j = 0; heat && j < inputCount; j++) {
      const cells = new Float32Array(n * n);
      for (let i = 0; i < n * n; i++) cells[i] = grid.values[i * inputCount + j] as number;
      // Inputs span their own range: scale to [−1, 1] so x₁² shows as much as sin x₁.
      const max = cells.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
      for (let i = 0; i < cells.length; i++) cells[i] = (cells[i] as number) / max;
      paint(thumbs.current.get(`0:${j}`) ?? null, cells, 0, 1, n, colors);
    }
    heat?.outputs.forEach((values, b) => {
      const units = heat.kernels[b]?.cols ?? 1;
      for (let j = 0; j < units; j++) paint(thumbs.current.get(`${b + 1}:${j}`) ?? null, values, j, units, n, colors);
    });
    const el = outputCanvas.current;
    const last = heat?.outputs.at(-1);
    if (!el || !last || !heat) return;
    const image = document.createElement('canvas');
    paint(image, last, 0, heat.kernels.at(-1)?.cols ?? 1, n, colors, discretize);
    const ctx = el.getContext('2d') as CanvasRenderingContext2D;
    el.width = outputSize;
    el.height = outputSize;
    ctx.imageSmoothingEnabled = !discretize;
    ctx.drawImage(image, 0, 0, outputSize, outputSize);
    const [lo, hi] = domain;
    const px = (v: number) => ((v - lo) / (hi - lo)) * outputSize;
    for (const p of props.points ?? []) {
      ctx.beginPath();
      ctx.arc(px(p.x), outputSize - px(p.y), 3, 0, 2 * Math.PI);
      ctx.fillStyle = toCss(signedColor(p.label >= 0 ? 1 : -1, colors.bg, colors.neg, colors.pos));
      ctx.fill();
      ctx.lineWidth = p.test ? 1.5 : 0.8;
      ctx.strokeStyle = p.test ? theme.fg : theme.bg;
      ctx.stroke();
    }
  });

  /** The link under the pointer or focused: its tooltip shows the weight as it is now, live. */
  const [hover, setHover] = useState<{ block: number; idx: number } | null>(null);
  const tooltipId = useId();
  const tip = (() => {
    const k = hover ? heat?.kernels[hover.block] : undefined;
    if (!hover || !k || hover.idx >= k.values.length) return null;
    const from = Math.floor(hover.idx / k.cols);
    const to = hover.idx % k.cols;
    const a = layout.at(hover.block, from);
    const z = layout.at(hover.block + 1, to);
    return {
      left: (a.x + thumbSize + z.x) / 2,
      top: (a.y + z.y) / 2 + thumbSize / 2,
      text: `${linkName(hover.block, from, to)}: ${(k.values[hover.idx] as number).toFixed(3)}`,
    };
  })();
  const [editing, setEditing] = useState<{ block: number; from: number; to: number; value: number } | null>(null);

  const applyEdit = async (value: number) => {
    const target = editing;
    setEditing(null);
    if (!target || !probe || !Number.isFinite(value)) return;
    const kernel = probe.blocks[target.block]?.kernel;
    if (!kernel) return;
    try {
      const current = (await kernel.read().data()) as Float32Array;
      const next = Float32Array.from(current);
      next[target.from * (kernel.shape[1] as number) + target.to] = value;
      const t = tf.tensor(next, kernel.shape as number[]);
      kernel.write(t);
      t.dispose();
      schedule();
    } catch (e) {
      setProblem(e as Error);
    }
  };

  const click = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!props.onPlaneClick) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const [lo, hi] = domain;
    const x = lo + ((e.clientX - rect.left) / rect.width) * (hi - lo);
    const y = hi - ((e.clientY - rect.top) / rect.height) * (hi - lo);
    props.onPlaneClick(x, y, e.shiftKey);
  };

  const summary = networkSummary(sizes, heat, props.points ?? [], n, domain, discretize);
  return (
    <VizFrame
      {...viz(props)}
      kind="network"
      defaultTitle="Network"
      frameRef={frame}
      error={error}
      message={!net ? 'No model yet.' : !snap?.model ? 'Waiting for the model…' : undefined}
      summary={summary}
      attrs={{ 'data-draws': heat?.count ?? 0, 'data-neurons': sizes.reduce((a, b) => a + b, 0) }}
    >
      <div className="rnn-row" style={{ alignItems: 'flex-start', gap: 16 }}>
        <div style={{ position: 'relative', width: layout.width, height: layout.height }}>
          <svg width={layout.width} height={layout.height} style={{ position: 'absolute', inset: 0 }}>
            <title>Links between neurons</title>
            {heat?.kernels.map((k, b) =>
              Array.from({ length: k.rows * k.cols }, (_, idx) => {
                const from = Math.floor(idx / k.cols);
                const to = idx % k.cols;
                const w = k.values[idx] as number;
                const a = layout.at(b, from);
                const z = layout.at(b + 1, to);
                const ax = a.x + thumbSize;
                const mid = (ax + z.x) / 2;
                const name = linkName(b, from, to);
                const open = () => editable && setEditing({ block: b, from, to, value: w });
                const show = () => setHover({ block: b, idx });
                const shown = tip !== null && hover?.block === b && hover.idx === idx;
                return (
                  // biome-ignore lint/a11y/noStaticElementInteractions: an SVG path cannot be a <button>; it takes the role when editable.
                  <path
                    // biome-ignore lint/suspicious/noArrayIndexKey: links are positional.
                    key={`${b}:${idx}`}
                    d={`M${ax},${a.y + thumbSize / 2} C${mid},${a.y + thumbSize / 2} ${mid},${z.y + thumbSize / 2} ${z.x},${z.y + thumbSize / 2}`}
                    fill="none"
                    stroke={w >= 0 ? 'var(--rnn-pos, #E69F00)' : 'var(--rnn-neg, #0072B2)'}
                    strokeWidth={Math.min(8, 0.5 + Math.abs(w) * 3)}
                    strokeOpacity={0.8}
                    className="rnn-link"
                    data-weight={w}
                    role={editable ? 'button' : 'img'}
                    tabIndex={editable ? 0 : undefined}
                    // The name stays put while training (the value changes many times a second, and
                    // rewriting hundreds of labels each redraw cost the page more than the drawing);
                    // the value is in the tooltip, shown on hover and on focus, and described by it.
                    aria-label={editable ? `${name}. Press Enter to edit.` : name}
                    aria-describedby={shown ? tooltipId : undefined}
                    style={{ cursor: editable ? 'pointer' : undefined }}
                    onMouseEnter={show}
                    onMouseLeave={() => setHover(null)}
                    onFocus={show}
                    onBlur={() => setHover(null)}
                    onClick={open}
                    onKeyDown={(e: KeyboardEvent) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        open();
                      }
                    }}
                  />
                );
              }),
            )}
          </svg>
          {sizes.map((count, col) =>
            Array.from({ length: count }, (_, j) => {
              const { x, y } = layout.at(col, j);
              const name = col === 0 ? labels(j) : col === sizes.length - 1 ? 'output' : `layer ${col} neuron ${j + 1}`;
              return (
                <canvas
                  // biome-ignore lint/suspicious/noArrayIndexKey: neurons are positional.
                  key={`${col}:${j}`}
                  ref={(el) => {
                    if (el) thumbs.current.set(`${col}:${j}`, el);
                    else thumbs.current.delete(`${col}:${j}`);
                  }}
                  className="rnn-neuron"
                  data-column={col}
                  title={name}
                  role="img"
                  aria-label={`Heatmap of ${name}`}
                  style={{
                    position: 'absolute',
                    left: x,
                    top: y,
                    width: thumbSize,
                    height: thumbSize,
                    border: '1px solid var(--rnn-grid, #d1d9e0)',
                  }}
                />
              );
            }),
          )}
          {sizes.slice(1).map((count, i) => (
            <span
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional.
              key={i}
              className="rnn-message"
              style={{ position: 'absolute', top: layout.height - 16, left: layout.at(i + 1, 0).x, margin: 0 }}
            >
              {i + 1 === sizes.length - 1 ? 'out' : `${count}`}
            </span>
          ))}
          {tip ? (
            <span
              id={tooltipId}
              role="tooltip"
              className="rnn-tooltip"
              style={{
                position: 'absolute',
                left: tip.left,
                top: tip.top,
                background: 'var(--rnn-bg, #fff)',
                border: '1px solid var(--rnn-grid, #d1d9e0)',
                padding: '2px 4px',
                pointerEvents: 'none',
                whiteSpace: 'nowrap',
              }}
            >
              {tip.text}
            </span>
          ) : null}
        </div>
        <canvas
          ref={outputCanvas}
          className="rnn-output"
          data-discretize={discretize}
          width={outputSize}
          height={outputSize}
          onClick={click}
          role="img"
          aria-label="Output heatmap over the plane, with the data"
          style={{ width: outputSize, height: outputSize, cursor: props.onPlaneClick ? 'crosshair' : undefined }}
        />
      </div>
      {editing ? (
        <form
          className="rnn-row rnn-weight-editor"
          onSubmit={(e) => {
            e.preventDefault();
            const input = e.currentTarget.elements.namedItem('weight') as HTMLInputElement;
            void applyEdit(Number(input.value));
          }}
        >
          <label>
            {linkName(editing.block, editing.from, editing.to)}{' '}
            <input
              name="weight"
              type="number"
              step="any"
              defaultValue={editing.value.toFixed(3)}
              // biome-ignore lint/a11y/noAutofocus: the editor opens on the user's click; typing goes straight in.
              autoFocus
            />
          </label>
          <button type="submit">Set</button>
          <button type="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </form>
      ) : null}
    </VizFrame>
  );
}

/** Where each neuron's thumbnail sits: columns left to right, neurons centred top to bottom. */
function layoutOf(sizes: readonly number[], thumb: number) {
  const gapX = thumb * 2;
  const gapY = thumb * 0.35;
  const tallest = Math.max(1, ...sizes);
  const height = tallest * (thumb + gapY) + 16;
  const width = Math.max(1, sizes.length) * (thumb + gapX) - gapX + 2;
  return {
    width,
    height,
    at(col: number, j: number) {
      const count = sizes[col] ?? 1;
      const top = (height - 16 - count * (thumb + gapY)) / 2;
      return { x: col * (thumb + gapX), y: top + j * (thumb + gapY) };
    },
  };
}

/** The text alternative: sizes, the output's share of the plane, and accuracy on the points. */
function networkSummary(
  sizes: readonly number[],
  heat: Heat | null,
  points: readonly NetworkPoint[],
  n: number,
  domain: readonly [number, number],
  discretize: boolean,
): string {
  const shape = sizes.join('-');
  const last = heat?.outputs.at(-1);
  if (!last) return `Network ${shape}: not drawn yet.`;
  const cols = heat?.kernels.at(-1)?.cols ?? 1;
  let positive = 0;
  for (let i = 0; i < n * n; i++) if ((last[i * cols] as number) >= 0) positive++;
  const share = Math.round((100 * positive) / (n * n));
  const [lo, hi] = domain;
  const cell = (v: number) => Math.min(n - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * n)));
  const at = (p: NetworkPoint) => last[(cell(-p.y + lo + hi) * n + cell(p.x)) * cols] as number;
  const part = (test: boolean) => {
    const ps = points.filter((p) => !!p.test === test);
    if (!ps.length) return '';
    const hits = ps.filter((p) => at(p) >= 0 === p.label >= 0).length;
    return ` ${test ? 'Test' : 'Training'} points on the right side: ${Math.round((100 * hits) / ps.length)}% of ${ps.length}.`;
  };
  return (
    `Network ${shape}, one heatmap per neuron. The output is positive over ${share}% of the plane` +
    `${discretize ? ' (discretized)' : ''}.${part(false)}${part(true)}`
  );
}
