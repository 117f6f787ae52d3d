import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import { epochOrder } from '../data/sampling';
import { describe, listChoices, ReactNNError } from '../errors';
import type { AnalyzedGraph, AnalyzedNode } from '../graph/types';
import { deriveSeed, randomSeed } from '../random';
import type { Net } from '../runtime/net';
import { Subscribable } from '../subscribable';
import type { Callback, CallbackContext } from './callbacks';
import { type SelectedEngine, selectEngine } from './engines/select';
import type { ChunkResult, EngineInfo, StepConfig } from './engines/types';
import { checkTargets, type LossSpec, type ResolvedLoss, resolveLoss } from './losses';
import { computeMetrics, type MetricName, resolveMetric, type Task } from './metrics';
import { createFrameScheduler, yieldToEventLoop } from './notify';
import { createOptimizer, type Optimizer, type OptimizerConfig } from './optimizers';

export type TrainerStatus = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'error';
export type EngineName = 'auto' | 'tfjs' | 'fused-webgpu' | 'fused-cpu';

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

export interface TrainerOptions {
  /** A Dataset, or separate training and validation sets. */
  data: Dataset | { train: Dataset; val?: Dataset };
  /** Hold out this fraction of `data` for validation (seeded, stratified for classes). */
  validationSplit?: number;
  loss: LossSpec;
  optimizer: OptimizerConfig;
  /** Examples per step, or 'full' for full-batch gradient descent. Default 32. */
  batchSize?: number | 'full';
  /** Epochs to train; default 100. */
  epochs?: number;
  metrics?: MetricName[];
  /** L1/L2 penalty added to the loss, on weights only (not biases). */
  regularization?: { l1?: number; l2?: number };
  /** Rescale gradients whose global 2-norm exceeds this (torch.nn.utils.clip_grad_norm_). */
  clipGradNorm?: number;
  /** Clamp every gradient element to ±this. */
  clipGradValue?: number;
  /** Seeds shuffling and the validation split. Seed the model (`<Model seed>`) for its weights. */
  seed?: number;
  /** Shuffle the training set every epoch; default true. */
  shuffle?: boolean;
  callbacks?: Callback[];
  /** Shorthand for a callback with only onEpochEnd. */
  onEpochEnd?: (epoch: number, logs: Record<string, number | undefined>) => void;
  /** Shorthand for a callback with only onStep. */
  onStep?: (step: number) => void;
  /** Training engine; 'auto' picks the fastest that supports the model. */
  engine?: EngineName;
}

/** What setOptions takes: any options, with the optimizer given in part (`{ optimizer: { lr: 1e-3 } }`). */
export type TrainerOptionsPatch = Partial<Omit<TrainerOptions, 'optimizer'>> & { optimizer?: Partial<OptimizerConfig> };

/** Anything that holds a Net: a `renderModel` result or a `useModel()` handle. */
export type NetLike = Net | { readonly net: Net };

const PATH = 'createTrainer';
const ENGINES: readonly EngineName[] = ['auto', 'tfjs', 'fused-webgpu', 'fused-cpu'];
const OPTION_KEYS = new Set([
  'data',
  'validationSplit',
  'loss',
  'optimizer',
  'batchSize',
  'epochs',
  'metrics',
  'regularization',
  'clipGradNorm',
  'clipGradValue',
  'seed',
  'shuffle',
  'callbacks',
  'onEpochEnd',
  'onStep',
  'engine',
]);

/**
 * Rows of epoch order a spanning fused chunk gets at most (many epochs of a small set): enough to
 * fill a chunk's time budget (a Worker's 50 ms at ~10 M rows/s) — a shorter order would end
 * chunks early, and every chunk costs a round trip. 2 MB of Int32, sent to a Worker once.
 */
const SPAN_ROWS = 1 << 19;

/** One finished epoch's training loss, in parts: Σ loss × rows on the device (tfjs steps) and on the host (fused chunks). */
interface EpochLoss {
  deviceSum: tf.Tensor | null;
  hostSum: number;
  samples: number;
}

/** A trainer's training and validation sets, and the ones it made itself (splits) and must dispose. */
interface ResolvedData {
  train: Dataset;
  val: Dataset | undefined;
  owned: Dataset[];
}

interface Resolved {
  batchSize: number | 'full';
  epochs: number;
  metrics: MetricName[];
  regularization: { l1?: number; l2?: number } | undefined;
  clipGradNorm: number | undefined;
  clipGradValue: number | undefined;
  seed: number;
  shuffle: boolean;
  callbacks: Callback[];
}

/**
 * Trains a react-nn model with PyTorch semantics: a framework-agnostic state machine
 * (idle → running ⇄ paused → done | stopped | error) and a store for `useSyncExternalStore`.
 * It follows its model through live edits: after a rebuild the next step trains the new
 * model, with optimizer state kept for every weight that was kept.
 */
export class Trainer extends Subscribable<TrainerSnapshot> {
  #net: Net;
  #options: TrainerOptions;
  #r: Resolved;
  #loss: ResolvedLoss;
  #optimizer: Optimizer;
  #engine: SelectedEngine;
  #train!: Dataset;
  #val: Dataset | undefined;
  #owned: Dataset[] = [];
  /** The training labels as one-hot rows, for crossEntropy on class ids (see #stepTargets). */
  #oneHot: { y: tf.Tensor; classes: number; value: tf.Tensor } | null = null;

