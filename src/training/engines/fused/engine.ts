/**
 * What both fused engines share: planning the current model (once per model object and
 * loss), loading the training set once per Dataset, and syncing the weights back into the
 * tf.LayersModel at the end of every chunk — including when a live edit replaced the model
 * while a chunk was in flight (then only the weights the edit kept are written).
 */
import type * as tf from '@tensorflow/tfjs';
import { DropoutLayer } from '../../../layers/tfLayers';
import type { ResolvedLoss } from '../../losses';
import type { ExportedParamState, Optimizer } from '../../optimizers';
import type { OrderBlock } from '../orderBlock';
import type { ChunkRequest, ChunkResult } from '../types';
import type { KernelState, TrainRequest, TrainResult } from './kernel';
import { buildSpec, createGenerationCounter, type KernelSpec, optSpec } from './plan';
import { readParams, valueIds, writeParams, writtenSince } from './weights';

/** Where a fused kernel runs: in this thread, a Web Worker, or a GPU. */
export interface KernelHost {
  /** Human-readable, for `snapshot.engine.reason`: 'in a Web Worker', 'on WebGPU (swiftshader)'… */
  readonly where: string;
  /**
   * Loads a plan with its starting weights. Optimizer state is carried over by weight name
   * from `state` when given (another engine handing over), else from the previous plan;
   * dropout seed streams only when `sameModel`.
   */
  plan(spec: KernelSpec, params: Float32Array, sameModel: boolean, state?: KernelState | null): Promise<void>;
  setData(x: Float32Array, y: Float32Array, rows: number, targetSize: number): Promise<void>;
  /** Trains, then returns the result, the weights after it (a buffer the caller may keep) and the step counts. */
  train(request: HostTrainRequest): Promise<HostTrainResult>;
  /** The optimizer state of the current plan, by weight name. */
  exportState(): Promise<KernelState>;
  /** Optimizer steps taken per weight name (torch's `state['step']`), like `Optimizer.paramSteps`. */
  paramSteps(): Promise<Record<string, number>>;
  /** The optimizer state as of the last synced chunk, readable after the host failed (a lost GPU device). */
  lastState?(): KernelState | null;
  dispose(): void;
}

/** A TrainRequest whose order is the trainer's block: built where the host reads it (a Worker builds its own). */
export type HostTrainRequest = Omit<TrainRequest, 'order'> & { order: OrderBlock };

export type HostTrainResult = TrainResult & { params: Float32Array; paramSteps: Record<string, number> };

/** Raised inside a host when it was disposed with a request in flight. */
export class HostDisposedError extends Error {
  constructor() {
    super('the fused engine was disposed');
  }
}

/** Raised by a host that cannot go on (a Worker a page's CSP refused): the engine moves to its fallback. */
export class HostFailedError extends Error {}

export class FusedEngine {
  readonly name: 'fused-cpu' | 'fused-webgpu';
  #host: KernelHost;
  #budgetMs: number;
  #fallback: (() => { host: KernelHost; budgetMs: number }) | null;
  #model: tf.LayersModel | null = null;
  #loss: ResolvedLoss | null = null;
  #spec: KernelSpec | null = null;
  #data: { x: tf.Tensor; y: tf.Tensor } | null = null;
  /** The model's weight values as this engine last read or wrote them (see valueIds). */
  #ids: Map<string, unknown> = new Map();
  #generation = createGenerationCounter();
  /** Optimizer state handed over by another engine, for the next plan. */
  #adopted: KernelState | null = null;
  #steps: Record<string, number> = {};
  #disposed = false;
  /** Why the engine's first host failed and it went on on its fallback, if it did. */
  #fellBack: string | null = null;

  constructor(
    name: 'fused-cpu' | 'fused-webgpu',
    host: KernelHost,
    budgetMs: number,
    fallback: (() => { host: KernelHost; budgetMs: number }) | null = null,
  ) {
    this.name = name;
    this.#host = host;
    this.#budgetMs = budgetMs;
    this.#fallback = fallback;
  }

  get host(): KernelHost {
    return this.#host;
  }

  get spec(): KernelSpec | null {
    return this.#spec;
  }

  /** Set once the host failed (a lost WebGPU device) and training went on on the fallback host: why. */
  get fallbackReason(): string | null {
    return this.#fellBack;
  }

