import type * as tf from '@tensorflow/tfjs';
import type { ResolvedLoss } from '../losses';
import type { Optimizer } from '../optimizers';

/** Which engine runs the steps, and why it was chosen. */
export interface EngineInfo {
  name: 'tfjs' | 'fused-webgpu' | 'fused-cpu';
  reason: string;
}

/** Everything a step needs besides the batch; read fresh at every step, so live changes apply. */
export interface StepConfig {
  loss: ResolvedLoss;
  optimizer: Optimizer;
  regularization: { l1?: number; l2?: number } | undefined;
  clipGradNorm: number | undefined;
  clipGradValue: number | undefined;
}

/**
 * One training step implementation. `step` runs forward, loss, gradients and update on one
 * batch and returns the batch's mean data loss as a scalar still on the device — reading it
 * is the caller's choice, so GPU pipelines are not stalled every step.
 */
export interface TrainingEngine {
  readonly info: EngineInfo;
  step(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, config: StepConfig): tf.Scalar;
  /** Forward pass in inference mode over `x` in chunks; the caller disposes the result. */
  predict(model: tf.LayersModel, x: tf.Tensor, batchSize: number): tf.Tensor;
  dispose(): void;
}
