/**
 * A training run's progress and the work of one turn of the trainer's loop: driving a chunk of
 * steps through the engine, counting them, and ending epochs (their logs, the callbacks, and the
 * last finite weights put back when the loss diverges). The Trainer owns the state machine and
 * decides when to call this; this module decides what a chunk and an epoch's end do.
 */
import type * as tf from '@tensorflow/tfjs';
import { ReactNNError } from '../errors';
import type { Net } from '../runtime/net';
import type { CallbackContext } from './callbacks';
import type { SelectedEngine } from './engines/select';
import type { ChunkResult, EngineInfo, StepConfig } from './engines/types';
import { EpochCursor, type EpochLoss, type OrderSpec } from './epochCursor';
import { epochLogs, needsDevice } from './epochLogs';
import type { ResolvedLoss } from './losses';
import type { Task } from './metrics';
import type { Optimizer } from './optimizers';
import { loadHistory } from './resume';
import type { ResolvedData } from './trainerData';
import type { ResolvedOptions, TrainerOptions } from './trainerOptions';
import type { TrainerState } from './trainerState';
import type { TrainerStatus } from './trainerStatus';
import { disposeSnapshot, restoreWeights, snapshotWeights, type WeightSnapshot } from './weights';

/** Per-epoch values: `loss`, `val_loss`, each metric and its `val_` twin. */
export type History = { loss: number[] } & Record<string, number[]>;

export interface TrainerSnapshot {
  status: TrainerStatus;
  /** Epochs completed. */
  epoch: number;
  /** Target number of epochs. */
  epochs: number;
  /** Steps (batches) completed in total. */
  step: number;
  history: History;
  warnings: string[];
  error: ReactNNError | null;
  /** Learning rate in effect. */
  lr: number;
  engine: EngineInfo;
  /** Why training stopped before `epochs` (early stopping, stop()), or null. */
  stopReason: string | null;
}

/** What a run reads from its trainer: read afresh at every use, since setOptions may replace any of it. */
export interface RunSetup {
  net: Net;
  data: ResolvedData;
  resolved: ResolvedOptions;
  options: TrainerOptions;
  loss: ResolvedLoss;
  optimizer: Optimizer;
  engine: SelectedEngine;
}

/** The trainer, as a run sees it. */
export interface RunHost {
  setup(): RunSetup;
  isDisposed(): boolean;
  context(): CallbackContext;
  /** Ends the run with an error (the trainer's state machine takes it). */
  fail(e: unknown): void;
  /** Something the snapshot shows changed: publish at the next frame. */
  changed(): void;
}

export class TrainerRun {
  readonly #host: RunHost;
  /** Epochs completed. */
  epoch = 0;
  /** Steps completed in total. */
  step = 0;
  history: History = { loss: [] };
  readonly cursor = new EpochCursor();
  /** The weights at the start of the current epoch (see keepLastGood). */
  #lastGood: WeightSnapshot | null = null;

  constructor(host: RunHost) {
    this.#host = host;
  }

  /** Forgets all progress (reset()): epoch, step, history, the partial epoch, the kept weights. */
  clear(): void {
    this.cursor.drop();
    this.dropLastGood();
    this.epoch = 0;
    this.step = 0;
    this.history = { loss: [] };
  }

  /** Ends a run's turn: the partial epoch and the kept weights go. */
  drop(): void {
    this.cursor.drop();
    this.dropLastGood();
  }

  /**
   * Whether one fused chunk may train several epochs: only when nothing but the loss observes
   * an epoch's end (no validation, metrics or epoch callbacks) — then a tiny epoch (25 steps
   * of a playground net) does not cost a round trip to the engine of its own.
   */
  chunksMaySpanEpochs(): boolean {
    const { data, resolved, options } = this.#host.setup();
    return (
      !data.val &&
      resolved.metrics.length === 0 &&
      !options.onEpochEnd &&
      resolved.callbacks.every((cb) => !cb.onEpochEnd)
    );
  }

  orderSpec(): OrderSpec {
    const { data, resolved: r } = this.#host.setup();
    return { epoch: this.epoch, epochs: r.epochs, size: data.train.size, seed: r.seed, shuffle: r.shuffle };
  }

