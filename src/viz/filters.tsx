/**
 * `FilterGrid`: what a Conv2d layer learnt — its kernels as small images (blue negative,
 * orange positive) — and what it makes of one input image: the feature maps, computed with
 * a `tf.model` that shares the layers and outputs the convolution.
 */
import * as tf from '@tensorflow/tfjs';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { type Dataset, isDataset } from '../data/dataset';
import { ReactNNError } from '../errors';
import type { AnalyzedGraph, AnalyzedNode } from '../graph/types';
import { netOf } from '../runtime/handle';
import type { Trainer } from '../training/trainer';
import {
  fmt,
  fmtShape,
  type ModelInput,
  useFrameTask,
  useRedrawOn,
  useReportError,
  VizFrame,
  type VizProps,
  viz,
} from './common';
import { mix, parseColor, type RGB, readTheme, sequentialLut } from './theme';
import { useStore } from './useStore';

/** Props of {@link FilterGrid}. */
export interface FilterGridProps extends VizProps {
  /** A model with a Conv2d layer: a `useModel()` handle or `renderModel()` result. */
  model: ModelInput;
  /**
   * The image whose feature maps to show: a tensor `[h, w, c]` or `[1, h, w, c]` (not
   * disposed here), nested arrays `[h][w][c]`, or a Dataset (row `index`). Without one, only
   * the kernels are shown.
   */
  input?: tf.Tensor | number[][][] | Dataset | null;
  /** Row of a Dataset `input`. Default 0. */
  index?: number;
  /** Path of the Conv2d layer (`Sequential > Conv2d[1]`). Default: the first Conv2d. */
  layer?: string;
  /** Redraw while this trainer trains (at most once per animation frame). */
  trainer?: Trainer | null;
  /** Input channel of the kernels to draw when there are neither 1 nor 3. Default 0. */
  inChannel?: number;
  /** Most filters shown. Default 32. */
  maxFilters?: number;
  /** Tile size in CSS pixels. Default 56. */
  size?: number;
  /** Called once per new error (no Conv2d layer, an input of the wrong shape); also shown. */
  onError?: (error: ReactNNError) => void;
}

interface Tiles {
  kernels: ImageData[];
  maps: ImageData[];
  image: ImageData | null;
  kernelShape: number[];
  mapShape: number[];
  range: number;
}

// A tf.model over shared layers must never be disposed: its dispose() would drop the shared
// layers' reference counts and free the real model's weights. It owns no tensors; it goes
// with its model (weakly held).
const probes = /* @__PURE__ */ new WeakMap<tf.LayersModel, Map<string, tf.LayersModel>>();

function probe(model: tf.LayersModel, layerName: string): tf.LayersModel {
  let byLayer = probes.get(model);
  if (!byLayer) {
    byLayer = new Map();
    probes.set(model, byLayer);
  }
  let m = byLayer.get(layerName);
  if (!m) {
    m = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output as tf.SymbolicTensor });
    byLayer.set(layerName, m);
  }
  return m;
}

function findConv(graph: AnalyzedGraph, path: string | undefined): AnalyzedNode | ReactNNError {
  const convs: AnalyzedNode[] = [];
  const walk = (n: AnalyzedNode) => {
    if (n.node.type === 'Conv2d') convs.push(n);
    n.children.forEach(walk);
  };
  walk(graph.root);
  const found = path === undefined ? convs[0] : convs.find((c) => c.path === path);
  if (found) return found;
  return new ReactNNError(
    'structure',
    'FilterGrid',
    convs.length === 0
      ? 'the model has no Conv2d layer, so there are no filters to show'
      : `no Conv2d at "${path}" — the model's Conv2d layers are ${convs.map((c) => `"${c.path}"`).join(', ')}`,
  );
}

/**
 * A Conv2d layer's kernels and its feature maps for one input image.
 * @example <FilterGrid model={model} input={mnistTest} index={0} trainer={trainer} />
 */
