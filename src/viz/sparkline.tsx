/**
 * LossSparkline: two series (training and test loss, say) as a small inline SVG over a shared x
 * (epochs), drawn from plain numbers so it can follow training at frame rate without a chart library.
 */
import { VizFrame, type VizProps, viz } from './common';

/** One sample: x (an epoch), the first series' value `a`, and optionally the second's `b`. */
export interface SparkPoint {
  x: number;
  a: number;
  b?: number | undefined;
}

/** Props of {@link LossSparkline}. */
export interface LossSparklineProps extends VizProps {
  points: readonly SparkPoint[];
  /** Names of the two series. Default ['training', 'test']. */
  labels?: readonly [string, string];
  width?: number;
  height?: number;
}

/**
 * A two-line sparkline with a shared y range from 0; its text alternative gives the latest values.
 * @example <LossSparkline points={[{ x: 0, a: 0.5, b: 0.6 }, { x: 10, a: 0.2, b: 0.3 }]} />
 */
export function LossSparkline(props: LossSparklineProps) {
  const { points, labels = ['training', 'test'], width = 240, height = 60 } = props;
  const finite = points.flatMap((p) => [p.a, p.b]).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const top = Math.max(1e-9, ...finite);
  const x0 = points[0]?.x ?? 0;
  const x1 = Math.max(x0 + 1, points.at(-1)?.x ?? 1);
  const px = (x: number) => ((x - x0) / (x1 - x0)) * (width - 2) + 1;
  const py = (v: number) => height - 1 - (Math.max(0, v) / top) * (height - 2);
  const line = (pick: (p: SparkPoint) => number | undefined) =>
    points
      .map((p) => [p.x, pick(p)] as const)
      .filter((p): p is readonly [number, number] => p[1] !== undefined && Number.isFinite(p[1]))
      .map(([x, v]) => `${px(x).toFixed(1)},${py(v).toFixed(1)}`)
      .join(' ');
  const last = points.at(-1);
  const f = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'not measured' : v.toFixed(4));
  const summary = last
    ? `${labels[0]} ${f(last.a)}, ${labels[1]} ${f(last.b)} at ${last.x}; ${points.length} samples from ${x0}.`
    : 'No samples yet.';
  return (
    <VizFrame
      {...viz(props)}
      kind="sparkline"
      defaultTitle="Loss"
      summary={summary}
      attrs={{ 'data-samples': points.length }}
    >
      <svg width={width} height={height} aria-hidden="true" style={{ display: 'block' }}>
        <polyline points={line((p) => p.a)} fill="none" stroke="var(--rnn-train, #0072B2)" strokeWidth={1.5} />
        <polyline points={line((p) => p.b)} fill="none" stroke="var(--rnn-val, #D55E00)" strokeWidth={1.5} />
      </svg>
      <ul className="rnn-legend" aria-hidden="true">
        <li>
          <span className="rnn-swatch" style={{ background: 'var(--rnn-train, #0072B2)' }} /> {labels[0]}
        </li>
        <li>
          <span className="rnn-swatch" style={{ background: 'var(--rnn-val, #D55E00)' }} /> {labels[1]}
        </li>
      </ul>
    </VizFrame>
  );
}