  #status: TrainerStatus = 'idle';
  #epoch = 0;
  #step = 0;
  #history: History = { loss: [] };
  #warnings: string[] = [];
  #error: ReactNNError | null = null;
  #stopReason: string | null = null;

  #perm: Int32Array | null = null;
  /** The next block of epoch orders, shuffled ahead while a chunk ran (see #prefetchOrders). */
  #nextOrders: { key: string; order: Int32Array } | null = null;
  #offset = 0;
  #lossSum: tf.Tensor | null = null;
  /** Issue 8: Σ loss × rows of the epoch's fused chunks, already on the host. */
  #hostLossSum = 0;
  #samples = 0;
  #began = false;

  #loop: Promise<TrainerSnapshot> | null = null;
  #pauseRequested = false;
  #stopRequested = false;
  #resume: (() => void) | null = null;
  #callbackStop: string | null = null;
  /** reset() ran while the loop was alive: the loop ends at 'idle', not 'stopped'. */
  #resetRequested = false;
  #removeValidator: () => void;
  #notifier = createFrameScheduler(() => this.#publish());
  #disposed = false;

  constructor(net: NetLike, options: TrainerOptions) {
    const n = toNet(net);
    const checked = checkOptions(options);
    const loss = resolveLoss(options.loss, `${PATH} > loss`);
    const optimizer = createOptimizer(options.optimizer, `${PATH} > optimizer`);
    const engine = selectEngine(options.engine, n, { loss, optimizer });
    super({
      status: 'idle',
      epoch: 0,
      epochs: checked.epochs,
      step: 0,
      history: { loss: [] },
      warnings: [],
      error: null,
      lr: optimizer.config.lr,
      engine: engine.info,
      stopReason: null,
    });
    this.#net = n;
    this.#options = options;
    this.#r = checked;
    this.#loss = loss;
    this.#optimizer = optimizer;
    this.#engine = engine;
    this.#installData(this.#resolveData(options.data, options.validationSplit, checked.seed));
    this.#removeValidator = n.addValidator((graph) => this.#checkGraph(graph));
    const graph = n.graph;
    if (graph) {
      const problem = this.#checkGraph(graph);
      if (problem) {
        this.dispose();
        throw problem;
      }
    }
  }

  get net(): Net {
    return this.#net;
  }

  get status(): TrainerStatus {
    return this.#status;
  }

  /** The optimizer in use (its state is keyed by stable weight names, so it survives rebuilds). */
  get optimizer(): Optimizer {
    return this.#optimizer;
  }

  /** Trains until `epochs` are done, early stopping fires, or stop() — resolving with the final snapshot. */
  fit(): Promise<TrainerSnapshot> {
    if (this.#disposed) return Promise.reject(stateError('fit', 'this trainer was disposed; create a new one'));
    if (this.#net.isDisposed) return Promise.reject(modelDisposed('fit'));
    if (this.#status === 'running') {
      return Promise.reject(
        stateError('fit', 'training is already running — pause() or stop() it first; one trainer runs one loop'),
      );
    }
    if (this.#status === 'paused' && this.#loop) {
      this.resume();
      return this.#loop;
    }
    this.#error = null;
    this.#stopReason = null;
    this.#stopRequested = false;
    this.#pauseRequested = false;
    this.#callbackStop = null;
    this.#resetRequested = false;
    this.#status = 'running';
    this.#notifier.flushNow();
    this.#loop = this.#run().finally(() => {
      this.#loop = null;
    });
    return this.#loop;
  }

