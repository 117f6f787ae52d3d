/**
 * `ActivationPlot`: an activation function and its derivative over a range — the figures
 * every course draws for sigmoid, tanh, ReLU and friends. A layer type is built as a
 * one-layer model (so it is exactly what `<ReLU />` computes) and differentiated with
 * `tf.grad`; a plain function of a tensor works too.
 */
import * as tf from '@tensorflow/tfjs';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { ReactNNError } from '../errors';
import type { GraphNode } from '../graph/types';
import { analyze, compileGraph } from '../runtime/compile';
import { fmt, useReportError, useWidth, VizFrame, type VizProps, viz } from './common';
import { themedUplot } from './plot';
import { classColor } from './theme';
import { useUplot } from './uplot';

/** Props of {@link ActivationPlot}. */
export interface ActivationPlotProps extends VizProps {
  /** A layer type (`'ReLU'`, `'GELU'`, `'LeakyReLU'`, any registered layer) or a function of a tensor. */
  activation: string | ((x: tf.Tensor) => tf.Tensor);
  /** Props of the layer, e.g. `{ negativeSlope: 0.1 }` for LeakyReLU. */
  layerProps?: Record<string, unknown>;
  /** x range. Default [−5, 5]. */
  range?: readonly [number, number];
  /** Points. Default 201. */
  samples?: number;
  /** Also draw the derivative. Default true. */
  showDerivative?: boolean;
  /** Width in CSS pixels; default the container's. */
  width?: number;
  /** Height of the plotting canvas. Default 220. */
  height?: number;
  /** Called with the uPlot instance once it exists. */
  onCreate?: (plot: uPlot) => void;
  /** Called once per new error (an unknown layer type, bad props). */
  onError?: (error: ReactNNError) => void;
}

interface Curves {
  x: number[];
  y: number[];
  dy: number[];
}

/**
 * Computes f(x) and f′(x) on `samples` points of `range`; every tensor made is disposed
 * (the one-layer model included) before this resolves.
 */
export async function activationCurves(
  activation: ActivationPlotProps['activation'],
  layerProps: Record<string, unknown> = {},
  range: readonly [number, number] = [-5, 5],
  samples = 201,
): Promise<Curves> {
  let model: tf.LayersModel | null = null;
  let f: (x: tf.Tensor) => tf.Tensor;
  if (typeof activation === 'function') {
    f = activation;
  } else {
    const root: GraphNode = {
      type: 'Sequential',
      props: {},
      key: null,
      children: [{ type: activation, props: layerProps, key: null, children: [] }],
    };
    const graph = analyze(root, [1]);
    const m = compileGraph(graph, { seed: 0 });
    model = m;
    f = (x) => (m.apply(x.reshape([-1, 1])) as tf.Tensor).reshape([-1]);
  }
  // From JS numbers rather than tf.linspace, whose float32 steps miss 0 (9e-7 at the middle).
  const xs = Array.from({ length: samples }, (_, i) => range[0] + ((range[1] - range[0]) * i) / (samples - 1));
  try {
    const [y, dy] = tf.tidy(() => {
      const x = tf.tensor1d(xs);
      return [f(x), tf.grad(f)(x)];
    });
    try {
      const [yv, dv] = await Promise.all([(y as tf.Tensor).data(), (dy as tf.Tensor).data()]);
      return { x: xs, y: Array.from(yv), dy: Array.from(dv) };
    } finally {
      tf.dispose([y as tf.Tensor, dy as tf.Tensor]);
    }
  } finally {
    model?.dispose();
  }
}

/**
 * An activation and its derivative over a range, with a hover read-out.
 * @example <ActivationPlot activation="GELU" />
 * @example <ActivationPlot activation="LeakyReLU" layerProps={{ negativeSlope: 0.1 }} range={[-3, 3]} />
 * @example <ActivationPlot activation={(x) => tf.mul(x, tf.sigmoid(x))} title="SiLU" />
 */
