/**
 * fused-cpu: the fused kernel on Float32Arrays, in a Web Worker when this is a browser's main
 * thread (weights and losses come back as transferables, so the page never waits on
 * training), else in this thread in time-boxed chunks the trainer yields between.
 *
 * Short runs: a disposed engine hands its kernel back to the factory's idle kernels and its
 * Worker to a small pool, so the next trainer skips the Worker's start and trains on code
 * already generated, compiled and optimized for an equal plan (kernelCache.ts).
 */
import { seededOrders } from '../../../random';
import { type OrderSource, sameSource } from '../orderBlock';
import {
  FusedEngine,
  HostDisposedError,
  HostFailedError,
  type HostTrainRequest,
  type HostTrainResult,
  type KernelHost,
} from './engine';
import { fusedImageOps } from './imageOps';
import { type CpuKernel, fusedKernelFactory, type KernelState, kernels } from './kernel';
import { fusedPlanCache } from './kernelCache';
import type { KernelSpec } from './plan';
import { fusedRules } from './rules';

/**
 * Milliseconds of training per chunk in this thread — the trainer yields between chunks: 8 on a
 * page's main thread (a frame must still paint), 25 where nothing paints (Node, a Worker of the
 * app's own), so the per-chunk bookkeeping weighs less.
 */
const IN_THREAD_BUDGET_MS = typeof window === 'undefined' ? 25 : 8;
/**
 * In a Worker nothing waits on the chunk but the next UI update: 50 ms (weights and losses reach
 * the page 20× a second) keeps the round trip and the page's bookkeeping, while the Worker waits,
 * small against the training (25 ms: ~55 % of the kernel's speed on a playground net; 50 ms: ~64 %).
 */
const WORKER_BUDGET_MS = 50;
/** Rows of epoch order the Worker builds at least per chunk (~0.1 ms of shuffling). */
const ORDER_ROWS = 1 << 15;

export interface FusedCpuOptions {
  /** 'auto' (default): a Worker on a browser's main thread, else this thread. */
  worker?: 'auto' | boolean;
}

/** Whether a Worker can host the kernel here: a browser main thread with Blob URLs. */
export function workerAvailable(): boolean {
  return (
    typeof Worker === 'function' &&
    typeof window !== 'undefined' &&
    typeof Blob === 'function' &&
    typeof URL !== 'undefined' &&
    typeof URL.createObjectURL === 'function'
  );
}

/** A fused-cpu host for an engine whose own host failed (a lost WebGPU device): a Worker where one can run. */
export function cpuFallbackHost(): { host: KernelHost; budgetMs: number } {
  if (workerAvailable()) {
    try {
      return { host: new WorkerHost(), budgetMs: WORKER_BUDGET_MS };
    } catch {
      // new Worker threw: this thread it is.
    }
  }
  return { host: new InThreadHost(), budgetMs: IN_THREAD_BUDGET_MS };
}

export function createFusedCpuEngine(options: FusedCpuOptions = {}): FusedEngine {
  const wanted = options.worker ?? 'auto';
  const useWorker = wanted === true || (wanted === 'auto' && workerAvailable());
  if (useWorker) {
    try {
      // A page whose CSP forbids blob: workers (or eval in them) fails here or at the first
      // message: then training goes on in this thread.
      return new FusedEngine('fused-cpu', new WorkerHost(), WORKER_BUDGET_MS, () => ({
        host: new InThreadHost(),
        budgetMs: IN_THREAD_BUDGET_MS,
      }));
    } catch {
      // new Worker threw: this thread it is.
    }
  }
  return new FusedEngine('fused-cpu', new InThreadHost(), IN_THREAD_BUDGET_MS);
}

// ---------------------------------------------------------------------------------------------

class InThreadHost implements KernelHost {
  readonly where = `in this thread, in chunks of ≤ ${IN_THREAD_BUDGET_MS} ms`;
  #kernel: CpuKernel | null = null;
  #data: [Float32Array, Float32Array, number, number] | null = null;

  async plan(spec: KernelSpec, params: Float32Array, sameModel: boolean, state?: KernelState | null): Promise<void> {
    const prev = this.#kernel;
    this.#kernel = kernels.create(
      spec,
      params,
      state ?? (prev ? prev.exportState() : null),
      sameModel && prev ? prev.dropoutStreams() : null,
    );
    if (prev) kernels.release(prev);
    if (this.#data) this.#kernel.setData(...this.#data);
  }