  /** A data set disposed under a running trainer is an error to report, not a tensor to crash on. */
  checkData(): void {
    const { train, val } = this.#host.setup().data;
    if (train.isDisposed || val?.isDisposed) {
      throw new ReactNNError(
        'data',
        'Trainer',
        `the ${train.isDisposed ? 'training' : 'validation'} Dataset was disposed while this trainer used it — keep it until the trainer is disposed, or give another with setOptions({ data })`,
      );
    }
  }

  /**
   * At an epoch's start, keeps references to the weights (tfjs clones share data, so this costs no
   * copy): a diverging epoch puts them back, so a NaN never becomes the model's weights.
   */
  keepLastGood(): void {
    const model = this.#host.setup().net.model;
    if (!model || this.cursor.offset !== 0) return;
    disposeSnapshot(this.#lastGood);
    this.#lastGood = snapshotWeights(model);
  }

  dropLastGood(): void {
    disposeSnapshot(this.#lastGood);
    this.#lastGood = null;
  }

  /** Installs a saved run's progress (resume): the trainer has checked it against its model and data. */
  restore(saved: Pick<TrainerState['json'], 'epoch' | 'step' | 'history' | 'cursor'>): void {
    this.epoch = saved.epoch;
    this.step = saved.step;
    this.history = loadHistory(saved.history);
    this.cursor.restore(this.orderSpec(), saved.cursor);
  }

  /**
   * One turn of training: up to `maxSteps` steps, after checking the data and keeping the weights
   * an epoch starts from. A many-step chunk spans epochs when nothing observes their ends.
   */
  trainChunk(maxSteps: number): Promise<EpochLoss[]> {
    this.checkData();
    this.keepLastGood();
    return this.runChunk(maxSteps, maxSteps > 1 && this.chunksMaySpanEpochs());
  }

  /**
   * Runs up to `maxSteps` batches through the engine's `runChunk` (one on tfjs, many on a fused
   * engine) — within the current epoch, or on through later ones when `span`. Returns the epochs
   * it completed (usually none or one).
   */
  async runChunk(maxSteps: number, span: boolean): Promise<EpochLoss[]> {
    const setup = this.#host.setup();
    const { net, engine, resolved: r } = setup;
    const model = net.model;
    const graph = net.graph;
    if (!model || !graph) {
      throw net.isDisposed ? modelDisposed('step') : stateError('step', 'the model is not built yet');
    }
    const train = setup.data.train;
    const n = train.size;
    const spec = this.orderSpec();
    const perm = this.cursor.order(spec, span);
    const offsetBefore = this.cursor.offset;
    const running = engine.runChunk({
      net,
      model,
      graph,
      x: train.x,
      y: train.y,
      // Later epochs' rows only when spanning is (still) allowed.
      order: span ? perm : perm.take(n),
      epochSize: n,
      offset: offsetBefore,
      batchSize: r.batchSize === 'full' ? n : Math.min(r.batchSize, n),
      maxSteps,
      anyOrder: r.batchSize === 'full' || !r.shuffle,
      lossSum: this.cursor.hostSum,
      config: stepConfig(setup),
    });
    if (span) this.cursor.prefetch(spec, perm);
    let result: ChunkResult;
    try {
      result = await running;
    } catch (e) {
      // An edit replaced the model while the chunk awaited (planning it, reading it): what failed
      // was the old model. The next chunk plans the current one; optimizer state is kept by name.
      if (net.model && net.model !== model && !this.#host.isDisposed()) return [];
      throw e;
    }
    // The epoch was dropped (stop, reset, new data) while the chunk ran: its steps count for nothing.
    if (this.#host.isDisposed() || !this.cursor.holds(perm)) {
      result.deviceLossSum?.dispose();
      return [];
    }
    for (let i = 0; i < result.steps; i++) this.#countStep();
    return this.cursor.addChunk(result, perm, offsetBefore, n);
  }

  /** Ends an epoch: a promise when it has to read from the device, else done at once. */
  endEpoch(epoch: EpochLoss): Promise<void> | undefined {
    const setup = this.#host.setup();
    const { train, val } = setup.data;
    const metrics = setup.resolved.metrics;
    // A fused chunk's epoch with nothing else to compute: no device work, no await (a spanning
    // chunk ends hundreds of epochs of a small set at once).
    if (!needsDevice(epoch, val, metrics)) {
      this.#recordEpoch({ loss: epoch.hostSum / epoch.samples });
      return undefined;
    }
    return epochLogs({
      epoch,
      engine: setup.engine,
      model: setup.net.model as tf.LayersModel,
      train,
      val,
      loss: setup.loss,
      metrics,
      task: taskOf(setup),
      batchSize: setup.resolved.batchSize,
      gone: () => this.#host.isDisposed() || train.isDisposed || val?.isDisposed === true,
    }).then((logs) => {
      if (logs) this.#recordEpoch(logs);
    });
  }

  /**
   * The history as it is now, copied when first read: later epochs do not change it. A snapshot
   * is published every frame, and a long run's history (a Playground trains thousands of epochs a
   * second) would otherwise be copied every frame whether anyone reads it or not. Exact, because
   * the arrays only grow (reset() starts new ones): their first `length` entries never change.
   */
  historyAt(): () => History {
    const arrays = Object.entries(this.history).map(([k, v]) => [k, v, v.length] as const);
    let copy: History | null = null;
    return () => {
      if (!copy) {
        copy = { loss: [] };
        for (const [k, v, n] of arrays) copy[k] = v.slice(0, n);
      }
      return copy;
    };
  }

  #countStep(): void {
    this.step++;
    const { resolved, options } = this.#host.setup();
    const ctx = this.#host.context();
    for (const cb of resolved.callbacks) cb.onStep?.(this.step, ctx);
    options.onStep?.(this.step);
  }

  /** Appends an epoch's logs to the history, then fails on a non-finite loss or tells the callbacks. */
  #recordEpoch(logs: Record<string, number>): void {
    for (const [k, v] of Object.entries(logs)) {
      const list = this.history[k] ?? [];
      list.push(v);
      this.history[k] = list;
    }
    const index = this.epoch;
    this.epoch++;
    const { net, resolved, options, optimizer } = this.#host.setup();
    if (!Number.isFinite(logs.loss) || (logs.val_loss !== undefined && !Number.isFinite(logs.val_loss))) {
      // Put back the weights from before the epoch (or chunk) that diverged: the last finite ones.
      const model = net.model;
      if (model && this.#lastGood) restoreWeights(model, this.#lastGood);
      this.#host.fail(
        new ReactNNError(
          'numeric',
          'Trainer',
          `the loss became ${logs.loss} at epoch ${index + 1}, so training stopped and the weights from before that epoch were kept — lower the learning rate (now ${optimizer.config.lr}), add clipGradNorm, or check the data for extreme values; reset() starts over`,
        ),
      );
      return;
    }
    if (resolved.callbacks.length > 0) {
      const ctx = this.#host.context();
      for (const cb of resolved.callbacks) cb.onEpochEnd?.(index, logs, ctx);
    }
    options.onEpochEnd?.(index, logs);
    this.#host.changed();
  }
}

function stepConfig({ loss, optimizer, resolved: r }: RunSetup): StepConfig {
  return {
    loss,
    optimizer,
    regularization: r.regularization,
    clipGradNorm: r.clipGradNorm,
    clipGradValue: r.clipGradValue,
  };
}

/** The task the metrics are computed for, from the loss (or, for a custom loss, the data). */
function taskOf({ loss, data }: RunSetup): Task {
  switch (loss.targets) {
    case 'classIndex':
      return 'multiclass';
    case 'binary':
      return 'binary';
    case 'multilabel':
      return 'multilabel';
    default:
      return loss.custom ? (data.train.task as Task) : 'regression';
  }
}

/** The error for any use of a trainer whose model was disposed. */
export function modelDisposed(what: string): ReactNNError {
  return stateError(
    what,
    'the model was disposed (net.dispose(), or its <Model> unmounted) — a trainer follows one model; create a new trainer for a new model',
  );
}

export function stateError(what: string, message: string): ReactNNError {
  return new ReactNNError('state', `trainer.${what}`, message);
}
