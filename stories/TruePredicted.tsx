// "True vs predicted" for a 2-input binary classifier: the held-out points drawn twice with react-nn's
// PredictionScatter — coloured by their true class, then by the model's prediction, every mistake
// ringed in both — beside the confusion matrix of the same predictions. Not a story file itself;
// Binary.stories.tsx shows it.

import { useEffect, useMemo, useState } from 'react';
import { ConfusionMatrix, type Dataset, type Net, PredictionScatter, type Trainer, usePredict } from 'react-nn';

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
  const predicted = useMemo(
    () => (probs && points && probs.length === points.x.length ? probs.map((p) => (p[0]! > 0.5 ? 1 : 0)) : null),
    [probs, points],
  );
  const errors = predicted && points ? predicted.filter((p, i) => p !== points.labels[i]).length : 0;
  const accuracy = predicted && points ? 1 - errors / points.x.length : null;
  const scatter =
    points && predicted ? { x: points.x, labels: points.labels, predicted, classNames, width: 260, height: 220 } : null;
  return (
    <section className="story-col" aria-label="True vs predicted">
      <h3>True vs predicted (validation set)</h3>
      <p className="story-readout">
        accuracy <output data-testid="accuracy">{accuracy === null ? '' : accuracy.toFixed(4)}</output> · misclassified{' '}
        <output data-testid="misclassified">{predicted ? errors : ''}</output> of {points?.x.length ?? 0}
      </p>
      {scatter ? (
        <div className="story">
          <PredictionScatter title="True class" colorBy="true" {...scatter} />
          <PredictionScatter title="Predicted class (mistakes ringed)" colorBy="predicted" {...scatter} />
        </div>
      ) : null}
      {points && probs ? (
        <ConfusionMatrix yTrue={points.labels} yPred={probs} numClasses={2} classNames={classNames} />
      ) : null}
    </section>
  );
}