  async runChunk(req: ChunkRequest): Promise<ChunkResult> {
    const EMPTY: ChunkResult = { steps: 0, samples: 0, lossSum: req.lossSum, epochLossSums: [] };
    if (this.#disposed) return EMPTY;
    try {
      return await this.#run(req);
    } catch (e) {
      if (e instanceof HostDisposedError || this.#disposed) return EMPTY;
      if (e instanceof HostFailedError && this.#fallback) {
        // The host died: go on from the model's last synced weights, with the optimizer state the
        // host read back at the same moment (when it keeps one).
        const saved = this.#host.lastState?.() ?? null;
        this.#host.dispose();
        this.#fellBack = e.message;
        const next = this.#fallback();
        this.#fallback = null;
        this.#host = next.host;
        this.#budgetMs = next.budgetMs;
        this.#model = null;
        this.#data = null;
        if (saved) this.#adopted = saved;
        return this.#run(req);
      }
      throw e;
    }
  }

  async #run(req: ChunkRequest): Promise<ChunkResult> {
    const { net, model, config } = req;
    const EMPTY: ChunkResult = { steps: 0, samples: 0, lossSum: req.lossSum, epochLossSums: [] };
    const written = model === this.#model && this.#spec !== null && writtenSince(model, this.#spec, this.#ids);
    const adopted = this.#adopted;
    if (model !== this.#model || config.loss !== this.#loss || written || adopted) {
      // A new model or loss — or someone wrote the weights (early stopping restored the best
      // epoch's, or the tfjs engine trained): start from the model's weights, keeping optimizer
      // state by name.
      const spec = buildSpec(req.graph, model, config.loss);
      const params = await readParams(model, spec);
      if (net.model !== model || this.#disposed) return EMPTY;
      this.#adopted = null;
      await this.#host.plan(spec, params, model === this.#model, adopted);
      this.#model = model;
      this.#loss = config.loss;
      this.#spec = spec;
      this.#ids = valueIds(model, spec);
    }
    if (this.#data?.x !== req.x || this.#data?.y !== req.y) {
      const [x, y] = await Promise.all([req.x.data(), req.y.data()]);
      const rows = req.x.shape[0] as number;
      const yf = y instanceof Float32Array ? y : Float32Array.from(y as ArrayLike<number>);
      await this.#host.setData(x as Float32Array, yf, rows, rows > 0 ? req.y.size / rows : 1);
      this.#data = { x: req.x, y: req.y };
    }
    if (net.model !== model || this.#disposed) return EMPTY;
    const spec = this.#spec as KernelSpec;
    const result = await this.#host.train({
      order: req.order,
      epochSize: req.epochSize,
      offset: req.offset,
      batchSize: req.batchSize,
      maxSteps: req.maxSteps,
      budgetMs: this.#budgetMs,
      lossSum: req.lossSum,
      opt: optSpec(config, this.#generation(config.optimizer)),
    });
    if (this.#disposed) return EMPTY;
    this.#steps = result.paramSteps;
    const current = net.model;
    if (current === model) {
      writeParams(model, spec, result.params);
      this.#ids = valueIds(model, spec);
      advanceDropout(model, result.steps);
    } else if (current) {
      // A live edit landed while this chunk ran: the new model got the old weights through
      // carry-over; bring the kept ones up to date. The next chunk plans the new model.
      writeParams(current, spec, result.params, new Set(net.getSnapshot().lastEdit?.kept ?? []));
    }
    return {
      steps: result.steps,
      samples: result.samples,
      lossSum: result.lossSum,
      epochLossSums: result.epochLossSums,
    };
  }

  paramSteps(): Promise<Record<string, number>> {
    return this.#host.paramSteps();
  }

  /** The step counts after the last chunk (synchronous, for `Optimizer.paramSteps`). */
  get lastParamSteps(): Record<string, number> {
    return this.#steps;
  }

  /**
   * Takes over training from `optimizer` (the tfjs engine, or another fused engine through it):
   * the next chunk re-plans from the model's weights with this optimizer state.
   */
  adoptState(optimizer: Optimizer): void {
    const params: KernelState['params'] = {};
    for (const e of optimizer.exportState()) {
      params[e.key] = {
        size: e.shape.reduce((a, b) => a * b, 1),
        step: e.step,
        buf: e.slots.momentumBuffer ?? null,
        m: e.slots.expAvg ?? null,
        v: e.slots.expAvgSq ?? null,
      };
    }
    this.#adopted = { generation: this.#generation(optimizer), params };
    this.#steps = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.step]));
  }

  /** This engine's optimizer state as the Optimizer keeps it, shaped like `model`'s weights. */
  async exportState(model: tf.LayersModel): Promise<ExportedParamState[]> {
    if (this.#adopted) return fromKernelState(this.#adopted, model);
    return fromKernelState(await this.#host.exportState(), model);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#model = null;
    this.#data = null;
    this.#host.dispose();
  }
}

/** Kernel state → the Optimizer's form, for the weights `model` still has (stepped ones only). */
function fromKernelState(state: KernelState, model: tf.LayersModel): ExportedParamState[] {
  const shapes = new Map(model.weights.map((w) => [w.originalName, w.shape as number[]]));
  const out: ExportedParamState[] = [];
  for (const [key, p] of Object.entries(state.params)) {
    const shape = shapes.get(key);
    if (!shape || p.step === 0 || shape.reduce((a, b) => a * b, 1) !== p.size) continue;
    const slots: ExportedParamState['slots'] = {};
    if (p.buf) slots.momentumBuffer = p.buf;
    if (p.m) slots.expAvg = p.m;
    if (p.v) slots.expAvgSq = p.v;
    out.push({ key, step: p.step, shape: [...shape], slots });
  }
  return out;
}

/**
 * Every training step draws one mask seed per Dropout layer, in the kernel's stream as in the
 * layer's own: count them on the layer, so its (seed, draws) — what a saved trainer state keeps,
 * and where the tfjs engine goes on after a hand-over — stays the truth.
 */
function advanceDropout(model: tf.LayersModel, steps: number): void {
  for (const layer of model.layers) {
    if (layer instanceof DropoutLayer && layer.rate > 0 && layer.seed !== undefined) layer.draws += steps;
  }
}