  /** Pauses after the current step; resume() or fit() continues. */
  pause(): void {
    if (this.#status !== 'running') return;
    this.#pauseRequested = true;
    this.#setStatus('paused');
  }

  resume(): void {
    if (this.#status !== 'paused') return;
    this.#pauseRequested = false;
    this.#setStatus('running');
    this.#resume?.();
  }

  /** Stops at the next step; the partial epoch is dropped. fit() starts again from the current weights. */
  stop(): void {
    if (this.#status !== 'running' && this.#status !== 'paused') return;
    this.#stopRequested = true;
    this.#resume?.();
    if (!this.#loop) this.#finish('stopped');
  }

  /** Runs exactly one training step (and the epoch's bookkeeping if it ends one), while not running. */
  async step(): Promise<TrainerSnapshot> {
    if (this.#status === 'running') throw stateError('step', 'training is running — pause() first to step by hand');
    if (this.#disposed) throw stateError('step', 'this trainer was disposed');
    if (this.#net.isDisposed) throw modelDisposed('step');
    await this.#net.ready();
    if (this.#epoch >= this.#r.epochs) return this.getSnapshot();
    this.#beginRun();
    const epochs = (await this.#runChunk(1, false)) ?? this.#runStepEpochs();
    for (const e of epochs) await this.#endEpoch(e);
    if (this.#status === 'idle' || this.#status === 'done' || this.#status === 'stopped') this.#setStatus('paused');
    this.#notifier.flushNow();
    return this.getSnapshot();
  }

  /** Stops, forgets history and optimizer state, and re-initialises the model's weights. */
  reset(): void {
    if (this.#disposed) throw stateError('reset', 'this trainer was disposed; create a new one');
    this.#resetRequested = true;
    this.#stopRequested = true;
    this.#resume?.();
    this.#dropPartialEpoch();
    this.#epoch = 0;
    this.#step = 0;
    this.#history = { loss: [] };
    this.#warnings = [];
    this.#error = null;
    this.#stopReason = null;
    this.#began = false;
    this.#perm = null;
    this.#optimizer.dispose();
    this.#optimizer = createOptimizer(this.#options.optimizer, `${PATH} > optimizer`);
    for (const cb of this.#r.callbacks) cb.dispose?.();
    this.#net.reinitialize();
    this.#status = 'idle';
    this.#notifier.flushNow();
  }

  /**
   * Changes options live: the learning rate, optimizer (type included — weights are kept),
   * batch size, loss, metrics and the rest apply from the next step. An invalid change
   * throws and changes nothing.
   */
  setOptions(patch: TrainerOptionsPatch): void {
    if (this.#disposed) throw stateError('setOptions', 'this trainer was disposed; create a new one');
    if (patch === null || typeof patch !== 'object') {
      throw new ReactNNError(
        'option',
        `${PATH} > setOptions`,
        `expected an object of options (got ${describe(patch)})`,
      );
    }
    const merged = { ...this.#options, ...patch } as TrainerOptions;
    if (patch.optimizer) merged.optimizer = { ...this.#options.optimizer, ...patch.optimizer } as OptimizerConfig;
    // Validate everything first; nothing below changes the trainer until all of it passed.
    const checked = checkOptions(merged);
    // A seed drawn at random is drawn once: the epoch orders must not change with every setOptions.
    if (merged.seed === undefined) checked.seed = this.#r.seed;
    const loss = 'loss' in patch ? resolveLoss(merged.loss, `${PATH} > loss`) : this.#loss;
    if (patch.optimizer) checkOptimizer(merged.optimizer);
    const dataChanged = patch.data !== undefined || patch.validationSplit !== undefined;
    const data = dataChanged ? this.#resolveData(merged.data, merged.validationSplit, checked.seed) : null;
    const graph = this.#net.graph;
    const problem = graph ? this.#checkGraph(graph, data?.train ?? this.#train, loss) : null;
    if (problem) {
      for (const d of data?.owned ?? []) d.dispose();
      throw problem;
    }
    // Then apply all of it.
    if (patch.optimizer) this.#optimizer.setConfig(patch.optimizer);
    // The same selector switches at the next chunk, handing the optimizer state over.
    if ('engine' in patch) this.#engine.setRequested(merged.engine ?? 'auto');
    this.#loss = loss;
    if (data) this.#installData(data);
    if (patch.callbacks) for (const cb of this.#r.callbacks) if (!checked.callbacks.includes(cb)) cb.dispose?.();
    this.#options = merged;
    this.#r = checked;
    this.#notifier.flushNow();
  }

  /** Stops training and frees everything the trainer made (not the model, which its Net owns). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#stopRequested = true;
    this.#resume?.();
    this.#notifier.cancel();
    this.#removeValidator?.();
    this.#dropPartialEpoch();
    this.#optimizer.dispose();
    this.#engine.dispose();
    for (const cb of this.#r?.callbacks ?? []) cb.dispose?.();
    for (const d of this.#owned) d.dispose();
    this.#owned = [];
    this.#oneHot?.value.dispose();
    this.#oneHot = null;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  // ---- the loop ----

  async #run(): Promise<TrainerSnapshot> {
    try {
      await this.#net.ready();
    } catch (e) {
      this.#fail(this.#net.isDisposed ? modelDisposed('fit') : e);
      return this.#finish('error');
    }
    if (this.#disposed || this.#stopRequested) return this.#finish('stopped');
    this.#beginRun();
    this.#setStatus('running');
    let lastYield = now();
    while (true) {
      if (this.#stopRequested) return this.#finish('stopped');
      if (this.#pauseRequested) {
        this.#notifier.flushNow();
        await new Promise<void>((r) => {
          this.#resume = r;
        });
        this.#resume = null;
        continue;
      }
      if (this.#epoch >= this.#r.epochs) return this.#finish('done');
      let epochs: EpochLoss[];
      try {
        epochs = (await this.#runChunk(Number.POSITIVE_INFINITY, this.#chunksMaySpanEpochs())) ?? this.#runStepEpochs();
      } catch (e) {
        this.#fail(e);
        return this.#finish('error');
      }
      for (const epoch of epochs) {
        try {
          const reading = this.#endEpoch(epoch);
          if (reading) await reading;
        } catch (e) {
          // Disposed (e.g. unmounted) while the epoch's numbers were being read: just end.
          if (this.#disposed || this.#stopRequested) return this.#finish('stopped');
          this.#fail(e);
          return this.#finish('error');
        }
        if (this.#status === 'error') return this.#finish('error');
        if (this.#callbackStop) {
          this.#stopReason = this.#callbackStop;
          return this.#finish('stopped');
        }
      }
      // Give the page a chance to paint and handle input.
      if (now() - lastYield > 12) {
        await yieldToEventLoop();
        lastYield = now();
        this.#notifier.schedule();
      }
    }
  }

  #beginRun(): void {
    if (this.#began) return;
    this.#began = true;
    const ctx = this.#context();
    for (const cb of this.#r.callbacks) cb.onTrainBegin?.(ctx);
  }

  // ---- fused engines (issue 8): many batches per call, weights synced into the model after each chunk ----

  /**
   * Whether one fused chunk may train several epochs: only when nothing but the loss observes
   * an epoch's end (no validation, metrics or epoch callbacks) — then a tiny epoch (25 steps
   * of a playground net) does not cost a round trip to the engine of its own.
   */
  #chunksMaySpanEpochs(): boolean {
    return (
      !this.#val &&
      this.#r.metrics.length === 0 &&
      !this.#options.onEpochEnd &&
      this.#r.callbacks.every((cb) => !cb.onEpochEnd)
    );
  }

  /** The row order from the current epoch on: one epoch's, or up to SPAN_ROWS rows of whole epochs. */
  #epochOrders(span: boolean): Int32Array {
    const from = this.#epoch;
    const count = this.#blockCount(span, from);
    const ready = this.#nextOrders;
    this.#nextOrders = null;
    if (ready?.key === this.#blockKey(from, count)) return ready.order;
    return this.#buildOrders(from, count);
  }

  /**
   * While a Worker trains the current block of epochs, shuffles the next one (~4 µs an epoch of
   * 250 rows — a tenth of a fast chunk's time if done between chunks instead).
   */
  #prefetchOrders(perm: Int32Array): void {
    const from = this.#epoch + Math.ceil(perm.length / this.#train.size);
    if (from >= this.#r.epochs || this.#nextOrders) return;
    const count = this.#blockCount(true, from);
    this.#nextOrders = { key: this.#blockKey(from, count), order: this.#buildOrders(from, count) };
  }

  /** Epochs in a block of orders from epoch `from`: one, or as many as SPAN_ROWS holds when spanning. */
  #blockCount(span: boolean, from: number): number {
    return span ? Math.max(1, Math.min(this.#r.epochs - from, Math.floor(SPAN_ROWS / this.#train.size))) : 1;
  }

  /** What a block's orders depend on: a prefetched block is used only if everything still matches. */
  #blockKey(from: number, count: number): string {
    return `${from}/${count}/${this.#train.size}/${this.#r.seed}/${this.#r.shuffle}`;
  }

  /** The seeded row orders of epochs `from` … `from + count − 1`, back to back. */
  #buildOrders(from: number, count: number): Int32Array {
    const n = this.#train.size;
    if (count === 1) return epochOrder(n, this.#r.seed, from, this.#r.shuffle);
    const out = new Int32Array(count * n);
    for (let i = 0; i < count; i++) out.set(epochOrder(n, this.#r.seed, from + i, this.#r.shuffle), i * n);
    return out;
  }

  /**
   * Runs up to `maxSteps` batches through the engine's `runChunk` — within the current epoch, or
   * on through later ones when `span`. Returns the epochs it completed (usually none or one),
   * or null when the engine trains this model one batch at a time (then `#runStep` does).
   */
  async #runChunk(maxSteps: number, span: boolean): Promise<EpochLoss[] | null> {
    const engine = this.#engine;
    const model = this.#net.model;
    const graph = this.#net.graph;
    if (!engine.runChunk || !model || !graph) return null;
    const n = this.#train.size;
    if (!this.#perm) {
      this.#perm = this.#epochOrders(span);
      this.#offset = 0;
    }
    const perm = this.#perm;
    const bs = this.#r.batchSize === 'full' ? n : Math.min(this.#r.batchSize, n);
    const offsetBefore = this.#offset;
    const running = engine.runChunk({
      net: this.#net,
      model,
      graph,
      x: this.#train.x,
      y: this.#train.y,
      // Later epochs' rows only when spanning is (still) allowed.
      order: span || perm.length === n ? perm : perm.subarray(0, n),
      epochSize: n,
      offset: offsetBefore,
      batchSize: bs,
      maxSteps,
      lossSum: this.#hostLossSum,
      config: {
        loss: this.#loss,
        optimizer: this.#optimizer,
        regularization: this.#r.regularization,
        clipGradNorm: this.#r.clipGradNorm,
        clipGradValue: this.#r.clipGradValue,
      },
    });
    if (span) this.#prefetchOrders(perm);
    let result: ChunkResult | null;
    try {
      result = await running;
    } catch (e) {
      // An edit replaced the model while the chunk awaited (planning it, reading it): what failed
      // was the old model. The next chunk plans the current one; optimizer state is kept by name.
      if (this.#net.model && this.#net.model !== model && !this.#disposed) return [];
      throw e;
    }
    if (result === null) return null;
    // The epoch was dropped (stop, reset, new data) while the chunk ran: its steps count for nothing.
    if (this.#disposed || this.#perm !== perm) return [];
    const ctx = this.#context();
    for (let i = 0; i < result.steps; i++) {
      this.#step++;
      for (const cb of this.#r.callbacks) cb.onStep?.(this.#step, ctx);
      this.#options.onStep?.(this.#step);
    }
    const sums = result.epochLossSums;
    this.#offset += result.samples;
    if (sums.length === 0) {
      this.#hostLossSum = result.lossSum;
      this.#samples += result.samples;
      return [];
    }
    // The first completed epoch continues this epoch's sums (part of it may have trained on
    // tfjs, summed on the device); the others trained whole inside the chunk.
    const epochs: EpochLoss[] = sums.map((hostSum, i) =>
      i === 0
        ? { deviceSum: this.#lossSum, hostSum, samples: this.#samples + n - offsetBefore }
        : { deviceSum: null, hostSum, samples: n },
    );
    this.#lossSum = null;
    const done = sums.length * n;
    this.#perm = done < perm.length ? perm.subarray(done) : null;
    this.#offset -= done;
    this.#hostLossSum = result.lossSum;
    this.#samples = this.#offset;
    return epochs;
  }

  // ---- end of fused-engine hooks ----

  /** One batch through `#runStep`: the epoch it completed, if it did. */
  #runStepEpochs(): EpochLoss[] {
    return this.#runStep() ? [this.#takeEpoch()] : [];
  }

  /** The finished epoch's loss parts, leaving the trainer at the start of the next epoch. */
  #takeEpoch(): EpochLoss {
    const epoch = { deviceSum: this.#lossSum, hostSum: this.#hostLossSum, samples: this.#samples };
    this.#lossSum = null;
    this.#hostLossSum = 0;
    this.#samples = 0;
    this.#perm = null;
    this.#offset = 0;
    return epoch;
  }

  /** One batch. Returns true when it completed an epoch. */
  #runStep(): boolean {
    const model = this.#net.model;
    if (!model) throw this.#net.isDisposed ? modelDisposed('step') : stateError('step', 'the model is not built yet');
    const n = this.#train.size;
    if (!this.#perm) {
      this.#perm = epochOrder(n, this.#r.seed, this.#epoch, this.#r.shuffle);
      this.#offset = 0;
    }
    const bs = this.#r.batchSize === 'full' ? n : Math.min(this.#r.batchSize, n);
    const count = Math.min(bs, n - this.#offset);
    const config: StepConfig = {
      loss: this.#loss,
      optimizer: this.#optimizer,
      regularization: this.#r.regularization,
      clipGradNorm: this.#r.clipGradNorm,
      clipGradValue: this.#r.clipGradValue,
    };
    let loss: tf.Scalar;
    const targets = this.#stepTargets(model);
    if (count === n && (this.#r.batchSize === 'full' || !this.#r.shuffle)) {
      // Full batch: the order of examples cannot matter, so skip the gather.
      loss = this.#engine.step(model, this.#train.x, targets, config);
    } else {
      const perm = this.#perm as Int32Array;
      const [xb, yb] = tf.tidy(() => {
        const idx = tf.tensor1d(perm.subarray(this.#offset, this.#offset + count), 'int32');
        return [tf.gather(this.#train.x, idx), tf.gather(targets, idx)];
      });
      try {
        loss = this.#engine.step(model, xb as tf.Tensor, yb as tf.Tensor, config);
      } finally {
        tf.dispose([xb, yb]);
      }
    }
    // Sum on the device; read once per epoch.
    const prev = this.#lossSum;
    this.#lossSum = tf.tidy(() => (prev ? tf.add(prev, tf.mul(loss, count)) : tf.mul(loss, count)));
    prev?.dispose();
    loss.dispose();
    this.#samples += count;
    this.#offset += count;
    this.#step++;
    const ctx = this.#context();
    for (const cb of this.#r.callbacks) cb.onStep?.(this.#step, ctx);
    this.#options.onStep?.(this.#step);
    return this.#offset >= n;
  }

  /**
   * The labels a tfjs step gathers from. For the built-in crossEntropy on class ids, one-hot rows
   * made once per data set and class count: the loss then skips casting and one-hot encoding every
   * batch (three kernels a step, each a shader dispatch on WebGL/WebGPU) and computes the same.
   */
  #stepTargets(model: tf.LayersModel): tf.Tensor {
    const y = this.#train.y;
    const out = model.outputs[0]?.shape;
    const classes = out?.[out.length - 1];
    if (this.#loss.name !== 'crossEntropy' || this.#loss.custom || typeof classes !== 'number' || classes < 2) return y;
    if (y.size !== this.#train.size) return y; // already one row of probabilities per sample
    const cached = this.#oneHot;
    if (cached && cached.y === y && cached.classes === classes) return cached.value;
    cached?.value.dispose();
    const value = tf.tidy(() => tf.cast(tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), classes), 'float32'));
    this.#oneHot = { y, classes, value };
    return value;
  }

  /** Ends an epoch: a promise when it has to read from the device, else done at once. */
  #endEpoch(epoch: EpochLoss): Promise<void> | undefined {
    // A fused chunk's epoch with nothing else to compute: no device work, no await (a spanning
    // chunk ends hundreds of epochs of a small set at once).
    if (!epoch.deviceSum && !this.#val && this.#r.metrics.length === 0) {
      this.#recordEpoch({ loss: epoch.hostSum / epoch.samples });
      return undefined;
    }
    return this.#evaluateEpoch(epoch);
  }

  async #evaluateEpoch(epoch: EpochLoss): Promise<void> {
    const model = this.#net.model as tf.LayersModel;
    // Device-side sum of #runStep's batches (null when fused chunks trained the whole epoch), plus
    // the fused chunks' host-side sum (issue 8): an epoch without validation then reads nothing back.
    const { deviceSum: sum, hostSum, samples } = epoch;
    const logs: Record<string, number> = {};
    const metricNames = this.#r.metrics;
    const task = this.#task();
    const fromLogits = this.#loss.expects === 'logits';
    const evalBatch = Math.max(256, typeof this.#r.batchSize === 'number' ? this.#r.batchSize : 0);
    let valPred: tf.Tensor | null = null;
    let valLoss: tf.Tensor | null = null;
    let trainPred: tf.Tensor | null = null;
    try {
      if (this.#val) {
        valPred = this.#engine.predict(model, this.#val.x, evalBatch);
        valLoss = this.#loss.fn(this.#val.y, valPred);
      }
      if (metricNames.length > 0) trainPred = this.#engine.predict(model, this.#train.x, evalBatch);
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
        // The trainer or its data may have been disposed while we waited for the device.
        if (this.#disposed || this.#train.isDisposed || this.#val?.isDisposed) return;
        if (sum) logs.loss = values[0] as number;
        if (valLoss) logs.val_loss = values[sum ? 1 : 0] as number;
      }
      if (trainPred)
        Object.assign(logs, await computeMetrics(metricNames, this.#train.y, trainPred, { task, fromLogits }));
      if (valPred && metricNames.length > 0) {
        const m = await computeMetrics(metricNames, (this.#val as Dataset).y, valPred, { task, fromLogits });
        for (const [k, v] of Object.entries(m)) logs[`val_${k}`] = v;
      }
    } finally {
      tf.dispose([sum, valPred, valLoss, trainPred].filter((t): t is tf.Tensor => t !== null));
    }
    if (this.#disposed) return;
    this.#recordEpoch(logs);
  }

  /** Appends an epoch's logs to the history, then fails on a non-finite loss or tells the callbacks. */
  #recordEpoch(logs: Record<string, number>): void {
    for (const [k, v] of Object.entries(logs)) {
      const list = this.#history[k] ?? [];
      list.push(v);
      this.#history[k] = list;
    }
    const index = this.#epoch;
    this.#epoch++;
    if (!Number.isFinite(logs.loss) || (logs.val_loss !== undefined && !Number.isFinite(logs.val_loss))) {
      this.#fail(
        new ReactNNError(
          'numeric',
          'Trainer',
          `the loss became ${logs.loss} at epoch ${index + 1}, so training stopped — lower the learning rate (now ${this.#optimizer.config.lr}), add clipGradNorm, or check the data for extreme values`,
        ),
      );
      return;
    }
    if (this.#r.callbacks.length > 0) {
      const ctx = this.#context();
      for (const cb of this.#r.callbacks) cb.onEpochEnd?.(index, logs, ctx);
    }
    this.#options.onEpochEnd?.(index, logs);
    this.#notifier.schedule();
  }

  #finish(status: 'done' | 'stopped' | 'error'): TrainerSnapshot {
    this.#dropPartialEpoch();
    if (this.#resetRequested && !this.#disposed) {
      // reset() already put everything back to the start: the run just ends there.
      this.#resetRequested = false;
      this.#notifier.flushNow();
      return this.getSnapshot();
    }
    if (status === 'stopped' && !this.#stopReason && !this.#disposed) this.#stopReason = 'stopped by stop()';
    if (!this.#disposed) {
      const model = this.#net.model;
      if (model) {
        const ctx = this.#context();
        for (const cb of this.#r.callbacks) cb.onTrainEnd?.(ctx, status);
      }
      this.#began = status === 'stopped' && this.#stopReason === 'stopped by stop()';
      this.#status = status;
      this.#notifier.flushNow();
    } else {
      // Disposed: no callbacks (the model may be gone), but the last snapshot must not say 'running'.
      this.#status = status;
      this.#stopReason ??= 'disposed';
      this.#publish();
    }
    return this.getSnapshot();
  }

  #dropPartialEpoch(): void {
    this.#lossSum?.dispose();
    this.#lossSum = null;
    this.#hostLossSum = 0;
    this.#samples = 0;
    this.#perm = null;
    this.#offset = 0;
  }

  // ---- helpers ----

  #context(): CallbackContext {
    return {
      model: this.#net.model as tf.LayersModel,
      stop: (reason) => {
        this.#callbackStop = reason;
      },
      getLr: () => this.#optimizer.config.lr,
      setLr: (lr) => this.#optimizer.setConfig({ lr }),
      warn: (message) => this.#warn(message),
    };
  }

  #task(): Task {
    switch (this.#loss.targets) {
      case 'classIndex':
        return 'multiclass';
      case 'binary':
        return 'binary';
      case 'multiLabel':
        return 'multilabel';
      default:
        return this.#loss.custom ? (this.#train.task as Task) : 'regression';
    }
  }

  /** The training and validation sets `data` and `validationSplit` give, made but not installed. */
  #resolveData(data: TrainerOptions['data'], validationSplit: number | undefined, seed: number): ResolvedData {
    const path = `${PATH} > data`;
    let train: Dataset;
    let val: Dataset | undefined;
    if (isDataset(data)) {
      train = data;
    } else if (data && typeof data === 'object' && isDataset((data as { train: Dataset }).train)) {
      train = (data as { train: Dataset }).train;
      val = (data as { val?: Dataset }).val;
      if (val !== undefined && !isDataset(val))
        throw new ReactNNError('option', path, `val must be a Dataset (got ${describe(val)})`);
    } else {
      throw new ReactNNError(
        'option',
        path,
        `data must be a Dataset (e.g. datasets.moons()) or { train, val } of Datasets (got ${describe(data)})`,
      );
    }
    if (train.isDisposed) throw new ReactNNError('data', path, 'the training Dataset was disposed');
    if (val?.isDisposed) throw new ReactNNError('data', path, 'the validation Dataset was disposed');
    if (val && JSON.stringify(val.inputShape) !== JSON.stringify(train.inputShape)) {
      throw new ReactNNError(
        'data',
        path,
        `validation examples have shape [${val.inputShape.join(', ')}] but training examples [${train.inputShape.join(', ')}]`,
      );
    }
    if (validationSplit !== undefined && validationSplit > 0) {
      if (val) throw new ReactNNError('option', PATH, 'give either data.val or validationSplit, not both');
      const split = train.split(validationSplit, {
        seed: deriveSeed(seed, 'split'),
        stratify: train.numClasses !== undefined,
      });
      return { train: split.train, val: split.val, owned: [split.train, split.val] };
    }
    return { train, val, owned: [] };
  }

  #installData(data: ResolvedData): void {
    for (const d of this.#owned) if (!data.owned.includes(d)) d.dispose();
    this.#owned = data.owned;
    this.#oneHot?.value.dispose();
    this.#oneHot = null;
    this.#train = data.train;
    this.#val = data.val;
    this.#perm = null;
  }

  /** Whether a graph fits the data and the loss; used as the Net's validator and at setOptions. */
  #checkGraph(graph: AnalyzedGraph, train = this.#train, loss = this.#loss): ReactNNError | null {
    const inShape = graph.inputShape;
    if (JSON.stringify([...inShape]) !== JSON.stringify([...train.inputShape])) {
      return new ReactNNError(
        'shape',
        PATH,
        `the model takes inputs of shape [${inShape.join(', ')}] but the data's examples are [${train.inputShape.join(', ')}] — set inputShape={[${train.inputShape.join(', ')}]}`,
      );
    }
    const last = lastLeaf(graph.root);
    const message = checkTargets(loss, graph.outputShape, train.targetShape, train.numClasses);
    if (message) return new ReactNNError('shape', `${PATH} > loss`, `${message} (last layer: ${last.path})`);
    const type = last.node.type;
    if (loss.name === 'crossEntropy' && type === 'Softmax') {
      this.#warn(
        `crossEntropy takes logits and applies log-softmax itself, but the model ends in Softmax (${last.path}) — remove the <Softmax />, as in PyTorch`,
      );
    }
    if (loss.name === 'bceWithLogits' && type === 'Sigmoid') {
      this.#warn(
        `bceWithLogits applies the sigmoid itself, but the model ends in Sigmoid (${last.path}) — remove the <Sigmoid /> or use loss 'bce'`,
      );
    }
    if ((loss.name === 'bce' || loss.name === 'multiLabelBce') && type !== 'Sigmoid') {
      this.#warn(
        `${loss.name} takes probabilities, but the model ends in ${type} (${last.path}) — end it with <Sigmoid /> or use loss 'bceWithLogits'`,
      );
    }
    return null;
  }

  #warn(message: string): void {
    if (this.#warnings.includes(message)) return;
    this.#warnings = [...this.#warnings, message];
    console.warn(`[react-nn] ${message}`);
    this.#notifier.schedule();
  }

  #fail(e: unknown): void {
    // Whatever broke once the model was gone, the cause to report is that it is gone.
    if (this.#net.isDisposed && !(e instanceof ReactNNError && /disposed/.test(e.message))) e = modelDisposed('fit');
    this.#error =
      e instanceof ReactNNError
        ? e
        : new ReactNNError('state', 'Trainer', `training failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    this.#status = 'error';
    this.#notifier.flushNow();
  }

  #setStatus(status: TrainerStatus): void {
    this.#status = status;
    this.#notifier.flushNow();
  }

  #publish(): void {
    const history: History = { loss: [...this.#history.loss] };
    for (const [k, v] of Object.entries(this.#history)) history[k] = [...v];
    this.setSnapshot({
      status: this.#status,
      epoch: this.#epoch,
      epochs: this.#r.epochs,
      step: this.#step,
      history,
      warnings: this.#warnings,
      error: this.#error,
      lr: this.#optimizer.config.lr,
      engine: this.#engine.info,
      stopReason: this.#stopReason,
    });
  }
}

/**
 * Creates a trainer for a model.
 * @example
 * const trainer = createTrainer(net, { data, loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 200 });
 * await trainer.fit();
 */
export function createTrainer(net: NetLike, options: TrainerOptions): Trainer {
  return new Trainer(net, options);
}

function toNet(x: NetLike): Net {
  const net = x && typeof x === 'object' && 'net' in x ? (x as { net: Net }).net : (x as Net);
  if (!net || typeof net.addValidator !== 'function') {
    throw new ReactNNError(
      'option',
      PATH,
      `expected a model: the result of renderModel() or a useModel() handle (got ${describe(x)})`,
    );
  }
  return net;
}

function checkOptions(o: TrainerOptions): Resolved {
  if (o === null || typeof o !== 'object') {
    throw new ReactNNError(
      'option',
      PATH,
      `options must be an object with data, loss and optimizer (got ${describe(o)})`,
    );
  }
  for (const k of Object.keys(o)) {
    if (!OPTION_KEYS.has(k)) {
      throw new ReactNNError(
        'option',
        PATH,
        `unknown option "${k}" — valid options are ${[...OPTION_KEYS].join(', ')}`,
      );
    }
  }
  if (o.loss === undefined) {
    throw new ReactNNError(
      'option',
      PATH,
      "loss is required — e.g. 'mse' (regression), 'bce' (binary), 'crossEntropy' (classes)",
    );
  }
  if (o.optimizer === undefined) {
    throw new ReactNNError('option', PATH, "optimizer is required — e.g. { type: 'adam', lr: 0.001 }");
  }
  const batchSize = o.batchSize ?? 32;
  if (batchSize !== 'full' && !(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new ReactNNError(
      'option',
      `${PATH} > batchSize`,
      `batchSize must be a positive integer or 'full' (got ${describe(batchSize)})`,
    );
  }
  const epochs = o.epochs ?? 100;
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new ReactNNError('option', `${PATH} > epochs`, `epochs must be an integer ≥ 0 (got ${describe(epochs)})`);
  }
  if (
    o.validationSplit !== undefined &&
    !(typeof o.validationSplit === 'number' && o.validationSplit >= 0 && o.validationSplit < 1)
  ) {
    throw new ReactNNError(
      'option',
      `${PATH} > validationSplit`,
      `validationSplit must be a number in [0, 1) (got ${describe(o.validationSplit)})`,
    );
  }
  const metrics = o.metrics ?? [];
  if (!Array.isArray(metrics))
    throw new ReactNNError('option', `${PATH} > metrics`, `metrics must be an array (got ${describe(metrics)})`);
  metrics.forEach((m, i) => {
    resolveMetric(m, `${PATH} > metrics[${i}]`);
  });
  for (const key of ['clipGradNorm', 'clipGradValue'] as const) {
    const v = o[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) {
      throw new ReactNNError('option', `${PATH} > ${key}`, `${key} must be a positive number (got ${describe(v)})`);
    }
  }
  const reg = o.regularization;
  if (reg !== undefined) {
    if (reg === null || typeof reg !== 'object') {
      throw new ReactNNError(
        'option',
        `${PATH} > regularization`,
        `regularization must be { l1?, l2? } (got ${describe(reg)})`,
      );
    }
    for (const k of ['l1', 'l2'] as const) {
      const v = reg[k];
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
        throw new ReactNNError('option', `${PATH} > regularization`, `${k} must be a number ≥ 0 (got ${describe(v)})`);
      }
    }
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed)) {
    throw new ReactNNError('option', `${PATH} > seed`, `seed must be an integer (got ${describe(o.seed)})`);
  }
  const callbacks = o.callbacks ?? [];
  if (!Array.isArray(callbacks) || callbacks.some((c) => !c || typeof c !== 'object')) {
    throw new ReactNNError(
      'option',
      `${PATH} > callbacks`,
      `callbacks must be an array of callback objects such as earlyStopping({ patience: 10 })`,
    );
  }
  for (const key of ['onEpochEnd', 'onStep'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw new ReactNNError('option', `${PATH} > ${key}`, `${key} must be a function (got ${describe(o[key])})`);
    }
  }
  if (o.engine !== undefined && !ENGINES.includes(o.engine)) {
    throw new ReactNNError(
      'option',
      `${PATH} > engine`,
      `unknown engine ${describe(o.engine)} — use ${listChoices(ENGINES)}`,
    );
  }
  return {
    batchSize,
    epochs,
    metrics,
    regularization: reg,
    clipGradNorm: o.clipGradNorm,
    clipGradValue: o.clipGradValue,
    seed: o.seed ?? randomSeed(),
    shuffle: o.shuffle ?? true,
    callbacks,
  };
}

/** Validates an optimizer config the way createOptimizer does, without touching the live one. */
function checkOptimizer(config: OptimizerConfig): void {
  createOptimizer(config, `${PATH} > optimizer`).dispose();
}

function isDataset(x: unknown): x is Dataset {
  return (
    !!x && typeof x === 'object' && 'x' in x && 'y' in x && 'size' in x && typeof (x as Dataset).split === 'function'
  );
}

function lastLeaf(node: AnalyzedNode): AnalyzedNode {
  const last = node.children.at(-1);
  return last ? lastLeaf(last) : node;
}

function modelDisposed(what: string): ReactNNError {
  return stateError(
    what,
    'the model was disposed (net.dispose(), or its <Model> unmounted) — a trainer follows one model; create a new trainer for a new model',
  );
}

function stateError(what: string, message: string): ReactNNError {
  return new ReactNNError('state', `trainer.${what}`, message);
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
