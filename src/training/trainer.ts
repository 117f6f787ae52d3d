import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import { describe, ReactNNError } from '../errors';
import type { AnalyzedGraph } from '../graph/types';
import type { Net } from '../runtime/net';
import { Subscribable } from '../subscribable';
import type { CallbackContext } from './callbacks';
import { type SelectedEngine, selectEngine } from './engines/select';
import type { ChunkResult, EngineInfo, StepConfig } from './engines/types';
import { EpochCursor, type EpochLoss, type OrderSpec } from './epochCursor';
import { epochLogs, needsDevice } from './epochLogs';
import { type ResolvedLoss, resolveLoss } from './losses';
import type { Task } from './metrics';
import { createFrameScheduler, yieldToEventLoop } from './notify';
import { createOptimizer, type Optimizer, type OptimizerConfig } from './optimizers';
import { checkResume, exportTrainerState, loadHistory } from './resume';
import { checkGraph, type ResolvedData, resolveData } from './trainerData';
import {
  checkOptimizer,
  checkOptions,
  type ResolvedOptions,
  type TrainerOptions,
  type TrainerOptionsPatch,
} from './trainerOptions';
import { optimizerStates, parseResume, type TrainerState } from './trainerState';
import { INITIAL_RUN, mustEnd, type RunAction, type RunState, type TrainerStatus, transition } from './trainerStatus';
import { disposeSnapshot, restoreWeights, snapshotWeights, type WeightSnapshot } from './weights';

export type { EngineName, TrainerOptions, TrainerOptionsPatch } from './trainerOptions';
export type { TrainerStatus } from './trainerStatus';

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

/** Anything that holds a Net: a `renderModel` result or a `useModel()` handle. */
export type NetLike = Net | { readonly net: Net };

const PATH = 'createTrainer';

/**
 * Trains a react-nn model with PyTorch semantics: a framework-agnostic state machine
 * (idle → running ⇄ paused → done | stopped | error; see trainerStatus.ts) and a store for
 * `useSyncExternalStore`. It follows its model through live edits: after a rebuild the next
 * step trains the new model, with optimizer state kept for every weight that was kept.
 */
export class Trainer extends Subscribable<TrainerSnapshot> {
  #net: Net;
  #options: TrainerOptions;
  #r: ResolvedOptions;
  #loss: ResolvedLoss;
  #optimizer: Optimizer;
  #engine: SelectedEngine;
  #data!: ResolvedData;

  #state: RunState = INITIAL_RUN;
  #epoch = 0;
  #step = 0;
  #history: History = { loss: [] };
  #warnings: string[] = [];
  #cursor = new EpochCursor();
  /** The weights at the start of the current epoch (see #keepLastGood). */
  #lastGood: WeightSnapshot | null = null;

  #loop: Promise<TrainerSnapshot> | null = null;
  /** Wakes the loop while it waits (paused, or for the model): set by the loop, called by #dispatch. */
  #wake: (() => void) | null = null;
  #removeValidator: () => void = () => {};
  #notifier = createFrameScheduler(() => this.#publish());
  #disposed = false;