  async setData(x: Float32Array, y: Float32Array, rows: number, targetSize: number): Promise<void> {
    this.#data = [x, y, rows, targetSize];
    this.#kernel?.setData(x, y, rows, targetSize);
  }

  async train(request: HostTrainRequest): Promise<HostTrainResult> {
    const k = this.#kernel;
    if (!k) throw new Error('fused-cpu: train before plan');
    const r = k.train({ ...request, order: request.order.rows });
    return { ...r, params: k.params, paramSteps: k.paramSteps() };
  }

  async exportState(): Promise<KernelState> {
    return this.#kernel?.exportState() ?? { generation: -1, params: {} };
  }

  async paramSteps(): Promise<Record<string, number>> {
    return this.#kernel?.paramSteps() ?? {};
  }

  dispose(): void {
    if (this.#kernel) kernels.release(this.#kernel);
    this.#kernel = null;
    this.#data = null;
  }
}

// ---------------------------------------------------------------------------------------------

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

/**
 * The Worker's message loop. SELF-CONTAINED like the kernel factory: its source text is
 * what runs in the Worker, with the factory passed in.
 */
function workerMain(
  factory: typeof fusedKernelFactory,
  rules: typeof fusedRules,
  imageOps: typeof fusedImageOps,
  planCache: typeof fusedPlanCache,
  orders: typeof seededOrders,
  minOrderRows: number,
): void {
  const K = factory(rules(), imageOps(), planCache);
  const { orderRows } = orders();
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent) => void) | null;
    postMessage(m: unknown, transfer?: Transferable[]): void;
  };
  let kernel: CpuKernel | null = null;
  let data: [Float32Array, Float32Array, number, number] | null = null;
  /** The trainer's current block of epoch orders, built here epoch by epoch as chunks reach them. */
  let block: { source: OrderSource; rows: ReturnType<typeof orderRows> } | null = null;
  /** Rows the last chunk trained: the next builds orders for about twice as many. */
  let lastRows = 0;
  scope.onmessage = (e: MessageEvent) => {
    const m = e.data;
    try {
      if (m.type === 'plan') {
        const prev = kernel;
        kernel = K.create(
          m.spec,
          m.params,
          m.state ?? (prev ? prev.exportState() : null),
          m.sameModel && prev ? prev.dropoutStreams() : null,
        );
        if (prev) K.release(prev);
        if (data) kernel.setData(data[0], data[1], data[2], data[3]);
        scope.postMessage({ id: m.id });
      } else if (m.type === 'data') {
        data = [m.x, m.y, m.rows, m.targetSize];
        if (kernel) kernel.setData(m.x, m.y, m.rows, m.targetSize);
        scope.postMessage({ id: m.id });
      } else if (m.type === 'train') {
        if (m.source) block = { source: m.source, rows: orderRows(m.source) };
        if (!kernel || !block) throw new Error('train before plan');
        // Build the epochs this chunk can reach — about twice what the last one trained, whole
        // epochs — so a chunk rarely ends at the end of what is built and no epoch is built twice.
        const size = block.source.size;
        const reach = m.request.offset + Math.max(minOrderRows, 2 * lastRows);
        block.rows.fill(Math.ceil((m.start + Math.min(m.length, reach)) / size));
        const end = Math.min(m.start + m.length, block.rows.built * size);
        const r = kernel.train({ ...m.request, order: block.rows.rows.subarray(m.start, end) });
        lastRows = r.samples;
        const params = kernel.params.slice();
        scope.postMessage({ id: m.id, result: { ...r, paramSteps: kernel.paramSteps() }, params }, [params.buffer]);
      } else if (m.type === 'state') {
        scope.postMessage({ id: m.id, result: kernel ? kernel.exportState() : { generation: -1, params: {} } });
      } else if (m.type === 'steps') {
        scope.postMessage({ id: m.id, result: kernel ? kernel.paramSteps() : {} });
      } else if (m.type === 'release') {
        // Back to the pool: the next engine starts from nothing but this thread's warm code.
        if (kernel) K.release(kernel);
        kernel = null;
        data = null;
        block = null;
        lastRows = 0;
      }
    } catch (err) {
      scope.postMessage({ id: m.id, error: String((err as Error)?.stack ?? err) });
    }
  };
}