export function FilterGrid(props: FilterGridProps) {
  const { maxFilters = 32, size = 56, index = 0, inChannel = 0 } = props;
  const net = netOf(props.model);
  const snap = useStore(net);
  const graph = snap?.graph ?? null;
  const conv = useMemo(() => (graph ? findConv(graph, props.layer) : null), [graph, props.layer]);
  const [tiles, setTiles] = useState<Tiles | null>(null);
  const [runError, setRunError] = useState<ReactNNError | null>(null);
  const error = conv instanceof ReactNNError ? conv : runError;
  useReportError(error, props.onError);
  const input = props.input ?? null;
  const frame = useRef<HTMLElement>(null);

  const schedule = useFrameTask(
    async (alive) => {
      const s = net?.getSnapshot();
      if (!s?.model || !s.graph || !conv || conv instanceof ReactNNError) return;
      const layer = s.model.getLayer(conv.id);
      const kernel = layer.getWeights()[0] as tf.Tensor;
      const x = imageTensor(input, index, s.graph.inputShape);
      const maps = x ? tf.tidy(() => probe(s.model as tf.LayersModel, conv.id).predict(x) as tf.Tensor) : null;
      // A copy, so that training may replace the kernel while it is being read.
      const k = tf.clone(kernel);
      let kv: Float32Array;
      let mv: Float32Array | null;
      let xv: Float32Array | null;
      try {
        [kv, mv, xv] = (await Promise.all([k.data(), maps?.data() ?? null, x?.data() ?? null])) as [
          Float32Array,
          Float32Array | null,
          Float32Array | null,
        ];
      } finally {
        tf.dispose([k, maps, x].filter((t): t is tf.Tensor => t !== null));
      }
      if (!alive()) return;
      const theme = readTheme(frame.current);
      const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
      let range = 0;
      for (const v of kv) range = Math.max(range, Math.abs(v));
      const neg = parseColor(theme.neg);
      const pos = parseColor(theme.pos);
      const bg = parseColor(theme.bg);
      const kernels = Array.from({ length: Math.min(cout, maxFilters) }, (_, o) => {
        const img = new ImageData(kw, kh);
        for (let p = 0; p < kh * kw; p++) {
          const at = (i: number) => kv[(p * cin + i) * cout + o] as number;
          let rgb: RGB;
          if (cin === 3) {
            rgb = [0, 1, 2].map((c) => ((at(c) / (range || 1)) * 0.5 + 0.5) * 255) as RGB;
          } else {
            const v = at(Math.min(inChannel, cin - 1)) / (range || 1);
            rgb = mix(bg, v < 0 ? neg : pos, Math.min(1, Math.abs(v)));
          }
          img.data.set([...rgb, 255], p * 4);
        }
        return img;
      });
      const mapShape = maps ? maps.shape.slice(1) : [];
      const mapTiles: ImageData[] = [];
      if (mv && maps) {
        const [mh, mw, mc] = mapShape as [number, number, number];
        const lut = sequentialLut(theme.sequential);
        for (let c = 0; c < Math.min(mc, maxFilters); c++) {
          let lo = Number.POSITIVE_INFINITY;
          let hi = Number.NEGATIVE_INFINITY;
          for (let p = 0; p < mh * mw; p++) {
            const v = mv[p * mc + c] as number;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
          const img = new ImageData(mw, mh);
          for (let p = 0; p < mh * mw; p++) {
            const t = hi > lo ? ((mv[p * mc + c] as number) - lo) / (hi - lo) : 0;
            const i = Math.round(t * 255) * 3;
            img.data.set([lut[i] as number, lut[i + 1] as number, lut[i + 2] as number, 255], p * 4);
          }
          mapTiles.push(img);
        }
      }
      setTiles({
        kernels,
        maps: mapTiles,
        image: xv && x ? grayImage(xv, x.shape as number[]) : null,
        kernelShape: [kh, kw, cin, cout],
        mapShape,
        range,
      });
      setRunError(null);
    },
    (e) =>
      setRunError(
        e instanceof ReactNNError ? e : new ReactNNError('data', 'FilterGrid', String((e as Error)?.message ?? e)),
      ),
  );
  useRedrawOn(schedule, net, props.trainer ?? null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new image or layer needs new maps.
  useLayoutEffect(schedule, [input, index, conv, maxFilters, inChannel]);

  const summary = tiles
    ? `${tiles.kernelShape[3]} filters of ${tiles.kernelShape[0]}×${tiles.kernelShape[1]} over ${tiles.kernelShape[2]} input channel${tiles.kernelShape[2] === 1 ? '' : 's'} (weights up to ±${fmt(tiles.range)})${
        tiles.maps.length ? `; feature maps ${fmtShape(tiles.mapShape)} for input #${index}` : ''
      }.`
    : 'Filters: no model yet.';
  return (
    <VizFrame
      {...viz(props)}
      kind="filters"
      frameRef={frame}
      defaultTitle={conv && !(conv instanceof ReactNNError) ? `Filters of ${conv.path}` : 'Filters'}
      error={error}
      message={!net ? 'No model yet.' : !snap?.model ? 'Waiting for the model…' : undefined}
      summary={summary}
    >
      {tiles && !error ? (
        <div aria-hidden="true" style={{ ['--rnn-card' as string]: `${size}px` }}>
          <p className="rnn-message">Kernels</p>
          <div className="rnn-cards">
            {tiles.kernels.map((img, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: filters are positional.
              <Tile key={i} image={img} label={`#${i}`} />
            ))}
          </div>
          {tiles.maps.length ? (
            <>
              <p className="rnn-message">Feature maps</p>
              <div className="rnn-cards">
                {tiles.image ? <Tile image={tiles.image} label="input" /> : null}
                {tiles.maps.map((img, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: channels are positional.
                  <Tile key={i} image={img} label={`#${i}`} />
                ))}
              </div>
            </>
          ) : null}
        </div>
      ) : null}
    </VizFrame>
  );
}

