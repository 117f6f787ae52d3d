/**
 * What every viz component shares: the props for naming and styling, the `<figure>` frame
 * with its accessible name and text alternative, null-safe store hooks, and the
 * once-per-frame scheduler that keeps tensor reads off the training loop's back.
 */
import type * as tf from '@tensorflow/tfjs';
import {
  type CSSProperties,
  type ReactNode,
  type Ref,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { type Dataset, isDataset } from '../data/dataset';
import { ReactNNError } from '../errors';
import { outputLeaf } from '../graph/analyze';
import { sameShape } from '../graph/shape';
import type { AnalyzedGraph } from '../graph/types';
import type { NetLike } from '../runtime/handle';
import type { Net } from '../runtime/net';
import { BASE_CSS } from './styles';

/** Props every viz component takes. */
export interface VizProps {
  className?: string;
  style?: CSSProperties;
  /** Accessible name of the view, shown as its caption. Each component has a default. */
  title?: string;
  /** Keep the caption for screen readers only. */
  hideTitle?: boolean;
  /** Text alternative. Default: a generated summary of what is drawn, kept up to date. */
  description?: string;
}

/** A model for viz props: a `useModel()` handle, a `renderModel()` result, or null before one exists. */
export type ModelInput = NetLike | null | undefined;

/** Visually hidden, still read by screen readers (inline, so it works without any CSS). */
export const srOnly: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
};

export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

interface FrameProps extends VizProps {
  /** Component kind, for the `rnn-<kind>` class. */
  kind: string;
  /** Default title. */
  defaultTitle: string;
  /** Generated text alternative (used unless `description` is given). */
  summary: string;
  /** Shown instead of, or above, the content: the empty state. */
  message?: ReactNode;
  error?: ReactNNError | Error | null;
  children?: ReactNode;
  /** A ref to the figure element (to read its theme). */
  frameRef?: Ref<HTMLElement>;
  /** Extra attributes for the figure (data-* for tests and styling). */
  attrs?: Record<`data-${string}`, string | number | undefined>;
}

/**
 * The frame of a viz component: a `<figure>` named by its caption and described by a
 * (visually hidden) text alternative, with the empty state and errors shown inside.
 * @internal
 */
export function VizFrame(props: FrameProps) {
  const id = useId();
  const { kind, defaultTitle, title = defaultTitle, hideTitle, description, summary, message, error } = props;
  return (
    <figure
      ref={props.frameRef}
      className={cx('rnn-viz', `rnn-${kind}`, props.className)}
      style={{ position: 'relative', ...props.style }}
      aria-labelledby={`${id}t`}
      aria-describedby={`${id}d`}
      {...props.attrs}
    >
      <style href="react-nn-viz" precedence="react-nn">
        {BASE_CSS}
      </style>
      <figcaption id={`${id}t`} className="rnn-title" style={hideTitle ? srOnly : undefined}>
        {title}
      </figcaption>
      {error ? (
        <p role="alert" className="rnn-error">
          {error.message}
        </p>
      ) : null}
      {message ? <p className="rnn-message">{message}</p> : null}
      {props.children}
      <p id={`${id}d`} style={srOnly}>
        {description ?? (error ? `${summary} Error: ${error.message}` : summary)}
      </p>
    </figure>
  );
}

/** The VizProps of a component's props, for `<VizFrame {...viz(props)}>`. */
export function viz(props: VizProps): VizProps {
  const { className, style, title, hideTitle, description } = props;
  return { className, style, title, hideTitle, description };
}

/** Calls `onError` once for each new error (compared by message). */
export function useReportError(error: ReactNNError | null, onError: ((e: ReactNNError) => void) | undefined): void {
  const last = useRef<string | null>(null);
  const handler = useRef(onError);
  handler.current = onError;
  useEffect(() => {
    const message = error?.message ?? null;
    if (message === last.current) return;
    last.current = message;
    if (error) handler.current?.(error);
  }, [error]);
}

/** A function of an `alive()` check: false once the component unmounted or a newer run started. */
export type FrameJob = (alive: () => boolean) => Promise<void> | void;

/**
 * Runs `job` at most once per animation frame and never two at once: requests while a job
 * runs collapse into one more run after it. This is how views read tensors during training
 * without queueing reads faster than the device answers them. A job that takes long (a big
 * grid on tfjs' CPU backend) is also spaced out so that it takes at most `budget` of the
 * time (default a quarter): the rest is the trainer's. The returned `schedule` is stable.
 * A job in flight at unmount still finishes (so it frees its tensors) but sees `alive()`
 * false and must not touch the DOM.
 * @internal
 */