let workerUrl: string | null = null;

function workerSource(): string {
  // `__name`: some transpilers (esbuild's keepNames) wrap inner functions in a helper that the
  // stringified source would otherwise lack.
  return `const __name = (f) => f;\n(${workerMain.toString()})(${fusedKernelFactory.toString()}, ${fusedRules.toString()}, ${fusedImageOps.toString()}, ${fusedPlanCache.toString()}, ${seededOrders.toString()}, ${ORDER_ROWS});\n`;
}

/**
 * Workers of disposed engines, started and warm, for the next engines of this page. Two: a page
 * rarely trains more than that at once, and an idle Worker holds its thread's memory.
 */
const idleWorkers: Worker[] = [];
const IDLE_WORKERS = 2;
/** Message ids, unique across hosts: a pooled Worker's late reply must never match a new host's request. */
let nextMessageId = 1;

class WorkerHost implements KernelHost {
  readonly where = 'in a Web Worker';
  #worker: Worker;
  #pending = new Map<number, Pending>();
  #failed: Error | null = null;
  /** The block of epoch orders the Worker builds (from the trainer's source: the same rows). */
  #source: OrderSource | null = null;

  constructor() {
    const pooled = idleWorkers.pop();
    if (pooled) this.#worker = pooled;
    else {
      workerUrl ??= URL.createObjectURL(new Blob([workerSource()], { type: 'text/javascript' }));
      this.#worker = new Worker(workerUrl);
    }
    this.#worker.onmessage = (e: MessageEvent) => {
      const m = e.data as { id: number; error?: string; result?: unknown; params?: Float32Array };
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.error) p.reject(new Error(`fused-cpu worker: ${m.error}`));
      else p.resolve(m);
    };
    this.#worker.onerror = (e: ErrorEvent) => {
      e.preventDefault?.();
      this.#failed = new HostFailedError(`fused-cpu worker failed: ${e.message}`);
      for (const p of this.#pending.values()) p.reject(this.#failed);
      this.#pending.clear();
    };
  }

  #call(
    message: Record<string, unknown>,
    transfer: Transferable[] = [],
  ): Promise<{
    result?: unknown;
    params?: Float32Array;
  }> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = nextMessageId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ ...message, id }, transfer);
    });
  }

  async plan(spec: KernelSpec, params: Float32Array, sameModel: boolean, state?: KernelState | null): Promise<void> {
    await this.#call({ type: 'plan', spec, params, sameModel, state: state ?? null });
  }

  async setData(x: Float32Array, y: Float32Array, rows: number, targetSize: number): Promise<void> {
    await this.#call({ type: 'data', x, y, rows, targetSize });
  }

  async train(request: HostTrainRequest): Promise<HostTrainResult> {
    // The trainer hands over views of one large block of epoch orders, chunk after chunk: the
    // Worker builds the block's rows from its source, so only where it starts crosses over.
    const { order, ...rest } = request;
    const fresh = !this.#source || !sameSource(this.#source, order.source);
    if (fresh) this.#source = order.source;
    const reply = await this.#call({
      type: 'train',
      request: rest,
      source: fresh ? order.source : null,
      start: order.start,
      length: order.length,
    });
    return { ...(reply.result as Omit<HostTrainResult, 'params'>), params: reply.params as Float32Array };
  }

  async exportState(): Promise<KernelState> {
    const reply = await this.#call({ type: 'state' });
    return reply.result as KernelState;
  }

  async paramSteps(): Promise<Record<string, number>> {
    const reply = await this.#call({ type: 'steps' });
    return reply.result as Record<string, number>;
  }

  dispose(): void {
    // A Worker with nothing in flight goes back to the pool (a request in flight would still run
    // and reply into the next host's engine: such a Worker is ended instead).
    const reusable = this.#pending.size === 0 && !this.#failed && idleWorkers.length < IDLE_WORKERS;
    this.#worker.onmessage = null;
    this.#worker.onerror = null;
    if (reusable) {
      this.#worker.postMessage({ type: 'release', id: 0 });
      idleWorkers.push(this.#worker);
    } else this.#worker.terminate();
    for (const p of this.#pending.values()) p.reject(new HostDisposedError());
    this.#pending.clear();
    this.#failed = new HostDisposedError();
  }
}