function Tile({ image, label }: { image: ImageData; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.width = image.width;
    el.height = image.height;
    el.getContext('2d')?.putImageData(image, 0, 0);
  }, [image]);
  return (
    <figure className="rnn-card">
      <canvas ref={ref} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** The input as `[1, ...inputShape]`, a new tensor the caller disposes; null without input. */
function imageTensor(input: FilterGridProps['input'], index: number, inputShape: readonly number[]): tf.Tensor | null {
  if (!input) return null;
  const want = [1, ...inputShape];
  return tf.tidy(() => {
    let x: tf.Tensor;
    if (isDataset(input)) {
      if (index < 0 || index >= input.size) {
        throw new ReactNNError('option', 'FilterGrid', `index ${index} is outside the Dataset's ${input.size} rows`);
      }
      x = input.x.slice([index], [1]);
    } else if (input instanceof tf.Tensor) {
      x = input.shape.length === inputShape.length ? input.expandDims(0) : input.clone();
    } else {
      x = tf.tensor(input).expandDims(0);
    }
    if (x.size !== want.reduce((a, b) => a * b, 1)) {
      throw new ReactNNError(
        'shape',
        'FilterGrid',
        `the input image has shape ${fmtShape(x.shape.slice(1))} but the model takes ${fmtShape(inputShape)}`,
      );
    }
    return x.reshape(want);
  });
}

/** The input image for display: grey levels of its first channel (or RGB), min–max scaled. */
function grayImage(values: Float32Array, shape: number[]): ImageData | null {
  const [, h, w, c] = shape;
  if (!h || !w || !c) return null;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const img = new ImageData(w, h);
  for (let p = 0; p < h * w; p++) {
    const px = [0, 1, 2].map((k) => {
      const v = values[p * c + (c === 3 ? k : 0)] as number;
      return hi > lo ? ((v - lo) / (hi - lo)) * 255 : 0;
    });
    img.data.set([...px, 255], p * 4);
  }
  return img;
}
