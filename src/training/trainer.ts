import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import { describe, ReactNNError } from '../errors';
import type { AnalyzedGraph } from '../graph/types';
import { type NetLike, netOf } from '../runtime/handle';
import type { Net } from '../runtime/net';
import { Subscribable } from '../subscribable';
import type { CallbackContext } from './callbacks';
import { type SelectedEngine, selectEngine } from './engines/select';
import type { EpochLoss } from './epochCursor';
import { type ResolvedLoss, resolveLoss } from './losses';
import { createFrameScheduler, yieldToEventLoop } from './notify';
import { createOptimizer, type Optimizer, type OptimizerConfig } from './optimizers';
import { checkResume, exportTrainerState } from './resume';
import { checkGraph, type ResolvedData, resolveData } from './trainerData';
import {
  checkOptimizer,
  checkOptions,
  type ResolvedOptions,
  type TrainerOptions,
  type TrainerOptionsPatch,
} from './trainerOptions';
import { modelDisposed, stateError, TrainerRun, type TrainerSnapshot } from './trainerRun';
import { optimizerStates, parseResume, type TrainerState } from './trainerState';
import { INITIAL_RUN, mustEnd, type RunAction, type RunState, type TrainerStatus, transition } from './trainerStatus';

export type { NetLike } from '../runtime/handle';
export type { EngineName, TrainerOptions, TrainerOptionsPatch } from './trainerOptions';
export type { History, TrainerSnapshot } from './trainerRun';
export type { TrainerStatus } from './trainerStatus';

const PATH = 'createTrainer';

/**
 * Trains a react-nn model with PyTorch semantics: a framework-agnostic state machine
 * (idle → running ⇄ paused → done | stopped | error; see trainerStatus.ts) and a store for
 * `useSyncExternalStore`. It follows its model through live edits: after a rebuild the next
 * step trains the new model, with optimizer state kept for every weight that was kept.
 * This class is the public face, the options and the loop's control (when to train, pause,
 * finish); what one turn of the loop does — a chunk of steps, an epoch's end — is TrainerRun's.
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
  #warnings: string[] = [];
  /** Epoch, step, history and the current epoch's cursor; chunk driving and epoch ends. */
  #run = new TrainerRun({
    setup: () => ({
      net: this.#net,
      data: this.#data,
      resolved: this.#r,
      options: this.#options,
      loss: this.#loss,
      optimizer: this.#optimizer,
      engine: this.#engine,
    }),
    isDisposed: () => this.#disposed,
    context: () => this.#context(),
    fail: (e) => this.#fail(e),
    changed: () => this.#notifier.schedule(),
  });

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
    this.#loop = this.#drive().finally(() => {
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
    const run = this.#run;
    if (run.epoch >= this.#r.epochs) return this.getSnapshot();
    this.#beginRun();
    const epochs = await run.trainChunk(1);
    for (const e of epochs) await run.endEpoch(e);
    this.#dispatch({ type: 'stepped' });
    this.#notifier.flushNow();
    return this.getSnapshot();
  }

  /** Stops, forgets history and optimizer state, and re-initialises the model's weights. */
  reset(): void {
    if (this.#disposed) throw stateError('reset', 'this trainer was disposed; create a new one');
    this.#run.clear();
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
      epoch: this.#run.epoch,
      step: this.#run.step,
      history: this.#run.history,
      cursor: await this.#run.cursor.position(),
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
    this.#run.drop();
    this.#notifier.cancel();
    this.#removeValidator();
    this.#optimizer.dispose();
    this.#engine.dispose();
    for (const cb of this.#r.callbacks) cb.dispose?.();
    for (const d of this.#data?.owned ?? []) d.dispose();
  }

  /**
   * The last finished epoch's training loss — `getSnapshot().history.loss.at(-1)` without copying
   * the history, for views that show only the latest figure every frame.
   */
  get lastLoss(): number | undefined {
    return this.#run.history.loss.at(-1);
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
    this.#run.restore(state.json);
    for (const apply of install) apply();
    if (this.#options.engine === undefined) this.#engine.setRequested(state.json.engine.requested);
    // A continued run, not a fresh one: callbacks keep the state just restored.
    this.#dispatch({ type: 'begin' });
    this.#publish();
  }

  // ---- the loop ----

  async #drive(): Promise<TrainerSnapshot> {
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
    const run = this.#run;
    let lastYield = now();
    while (true) {
      if (mustEnd(this.#state)) return this.#finish(this.#state.status === 'error' ? 'error' : 'stopped');
      if (this.#state.status === 'paused') {
        this.#notifier.flushNow();
        await this.#untilWoken(new Promise<void>(() => {}));
        continue;
      }
      if (run.epoch >= this.#r.epochs) return this.#finish('done');
      let epochs: EpochLoss[];
      try {
        epochs = await run.trainChunk(Number.POSITIVE_INFINITY);
      } catch (e) {
        this.#fail(e);
        return this.#finish('error');
      }
      for (const epoch of epochs) {
        try {
          const reading = run.endEpoch(epoch);
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

  /** Ends the loop: drops the partial epoch, tells the callbacks (unless disposed or reset), publishes. */
  #finish(status: 'done' | 'stopped' | 'error'): TrainerSnapshot {
    this.#run.drop();
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

  #installData(data: ResolvedData): void {
    for (const d of this.#data?.owned ?? []) if (!data.owned.includes(d)) d.dispose();
    this.#data = data;
    this.#run.cursor.clear();
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
    const s = this.#state;
    const next = {
      status: s.status,
      epoch: this.#run.epoch,
      epochs: this.#r.epochs,
      step: this.#run.step,
      warnings: this.#warnings,
      error: s.error,
      lr: this.#optimizer.config.lr,
      engine: this.#engine.info,
      stopReason: s.stopReason,
    } as TrainerSnapshot;
    // An own enumerable getter: spread and toEqual see a plain `history`, copied only when read.
    Object.defineProperty(next, 'history', { get: this.#run.historyAt(), enumerable: true });
    this.replaceSnapshot(next);
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
  const net = netOf(x);
  if (!net || typeof net.addValidator !== 'function') {
    throw new ReactNNError(
      'option',
      PATH,
      `expected a model: the result of renderModel() or a useModel() handle (got ${describe(x)})`,
    );
  }
  return net;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