  constructor(net: NetLike, options: TrainerOptions) {
    const n = toNet(net);
    const resume = options?.resume !== undefined ? parseResume(options.resume) : null;
    // A resumed run keeps its seed: the validation split and every epoch order depend on it.
    const savedSeed = resume?.json.options.seed;
    if (resume && options.seed !== undefined && options.seed !== savedSeed) {
      throw new ReactNNError(
        'state',
        `${PATH} > resume`,
        `the run was saved with seed ${savedSeed} but seed ${options.seed} was given — leave seed out to continue the saved run`,
      );
    }
    const checked = checkOptions(options, savedSeed);
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
    try {
      this.#installData(resolveData(options.data, options.validationSplit, checked.seed));
      const graph = n.graph;
      const problem = graph ? this.#checkGraph(graph) : null;
      if (problem) throw problem;
      if (resume) this.#resume(resume);
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.#removeValidator = n.addValidator((graph) => this.#checkGraph(graph));
  }

  get net(): Net {
    return this.#net;
  }

  get status(): TrainerStatus {
    return this.#state.status;
  }

  /** The optimizer in use (its state is keyed by stable weight names, so it survives rebuilds). */
  get optimizer(): Optimizer {
    return this.#optimizer;
  }

  /** The options in effect (as given, with setOptions' changes): what exporters such as exportPyTorch read. */
  get options(): Readonly<TrainerOptions> {
    return this.#options;
  }

  /** The training and validation sets in use — after `validationSplit`, the split this trainer made. */
  get datasets(): { readonly train: Dataset; readonly val: Dataset | undefined } {
    return { train: this.#data.train, val: this.#data.val };
  }

  /** Trains until `epochs` are done, early stopping fires, or stop() — resolving with the final snapshot. */
  fit(): Promise<TrainerSnapshot> {
    if (this.#disposed) return Promise.reject(stateError('fit', 'this trainer was disposed; create a new one'));
    if (this.#net.isDisposed) return Promise.reject(modelDisposed('fit'));
    if (this.#state.status === 'running') {
      return Promise.reject(
        stateError('fit', 'training is already running — pause() or stop() it first; one trainer runs one loop'),
      );
    }
    this.#dispatch({ type: 'fit' });
    if (this.#loop) return this.#loop;
    this.#loop = this.#run().finally(() => {
      this.#loop = null;
    });
    return this.#loop;
  }

  /** Pauses after the current step; resume() or fit() continues. */
  pause(): void {
    this.#dispatch({ type: 'pause' });
  }

  resume(): void {
    // Paused by step() with no loop alive: a loop must start, as fit() starts it (errors land in the snapshot).
    if (!this.#loop && this.#state.status === 'paused') this.fit().catch(() => {});
    else this.#dispatch({ type: 'resume' });
  }

  /** Stops at the next step; the partial epoch is dropped. fit() starts again from the current weights. */
  stop(): void {
    this.#dispatch({ type: 'stop' });
    // Paused by step() with no loop alive: nothing else would end the run.
    if (!this.#loop && this.#state.ending === 'stop') this.#finish('stopped');
  }

  /** Runs exactly one training step (and the epoch's bookkeeping if it ends one), while not running. */
  async step(): Promise<TrainerSnapshot> {
    if (this.#state.status === 'running')
      throw stateError('step', 'training is running — pause() first to step by hand');
    if (this.#disposed) throw stateError('step', 'this trainer was disposed');
    if (this.#net.isDisposed) throw modelDisposed('step');
    await this.#net.ready();
    if (this.#epoch >= this.#r.epochs) return this.getSnapshot();
    this.#beginRun();
    this.#checkData();
    this.#keepLastGood();
    const epochs = await this.#runChunk(1, false);
    for (const e of epochs) await this.#endEpoch(e);
    this.#dispatch({ type: 'stepped' });
    this.#notifier.flushNow();
    return this.getSnapshot();
  }

  /** Stops, forgets history and optimizer state, and re-initialises the model's weights. */
  reset(): void {
    if (this.#disposed) throw stateError('reset', 'this trainer was disposed; create a new one');
    this.#cursor.drop();
    this.#dropLastGood();
    this.#epoch = 0;
    this.#step = 0;
    this.#history = { loss: [] };
    this.#warnings = [];
    this.#optimizer.dispose();
    this.#optimizer = createOptimizer(this.#options.optimizer, `${PATH} > optimizer`);
    for (const cb of this.#r.callbacks) cb.dispose?.();
    this.#net.reinitialize();
    this.#dispatch({ type: 'reset' });
    this.#notifier.flushNow();
  }

  /**
   * Changes options live: the learning rate, optimizer (type included — weights are kept),
   * batch size, loss, metrics and the rest apply from the next step. All of it is validated
   * before any of it applies: an invalid change throws and changes nothing.
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
    const checked = checkOptions(merged, this.#r.seed);
    const loss = 'loss' in patch ? resolveLoss(merged.loss, `${PATH} > loss`) : this.#loss;
    if (patch.optimizer) checkOptimizer(merged.optimizer);
    const dataChanged = patch.data !== undefined || patch.validationSplit !== undefined;
    const data = dataChanged ? resolveData(merged.data, merged.validationSplit, checked.seed) : null;
    const graph = this.#net.graph;
    const problem = graph ? this.#checkGraph(graph, data?.train, loss) : null;
    if (problem) {
      for (const d of data?.owned ?? []) d.dispose();
      throw problem;
    }
    // Everything passed: apply all of it.
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

  /**
   * The trainer's state, for exact resume with `createTrainer(net, { ...options, resume })`:
   * see {@link TrainerState}. Allowed while idle, paused, stopped, done or after an error; while
   * running it throws (pause() first, or await fit()) — a state is taken between steps.
   * Everything is copied out: later training does not change the returned state.
   */
  async exportState(): Promise<TrainerState> {
    if (this.#disposed) throw stateError('exportState', 'this trainer was disposed');
    if (this.#state.status === 'running') {
      throw stateError(
        'exportState',
        'training is running — pause() first (or await fit()): a state is taken between steps',
      );
    }
    // Paused while a chunk was in flight: wait until the loop parks, so the optimizer state read
    // from the engine and the trainer's step, epoch and cursor describe the same moment.
    while (this.#loop && !this.#wake && this.#state.status === 'paused') await yieldToEventLoop();
    if (this.status === 'running') {
      throw stateError('exportState', 'training was resumed while the state was being taken — pause() again');
    }
    return exportTrainerState({
      model: this.#net.model,
      options: this.#options,
      resolved: this.#r,
      loss: this.#loss.name,
      optimizer: this.#optimizer,
      params: await this.#engine.optimizerState(this.#net.model, this.#optimizer),
      callbacks: this.#r.callbacks,
      epoch: this.#epoch,
      step: this.#step,
      history: this.#history,
      cursor: await this.#cursor.position(),
      dataSize: this.#data.train.size,
      engine: { requested: this.#engine.requested, name: this.#engine.info.name },
      status: this.#state.status,
      stopReason: this.#state.stopReason,
    });
  }

  /** Stops training and frees everything the trainer made (not the model, which its Net owns). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#dispatch({ type: 'dispose' });
    this.#dropLastGood();
    this.#notifier.cancel();
    this.#removeValidator();
    this.#cursor.drop();
    this.#optimizer.dispose();
    this.#engine.dispose();
    for (const cb of this.#r.callbacks) cb.dispose?.();
    for (const d of this.#data?.owned ?? []) d.dispose();
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Checks a saved state against this trainer's model, data, loss and callbacks, then installs it all. */
  #resume(state: TrainerState): void {
    const install = checkResume(state, {
      model: this.#net.model,
      dataSize: this.#data.train.size,
      loss: this.#loss.name,
      optimizerType: this.#optimizer.config.type,
      callbacks: this.#r.callbacks,
    });
    this.#optimizer.setConfig(state.json.optimizer.config as Partial<OptimizerConfig>);
    this.#optimizer.importState(optimizerStates(state));
    this.#epoch = state.json.epoch;
    this.#step = state.json.step;
    this.#history = loadHistory(state.json.history);
    this.#cursor.restore(this.#orderSpec(), state.json.cursor);
    for (const apply of install) apply();
    if (this.#options.engine === undefined) this.#engine.setRequested(state.json.engine.requested);
    // A continued run, not a fresh one: callbacks keep the state just restored.
    this.#dispatch({ type: 'begin' });
    this.#publish();
  }

  // ---- the loop ----

  async #run(): Promise<TrainerSnapshot> {
    try {
      // A model still building (a <Pretrained> loading) must not hold stop() or dispose() up.
      let ready = false;
      while (!ready && !mustEnd(this.#state)) {
        await this.#untilWoken(
          this.#net.ready().then(() => {
            ready = true;
          }),
        );
      }
    } catch (e) {
      this.#fail(e);
      return this.#finish('error');
    }
    if (mustEnd(this.#state)) return this.#finish('stopped');
    this.#beginRun();
    let lastYield = now();
    while (true) {
      if (mustEnd(this.#state)) return this.#finish(this.#state.status === 'error' ? 'error' : 'stopped');
      if (this.#state.status === 'paused') {
        this.#notifier.flushNow();
        await this.#untilWoken(new Promise<void>(() => {}));
        continue;
      }
      if (this.#epoch >= this.#r.epochs) return this.#finish('done');
      let epochs: EpochLoss[];
      try {
        this.#checkData();
        this.#keepLastGood();
        epochs = await this.#runChunk(Number.POSITIVE_INFINITY, this.#chunksMaySpanEpochs());
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
          if (this.#state.ending) return this.#finish('stopped');
          this.#fail(e);
          return this.#finish('error');
        }
        if (mustEnd(this.#state)) break;
      }
      // Give the page a chance to paint and handle input.
      if (now() - lastYield > 12) {
        await yieldToEventLoop();
        lastYield = now();
        this.#notifier.schedule();
      }
    }
  }

  /** `promise`, or earlier when a dispatch wakes the loop (resume, stop, reset, dispose). */
  #untilWoken(promise: Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#wake = resolve;
      promise.then(resolve, reject);
    }).finally(() => {
      this.#wake = null;
    });
  }

  #beginRun(): void {
    if (this.#state.began) return;
    this.#dispatch({ type: 'begin' });
    const ctx = this.#context();
    for (const cb of this.#r.callbacks) cb.onTrainBegin?.(ctx);
  }

  /**
   * Whether one fused chunk may train several epochs: only when nothing but the loss observes
   * an epoch's end (no validation, metrics or epoch callbacks) — then a tiny epoch (25 steps
   * of a playground net) does not cost a round trip to the engine of its own.
   */
  #chunksMaySpanEpochs(): boolean {
    return (
      !this.#data.val &&
      this.#r.metrics.length === 0 &&
      !this.#options.onEpochEnd &&
      this.#r.callbacks.every((cb) => !cb.onEpochEnd)
    );
  }

  #orderSpec(): OrderSpec {
    const r = this.#r;
    return { epoch: this.#epoch, epochs: r.epochs, size: this.#data.train.size, seed: r.seed, shuffle: r.shuffle };
  }

  #stepConfig(): StepConfig {
    const r = this.#r;
    return {
      loss: this.#loss,
      optimizer: this.#optimizer,
      regularization: r.regularization,
      clipGradNorm: r.clipGradNorm,
      clipGradValue: r.clipGradValue,
    };
  }

  #batchSize(): number {
    const n = this.#data.train.size;
    return this.#r.batchSize === 'full' ? n : Math.min(this.#r.batchSize, n);
  }

  /**
   * Runs up to `maxSteps` batches through the engine's `runChunk` (one on tfjs, many on a fused
   * engine) — within the current epoch, or on through later ones when `span`. Returns the epochs
   * it completed (usually none or one).
   */
  async #runChunk(maxSteps: number, span: boolean): Promise<EpochLoss[]> {
    const engine = this.#engine;
    const model = this.#net.model;
    const graph = this.#net.graph;
    if (!model || !graph) {
      throw this.#net.isDisposed ? modelDisposed('step') : stateError('step', 'the model is not built yet');
    }
    const train = this.#data.train;
    const n = train.size;
    const spec = this.#orderSpec();
    const perm = this.#cursor.order(spec, span);
    const offsetBefore = this.#cursor.offset;
    const running = engine.runChunk({
      net: this.#net,
      model,
      graph,
      x: train.x,
      y: train.y,
      // Later epochs' rows only when spanning is (still) allowed.
      order: span || perm.length === n ? perm : perm.subarray(0, n),
      epochSize: n,
      offset: offsetBefore,
      batchSize: this.#batchSize(),
      maxSteps,
      anyOrder: this.#r.batchSize === 'full' || !this.#r.shuffle,
      lossSum: this.#cursor.hostSum,
      config: this.#stepConfig(),
    });
    if (span) this.#cursor.prefetch(spec, perm);
    let result: ChunkResult;
    try {
      result = await running;
    } catch (e) {
      // An edit replaced the model while the chunk awaited (planning it, reading it): what failed
      // was the old model. The next chunk plans the current one; optimizer state is kept by name.
      if (this.#net.model && this.#net.model !== model && !this.#disposed) return [];
      throw e;
    }
    // The epoch was dropped (stop, reset, new data) while the chunk ran: its steps count for nothing.
    if (this.#disposed || !this.#cursor.holds(perm)) {
      result.deviceLossSum?.dispose();
      return [];
    }
    for (let i = 0; i < result.steps; i++) this.#countStep();
    return this.#cursor.addChunk(result, perm, offsetBefore, n);
  }

  /** A data set disposed under a running trainer is an error to report, not a tensor to crash on. */
  #checkData(): void {
    const { train, val } = this.#data;
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
  #keepLastGood(): void {
    const model = this.#net.model;
    if (!model || this.#cursor.offset !== 0) return;
    disposeSnapshot(this.#lastGood);
    this.#lastGood = snapshotWeights(model);
  }

  #dropLastGood(): void {
    disposeSnapshot(this.#lastGood);
    this.#lastGood = null;
  }

  #countStep(): void {
    this.#step++;
    const ctx = this.#context();
    for (const cb of this.#r.callbacks) cb.onStep?.(this.#step, ctx);
    this.#options.onStep?.(this.#step);
  }

  /** Ends an epoch: a promise when it has to read from the device, else done at once. */
  #endEpoch(epoch: EpochLoss): Promise<void> | undefined {
    const { train, val } = this.#data;
    // A fused chunk's epoch with nothing else to compute: no device work, no await (a spanning
    // chunk ends hundreds of epochs of a small set at once).
    if (!needsDevice(epoch, val, this.#r.metrics)) {
      this.#recordEpoch({ loss: epoch.hostSum / epoch.samples });
      return undefined;
    }
    return epochLogs({
      epoch,
      engine: this.#engine,
      model: this.#net.model as tf.LayersModel,
      train,
      val,
      loss: this.#loss,
      metrics: this.#r.metrics,
      task: this.#task(),
      batchSize: this.#r.batchSize,
      gone: () => this.#disposed || train.isDisposed || val?.isDisposed === true,
    }).then((logs) => {
      if (logs) this.#recordEpoch(logs);
    });
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
      // Put back the weights from before the epoch (or chunk) that diverged: the last finite ones.
      const model = this.#net.model;
      if (model && this.#lastGood) restoreWeights(model, this.#lastGood);
      this.#fail(
        new ReactNNError(
          'numeric',
          'Trainer',
          `the loss became ${logs.loss} at epoch ${index + 1}, so training stopped and the weights from before that epoch were kept — lower the learning rate (now ${this.#optimizer.config.lr}), add clipGradNorm, or check the data for extreme values; reset() starts over`,
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

  /** Ends the loop: drops the partial epoch, tells the callbacks (unless disposed or reset), publishes. */
  #finish(status: 'done' | 'stopped' | 'error'): TrainerSnapshot {
    this.#cursor.drop();
    this.#dropLastGood();
    const ending = this.#state.ending;
    if (!ending || ending === 'stop') {
      if (this.#net.model) {
        const ctx = this.#context();
        for (const cb of this.#r.callbacks)
          cb.onTrainEnd?.(ctx, status === 'done' && this.#state.callbackStop ? 'stopped' : status);
      }
    }
    this.#dispatch({ type: 'finish', status });
    if (this.#disposed) this.#publish();
    else this.#notifier.flushNow();
    return this.getSnapshot();
  }

  // ---- helpers ----

  /** The one place the run state changes; wakes a waiting loop and publishes a status change. */
  #dispatch(action: RunAction): void {
    const prev = this.#state;
    const next = transition(prev, action);
    if (next === prev) return;
    this.#state = next;
    if (next.status !== 'paused' || next.ending) this.#wake?.();
    if (next.status !== prev.status && !this.#disposed) this.#notifier.flushNow();
  }

  #context(): CallbackContext {
    return {
      model: this.#net.model as tf.LayersModel,
      stop: (reason) => this.#dispatch({ type: 'callbackStop', reason }),
      getLR: () => this.#optimizer.config.lr,
      setLR: (lr) => this.#optimizer.setConfig({ lr }),
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
      case 'multilabel':
        return 'multilabel';
      default:
        return this.#loss.custom ? (this.#data.train.task as Task) : 'regression';
    }
  }

  #installData(data: ResolvedData): void {
    for (const d of this.#data?.owned ?? []) if (!data.owned.includes(d)) d.dispose();
    this.#data = data;
    this.#cursor.clear();
  }

  /** Whether a graph fits the data and the loss; used as the Net's validator and at setOptions. */
  #checkGraph(graph: AnalyzedGraph, train = this.#data.train, loss = this.#loss): ReactNNError | null {
    const { error, advice } = checkGraph(graph, train, loss);
    if (advice) this.#warn(advice);
    return error;
  }

  #warn(message: string): void {
    if (this.#warnings.includes(message)) return;
    this.#warnings = [...this.#warnings, message];
    console.warn(`[react-nn] ${message}`);
    this.#notifier.schedule();
  }

  #fail(e: unknown): void {
    // Whatever broke once the model was gone, the cause to report is that it is gone.
    const gone = this.#net.isDisposed && !(e instanceof ReactNNError && /disposed/.test(e.message));
    const error = gone
      ? modelDisposed('fit')
      : e instanceof ReactNNError
        ? e
        : new ReactNNError('state', 'Trainer', `training failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    this.#dispatch({ type: 'fail', error });
  }

  #publish(): void {
    const history: History = { loss: [...this.#history.loss] };
    for (const [k, v] of Object.entries(this.#history)) history[k] = [...v];
    const s = this.#state;
    this.setSnapshot({
      status: s.status,
      epoch: this.#epoch,
      epochs: this.#r.epochs,
      step: this.#step,
      history,
      warnings: this.#warnings,
      error: s.error,
      lr: this.#optimizer.config.lr,
      engine: this.#engine.info,
      stopReason: s.stopReason,
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