export function useFrameTask(job: FrameJob, onError?: (e: unknown) => void, budget = 0.25): () => void {
  const jobRef = useRef(job);
  jobRef.current = job;
  const errRef = useRef(onError);
  errRef.current = onError;
  const state = useRef({
    frame: 0,
    timer: 0 as ReturnType<typeof setTimeout> | 0,
    running: false,
    pending: false,
    mounted: false,
    generation: 0,
    /** No run starts before this time (performance.now()). */
    notBefore: 0,
  });

  const schedule = useCallback(() => {
    const s = state.current;
    if (!s.mounted || s.running) {
      s.pending = true;
      return;
    }
    if (s.frame || s.timer) return;
    const run = async () => {
      s.frame = 0;
      s.timer = 0;
      if (!s.mounted) return;
      s.running = true;
      s.pending = false;
      const generation = ++s.generation;
      const start = performance.now();
      try {
        await jobRef.current(() => s.mounted && s.generation === generation);
      } catch (e) {
        if (s.mounted) errRef.current?.(e);
      } finally {
        const end = performance.now();
        s.notBefore = end + (end - start) * (1 / budget - 1);
        s.running = false;
        if (s.pending && s.mounted) schedule();
      }
    };
    // Aligned to a frame, but each job in a task of its own: the callbacks of one frame share one
    // task, so several views' reads would add up to one long task.
    const toFrame = () => {
      s.timer = 0;
      if (typeof requestAnimationFrame !== 'function') {
        s.timer = setTimeout(run, 16);
        return;
      }
      s.frame = requestAnimationFrame(() => {
        s.frame = 0;
        s.timer = setTimeout(() => {
          s.timer = 0;
          void run();
        }, 0);
      });
    };
    const wait = s.notBefore - performance.now();
    if (wait > 1) s.timer = setTimeout(toFrame, wait);
    else toFrame();
  }, [budget]);

  useLayoutEffect(() => {
    const s = state.current;
    s.mounted = true;
    if (s.pending) {
      s.pending = false;
      schedule();
    }
    return () => {
      s.mounted = false;
      s.generation++;
      if (s.frame) cancelAnimationFrame(s.frame);
      if (s.timer) clearTimeout(s.timer);
      s.frame = 0;
      s.timer = 0;
      s.pending = false;
    };
  }, [schedule]);

  return schedule;
}

/** Calls `schedule` whenever the trainer or net publishes (rebuilds, steps, epochs). */
export function useRedrawOn(schedule: () => void, ...stores: ({ subscribe(l: () => void): () => void } | null)[]) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the stores are the dependencies.
  useEffect(() => {
    const offs = stores.map((s) => s?.subscribe(schedule));
    schedule();
    return () => {
      for (const off of offs) off?.();
    };
  }, [schedule, ...stores]);
}

