// "True vs predicted" for a 2-input binary classifier: the held-out points drawn twice — coloured by
// their true class, then by the model's prediction with every mistake ringed — beside the confusion
// matrix of the same predictions. Not a story file itself; Binary.stories.tsx shows it.

import { useEffect, useMemo, useState } from 'react';
import { ConfusionMatrix, type Dataset, type Net, type Trainer, usePredict } from 'react-nn';

interface Points {
  x: number[][];
  labels: number[];
}

/** The rows and class ids of a Dataset, read once (asynchronously). */
function usePoints(data: Dataset | null): Points | null {
  const [points, setPoints] = useState<Points | null>(null);
  useEffect(() => {
    let cancelled = false;
    setPoints(null);
    if (!data || data.isDisposed) return;
    data
      .toArrays()
      .then((a) => {
        if (!cancelled) setPoints({ x: a.x, labels: a.labels ?? a.y.map((row) => row[0] as number) });
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [data]);
  return points;
}

const SIZE = 220;
const PAD = 8;
const classColor = (c: number) => `var(--rnn-class-${c})`;

function Scatter({
  title,
  x,
  colors,
  wrong,
  testId,
}: {
  title: string;
  x: number[][];
  colors: number[];
  wrong?: boolean[];
  testId: string;
}) {
  const [sx, sy] = useMemo(() => {
    const axis = (i: number) => {
      const values = x.map((row) => row[i] as number);
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      return (v: number) => PAD + ((v - lo) / (hi - lo || 1)) * (SIZE - 2 * PAD);
    };
    const fx = axis(0);
    const fy = axis(1);
    return [fx, (v: number) => SIZE - fy(v)];
  }, [x]);
  return (
    <figure className="story-scatter">
      <figcaption>{title}</figcaption>
      <svg width={SIZE} height={SIZE} role="img" aria-label={title} data-testid={testId}>
        {x.map((row, i) => {
          const cx = sx(row[0] as number);
          const cy = sy(row[1] as number);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: points are positional.
            <g key={i}>
              <circle cx={cx} cy={cy} r={3} fill={classColor(colors[i] as number)} data-class={colors[i]} />
              {wrong?.[i] ? (
                <circle cx={cx} cy={cy} r={6} fill="none" stroke="var(--rnn-fg)" strokeWidth={1.5} data-wrong="" />
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/**
 * True vs predicted on `data` (the validation set): two scatter plots and a confusion matrix, all
 * from one prediction per finished epoch. The accuracy is printed for readers and play functions.
 */
export function TruePredicted({
  model,
  data,
  trainer,
  classNames,
}: {
  model: Net;
  data: Dataset | null;
  trainer: Trainer | null;
  classNames?: readonly string[];
}) {
  const points = usePoints(data);
  const probs = usePredict(model, points?.x ?? null, { trainer });
  // Same rule as react-nn's confusionMatrix for one output column: class 1 when p > 0.5.
  const predicted =
    probs && points && probs.length === points.x.length ? probs.map((p) => (p[0]! > 0.5 ? 1 : 0)) : null;
  const wrong = predicted && points ? predicted.map((p, i) => p !== points.labels[i]) : null;
  const errors = wrong?.filter(Boolean).length ?? 0;
  const accuracy = predicted && points ? 1 - errors / points.x.length : null;
  return (
    <section className="story-col" aria-label="True vs predicted">
      <h3>True vs predicted (validation set)</h3>
      <p className="story-readout">
        accuracy <output data-testid="accuracy">{accuracy === null ? '' : accuracy.toFixed(4)}</output> · misclassified{' '}
        <output data-testid="misclassified">{wrong ? errors : ''}</output> of {points?.x.length ?? 0}
      </p>
      {points ? (
        <div className="story">
          <Scatter title="True class" x={points.x} colors={points.labels} testId="scatter-true" />
          {predicted && wrong ? (
            <Scatter
              title="Predicted class (mistakes ringed)"
              x={points.x}
              colors={predicted}
              wrong={wrong}
              testId="scatter-predicted"
            />
          ) : null}
        </div>
      ) : null}
      {points && probs ? (
        <ConfusionMatrix yTrue={points.labels} yPred={probs} numClasses={2} classNames={classNames} />
      ) : null}
    </section>
  );
}
