/**
 * An epoch's logs: the training loss (device and host parts of its sum), the validation loss
 * and the metrics, read from the device in as few reads as possible.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import type { TrainingEngine } from './engines/types';
import type { EpochLoss } from './epochCursor';
import type { ResolvedLoss } from './losses';
import { computeMetrics, type MetricName, type Task } from './metrics';

export interface EpochLogsRequest {
  epoch: EpochLoss;
  engine: Pick<TrainingEngine, 'predict'>;
  model: tf.LayersModel;
  train: Dataset;
  val: Dataset | undefined;
  loss: ResolvedLoss;
  metrics: readonly MetricName[];
  task: Task;
  batchSize: number | 'full';
  /** Checked after each read: the trainer or its data may be disposed while the device works. */
  gone(): boolean;
}

/** Whether an epoch's logs need the device: false for a fused chunk's epoch with nothing but its loss. */
export function needsDevice(epoch: EpochLoss, val: Dataset | undefined, metrics: readonly MetricName[]): boolean {
  return epoch.deviceSum !== null || val !== undefined || metrics.length > 0;
}

/** The logs, or null when `gone()` turned true meanwhile. Disposes `epoch.deviceSum`. */
export async function epochLogs(r: EpochLogsRequest): Promise<Record<string, number> | null> {
  const { deviceSum: sum, hostSum, samples } = r.epoch;
  const logs: Record<string, number> = {};
  const fromLogits = r.loss.expects === 'logits';
  const evalBatch = Math.max(256, typeof r.batchSize === 'number' ? r.batchSize : 0);
  let valPred: tf.Tensor | null = null;
  let valLoss: tf.Tensor | null = null;
  let trainPred: tf.Tensor | null = null;
  try {
    if (r.val) {
      valPred = r.engine.predict(r.model, r.val.x, evalBatch);
      valLoss = r.loss.fn(r.val.y, valPred);
    }
    if (r.metrics.length > 0) trainPred = r.engine.predict(r.model, r.train.x, evalBatch);
    // One readback for the epoch's losses.
    logs.loss = hostSum / samples;
    if (sum || valLoss) {
      const stacked = tf.tidy(() => {
        const parts: tf.Tensor[] = [];
        if (sum) parts.push(tf.div(hostSum !== 0 ? tf.add(sum, hostSum) : sum, samples));
        if (valLoss) parts.push(valLoss);
        return tf.stack(parts);
      });
      const values = await stacked.data();
      stacked.dispose();
      if (r.gone()) return null;
      if (sum) logs.loss = values[0] as number;
      if (valLoss) logs.val_loss = values[sum ? 1 : 0] as number;
    }
    const options = { task: r.task, fromLogits };
    if (trainPred) Object.assign(logs, await computeMetrics([...r.metrics], r.train.y, trainPred, options));
    if (valPred && r.metrics.length > 0) {
      const m = await computeMetrics([...r.metrics], (r.val as Dataset).y, valPred, options);
      for (const [k, v] of Object.entries(m)) logs[`val_${k}`] = v;
    }
  } finally {
    tf.dispose([sum, valPred, valLoss, trainPred].filter((t): t is tf.Tensor => t !== null));
  }
  return r.gone() ? null : logs;
}