/** Width of an element, following resizes; `fallback` until measured (and where there is no ResizeObserver). */
export function useWidth(ref: { current: Element | null }, fallback: number, fixed?: number): number {
  const [width, setWidth] = useState(fixed ?? fallback);
  useLayoutEffect(() => {
    if (fixed !== undefined) {
      setWidth(fixed);
      return;
    }
    const el = ref.current;
    if (!el || typeof ResizeObserver !== 'function') return;
    const measure = () => {
      const w = Math.floor(el.getBoundingClientRect().width);
      if (w > 0) setWidth(w);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, fixed]);
  return width;
}

/** A short number for people: 3 significant digits, exponent form for very small or large. */
export function fmt(v: number | undefined | null, digits = 3): string {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(Math.max(0, digits - 1));
  return Number(v.toPrecision(digits)).toString();
}

/** Groups digits: 12345 → "12,345". */
export function fmtInt(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

/** `[2, 3]` → "[2, 3]"; with a batch dimension, "[batch, 2, 3]". */
export function fmtShape(shape: readonly number[], batch = false): string {
  return `[${batch ? ['batch', ...shape].join(', ') : shape.join(', ')}]`;
}

/** A tensor's values as rows (one per example), read asynchronously; the caller still owns `t`. */
export async function readRows(t: tf.Tensor): Promise<{ values: Float32Array; rows: number; cols: number }> {
  const values = (await t.data()) as Float32Array;
  const rows = t.shape[0] ?? 1;
  return { values, rows, cols: rows === 0 ? 0 : values.length / rows };
}

/** Data for viz props: one Dataset, or training and validation sets. */
export type DataInput = Dataset | { train: Dataset; val?: Dataset | null } | null | undefined;

/** The sets of a DataInput, in plotting order, each with its role. */
export function dataParts(data: DataInput): { role: 'train' | 'val'; set: Dataset }[] {
  if (!data) return [];
  if (isDataset(data)) return [{ role: 'train', set: data }];
  const split = data as { train: Dataset; val?: Dataset | null };
  const parts: { role: 'train' | 'val'; set: Dataset }[] = [{ role: 'train', set: split.train }];
  if (split.val) parts.push({ role: 'val', set: split.val });
  return parts;
}

/** Rows of one set as plain arrays, with a class id per row for classification data. */
export interface PointSet {
  role: 'train' | 'val';
  x: number[][];
  y: number[][];
  labels: number[] | undefined;
  inputShape: readonly number[];
  numClasses: number | undefined;
  classNames: readonly string[] | undefined;
  task: Dataset['task'];
}

/**
 * The data's rows as arrays (read once per Dataset, asynchronously); null until read or
 * without data. A disposed Dataset is skipped.
 */
export function usePoints(data: DataInput): PointSet[] | null {
  const [points, setPoints] = useState<{ key: DataInput; sets: PointSet[] } | null>(null);
  useEffect(() => {
    let cancelled = false;
    const parts = dataParts(data).filter((p) => !p.set.isDisposed);
    if (parts.length === 0) {
      setPoints(null);
      return;
    }
    Promise.all(
      parts.map(async ({ role, set }): Promise<PointSet> => {
        const a = await set.toArrays();
        return {
          role,
          x: a.x,
          y: a.y,
          labels: a.labels,
          inputShape: set.inputShape,
          numClasses: set.numClasses,
          classNames: set.classNames,
          task: set.task,
        };
      }),
    ).then(
      (sets) => {
        if (!cancelled) setPoints({ key: data, sets });
      },
      () => {
        // A Dataset disposed while being read: nothing to draw.
        if (!cancelled) setPoints(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [data]);
  return points && points.key === data ? points.sets : null;
}

/**
 * The model's output for every row of `x` in one pass (inference mode). `net.predict` runs
 * tfjs' default batches of 32, which costs one graph execution per 32 rows — a 64 × 64 grid
 * would be 128 of them. Checks the shape like `net.predict`; the caller disposes the result.
 */
export function predictAll(net: Net, x: tf.Tensor): tf.Tensor {
  const { model, graph } = net.getSnapshot();
  const expected = graph?.inputShape;
  const got = x.shape.slice(1);
  if (!model || !expected || !sameShape(got, expected)) {
    // Let the Net say what is wrong, in its words.
    return net.predict(x);
  }
  return model.predict(x, { batchSize: Math.max(1, x.shape[0] ?? 1) }) as tf.Tensor;
}

/** Whether the model's last layer already gives probabilities. */
export function endsInProbabilities(graph: AnalyzedGraph): boolean {
  const type = outputLeaf(graph.root).node.type;
  return type === 'Sigmoid' || type === 'Softmax';
}

/**
 * The error for a model or data that does not have `features` inputs, naming both shapes
 * and what to use instead; null when they fit (or are not there yet).
 */
export function checkInputs(
  component: string,
  features: number,
  graph: AnalyzedGraph | null,
  points: PointSet[] | null,
): ReactNNError | null {
  const other =
    features === 2
      ? 'for one input use <FitPlot>; for more, train a model on two of the features'
      : 'for two inputs use <DecisionBoundary>, or FitPlot variant="truePred" for any number';
  if (graph) {
    const shape = graph.inputShape;
    if (shape.length !== 1 || shape[0] !== features) {
      return new ReactNNError(
        'shape',
        component,
        `needs a model with ${features} input feature${features > 1 ? 's' : ''} (inputShape [${features}]) but this model takes ${fmtShape(shape)} — ${other}`,
      );
    }
    if (graph.outputShape.length !== 1) {
      return new ReactNNError(
        'shape',
        component,
        `needs one output vector per example but the model outputs ${fmtShape(graph.outputShape)} — end the model with <Flatten /> and <Linear>`,
      );
    }
  }
  const bad = points?.find((p) => p.inputShape.length !== 1 || p.inputShape[0] !== features);
  if (bad) {
    return new ReactNNError(
      'data',
      component,
      `needs data with ${features} feature${features > 1 ? 's' : ''} per example but the ${bad.role === 'val' ? 'validation' : 'training'} data has ${fmtShape(bad.inputShape)}`,
    );
  }
  return null;
}