export function ActivationPlot(props: ActivationPlotProps) {
  const { activation, layerProps, range = [-5, 5], samples = 201, showDerivative = true, height = 220 } = props;
  const name = typeof activation === 'string' ? activation : activation.name || 'f';
  const [curves, setCurves] = useState<Curves | null>(null);
  const [curveError, setError] = useState<ReactNNError | null>(null);
  const { uPlot: UPlot, error: loadError } = useUplot('ActivationPlot');
  const error = curveError ?? loadError;
  useReportError(error, props.onError);
  const container = useRef<HTMLDivElement>(null);
  const width = useWidth(container, 400, props.width);
  const plot = useRef<uPlot | null>(null);
  const propsKey = JSON.stringify(layerProps ?? {});
  const latest = useRef({ width, height, onCreate: props.onCreate });
  latest.current = { width, height, onCreate: props.onCreate };

  // biome-ignore lint/correctness/useExhaustiveDependencies: propsKey stands for layerProps' contents; range by value.
  useEffect(() => {
    let cancelled = false;
    activationCurves(activation, layerProps, range, samples).then(
      (c) => {
        if (cancelled) return;
        setCurves(c);
        setError(null);
      },
      (e) => {
        if (cancelled) return;
        setCurves(null);
        setError(
          e instanceof ReactNNError
            ? e
            : new ReactNNError('option', 'ActivationPlot', `could not evaluate ${name}: ${(e as Error)?.message ?? e}`),
        );
      },
    );
    return () => {
      cancelled = true;
    };
  }, [activation, propsKey, range[0], range[1], samples]);

  useLayoutEffect(() => {
    const el = container.current;
    if (!el || !curves || !UPlot) return;
    const themed = themedUplot(() => el);
    const color = (i: number) => () => classColor(themed.theme(), i);
    const series: uPlot.Series[] = [
      { label: 'x', value: (_u, v) => fmt(v) },
      { label: `${name}(x)`, stroke: color(0), width: 2, value: (_u, v) => fmt(v), points: { show: false } },
    ];
    if (showDerivative) {
      series.push({
        label: `${name}′(x)`,
        stroke: color(1),
        width: 2,
        dash: [6, 4],
        value: (_u, v) => fmt(v),
        points: { show: false },
      });
    }
    const data = [curves.x, curves.y, ...(showDerivative ? [curves.dy] : [])] as uPlot.AlignedData;
    if (plot.current && plot.current.series.length === series.length) {
      plot.current.setData(data);
      return;
    }
    plot.current?.destroy();
    const u = new UPlot(
      {
        width: latest.current.width,
        height: latest.current.height,
        scales: { x: { time: false } },
        axes: themed.axes('x', 'y'),
        legend: { live: true },
        series,
        hooks: themed.hooks,
      },
      data,
      el,
    );
    plot.current = u;
    latest.current.onCreate?.(u);
  }, [curves, showDerivative, name, UPlot]);

  useLayoutEffect(
    () => () => {
      plot.current?.destroy();
      plot.current = null;
    },
    [],
  );
  useLayoutEffect(() => {
    plot.current?.setSize({ width, height });
  }, [width, height]);

  return (
    <VizFrame
      {...viz(props)}
      kind="activation"
      defaultTitle={name}
      error={error}
      message={curves || error ? undefined : 'Computing…'}
      summary={curves ? curveSummary(name, curves, showDerivative) : `${name}: not computed yet.`}
    >
      <div ref={container} aria-hidden="true" />
    </VizFrame>
  );
}

function curveSummary(name: string, c: Curves, derivative: boolean): string {
  const lo = c.x[0] as number;
  const hi = c.x[c.x.length - 1] as number;
  const span = (v: number[]) => `${fmt(Math.min(...v))} to ${fmt(Math.max(...v))}`;
  // Values at the sample nearest to 0, 1 and −1 (exact with the default range and samples).
  const at = (x: number) => {
    let best = 0;
    c.x.forEach((v, i) => {
      if (Math.abs(v - x) < Math.abs((c.x[best] as number) - x)) best = i;
    });
    return best;
  };
  const points = [-1, 0, 1]
    .filter((x) => x >= lo && x <= hi)
    .map((x) => {
      const i = at(x);
      return `${name}(${fmt(c.x[i])}) = ${fmt(c.y[i])}${derivative ? `, ${name}′ = ${fmt(c.dy[i])}` : ''}`;
    });
  return `${name} over x from ${fmt(lo)} to ${fmt(hi)}: values from ${span(c.y)}${
    derivative ? `, derivative from ${span(c.dy)}` : ''
  }. ${points.join('; ')}.`;
}
