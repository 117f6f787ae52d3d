import * as tf from '@tensorflow/tfjs';
import { useEffect, useRef, useState } from 'react';
import type { Dataset } from '../data/dataset';
import { useMetrics } from '../react/useMetrics';
import type { Net } from '../runtime/net';
import type { Trainer } from '../training/trainer';
import { useFrameTask, useRedrawOn } from '../viz/common';
import { LossSparkline, type SparkPoint } from '../viz/sparkline';

/** Loss samples kept for the sparkline (older ones thinned out). */
const MAX_SAMPLES = 200;

/**
 * The training loss of the epochs a trainer already has — a run continued from a file starts its
 * curve where the file left it (the test loss of those epochs was not kept). At most MAX_SAMPLES.
 */
function pastSamples(trainer: Trainer): SparkPoint[] {
  const loss = trainer.getSnapshot().history.loss;
  const n = Math.min(loss.length, MAX_SAMPLES);
  return Array.from({ length: n }, (_, k) => {
    const i = n === loss.length ? k : Math.round((k * (loss.length - 1)) / (n - 1));
    return { x: i + 1, a: loss[i] as number };
  });
}

const fmt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(3));

/**
 * Training and test loss, read out and drawn as a live sparkline. The test loss is measured here,
 * once per frame at most (one batched predict), not by the trainer every epoch: validation every
 * epoch would stop the fused engine from running many epochs per round trip.
 */
export function LossPanel(props: { trainer: Trainer | null; model: Net; test: Dataset | null | undefined }) {
  const { trainer, model, test } = props;
  // Re-render per published snapshot; read only the latest loss (the whole history can be long).
  useMetrics(trainer, []);
  const trainLoss = trainer?.lastLoss;
  const [samples, setSamples] = useState<SparkPoint[]>([]);
  const [testLoss, setTestLoss] = useState<number | undefined>(undefined);
  const latest = useRef({ trainer, test });
  latest.current = { trainer, test };

  const schedule = useFrameTask(async (alive) => {
    const { trainer: t, test: data } = latest.current;
    const m = model.model;
    if (!t || !m) return;
    const epoch = t.getSnapshot().epoch;
    const train = t.lastLoss;
    let value: number | undefined;
    if (data) {
      const loss = tf.tidy(() => tf.losses.meanSquaredError(data.y, m.predict(data.x) as tf.Tensor));
      try {
        value = (await loss.data())[0];
      } finally {
        loss.dispose();
      }
    }
    if (!alive()) return;
    setTestLoss(value);
    if (train === undefined) return;
    setSamples((prev) => {
      if (prev.at(-1)?.x === epoch) return prev;
      const next = [...prev, { x: epoch, a: train, b: value }];
      return next.length > MAX_SAMPLES ? next.filter((_, i) => i % 2 === 0 || i === next.length - 1) : next;
    });
  });
  useRedrawOn(schedule, model, trainer);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new run or test set starts a new curve.
  useEffect(() => {
    setSamples(trainer ? pastSamples(trainer) : []);
    schedule();
  }, [trainer, test]);

  return (
    <div className="rnn-pg-panel rnn-pg-loss">
      <div className="rnn-row">
        <span>
          Training loss{' '}
          <output data-testid="train-loss" data-value={trainLoss ?? ''}>
            {fmt(trainLoss)}
          </output>
        </span>
        <span>
          Test loss{' '}
          <output data-testid="test-loss" data-value={testLoss ?? ''}>
            {fmt(testLoss)}
          </output>
        </span>
      </div>
      <LossSparkline points={samples} labels={['training loss', 'test loss']} title="Loss" hideTitle />
    </div>
  );
}
