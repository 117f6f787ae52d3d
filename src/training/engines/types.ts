import type * as tf from '@tensorflow/tfjs';
import type { AnalyzedGraph } from '../../graph/types';
import type { Net } from '../../runtime/net';
import type { ResolvedLoss } from '../losses';
import type { Optimizer } from '../optimizers';
import type { OrderBlock } from './orderBlock';

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
 * A run of training steps for an engine that trains many batches per call (the fused engines):
 * the trainer hands over its whole training set and the row order of one or more epochs, and
 * the engine takes consecutive batches from `offset` on — never past the end of `order` and
 * never across an epoch boundary, so epochs stay whole.
 */
export interface ChunkRequest {
  /** The live model store: the engine re-plans when its model changes, and syncs into the current model. */
  net: Net;
  model: tf.LayersModel;
  graph: AnalyzedGraph;
  /** The whole training set. */
  x: tf.Tensor;
  y: tf.Tensor;
  /**
   * The row order of the current epoch — or of several epochs back to back (each `epochSize`
   * rows) when nothing but the loss observes an epoch's end, so a chunk may span epochs. Built
   * when an engine reads its `rows`; an engine in a Worker may build it there from its `source`.
   */
  order: OrderBlock;
  /** Rows per epoch (the training set's size). */
  epochSize: number;
  /** Rows of `order` already trained. */
  offset: number;
  /** Rows per step (the epoch's last step may have fewer). */
  batchSize: number;
  /** At most this many steps (1 for `trainer.step()`). */
  maxSteps: number;
  /**
   * The order of rows within a full batch cannot matter (full-batch mode, or no shuffling): an
   * engine may train on `x` and `y` as they are instead of gathering them in `order`.
   */
  anyOrder?: boolean;
  /**
   * The current epoch's loss sum so far (Σ batch mean loss × rows); the result continues it step
   * by step, so the epoch loss does not depend on where chunks happened to end.
   */
  lossSum: number;
  config: StepConfig;
}

export interface ChunkResult {
  steps: number;
  /** Rows trained. */
  samples: number;
  /**
   * The unfinished epoch's loss sum: the request's `lossSum` plus, step by step, each batch's
   * mean data loss × its rows — restarting at 0 after each epoch the chunk completed.
   */
  lossSum: number;
  /** Loss sums (Σ batch mean loss × rows) of the epochs this chunk completed, in order. */
  epochLossSums: number[];
  /**
   * The tfjs engine sums on the device (read once per epoch, not every step): Σ batch mean loss ×
   * rows of this chunk's steps, to add to `lossSum` (or to the completed epoch's sum). The caller
   * disposes it.
   */
  deviceLossSum?: tf.Tensor;
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
  /**
   * Runs a chunk of steps from `request.offset` (the fused engines: many, within a time budget;
   * tfjs: one) with the weights in the tf model when it resolves. The trainer's one training path.
   */
  runChunk(request: ChunkRequest): Promise<ChunkResult>;
  dispose(): void;
}
