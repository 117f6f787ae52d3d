/**
 * Engine selection: `createTrainer(net, { engine })` gets one of these. It routes every chunk
 * to `fused-webgpu`, `fused-cpu` or `tfjs` according to the request and what the current
 * graph, loss and optimizer allow — re-deciding whenever the model is rebuilt or the config
 * changes, so a live edit that adds a Conv2d falls back to tfjs (and removing it goes back).
 * `info` always says which engine runs and why.
 */
import type * as tf from '@tensorflow/tfjs';
import type { AnalyzedGraph } from '../../graph/types';
import type { Net } from '../../runtime/net';
import type { ExportedParamState, Optimizer } from '../optimizers';
import type { EngineName } from '../trainerOptions';
import { createFusedCpuEngine } from './fused/cpu';
import type { FusedEngine } from './fused/engine';
import { unsupportedReason } from './fused/plan';
import { createFusedWebGPUEngine, type GpuProbe, probeWebGPU } from './fused/webgpu';
import { createTfjsEngine } from './tfjs';
import type { ChunkRequest, ChunkResult, EngineInfo, StepConfig, TrainingEngine } from './types';

type Config = Pick<StepConfig, 'loss' | 'optimizer'>;

export interface SelectedEngine extends TrainingEngine {
  /** The requested engine name. */
  readonly requested: EngineName;
  /** Asks for another engine: the next chunk switches, handing the optimizer state over. */
  setRequested(requested: EngineName): void;
  /** The fused engine in use, if any (for tests and tools: optimizer state per weight). */
  readonly fused: FusedEngine | null;
  runChunk(request: ChunkRequest): Promise<ChunkResult>;
  /**
   * The optimizer state as of the last step, from whichever engine holds it (a fused kernel
   * keeps its own while it trains), without handing training over.
   */
  optimizerState(model: tf.LayersModel | null, optimizer: Optimizer): Promise<ExportedParamState[]>;
}

/**
 * The engine for a trainer. `config` (loss and optimizer) lets `info` be right before the first
 * step; every chunk re-checks with the live config.
 */
export function selectEngine(requested: EngineName | undefined, net: Net, config?: Config): SelectedEngine {
  return new Selector(requested ?? 'auto', net, config);
}

class Selector implements SelectedEngine {
  requested: EngineName;
  #tfjs = createTfjsEngine();
  #cpu: FusedEngine | null = null;
  #gpu: FusedEngine | null = null;
  #probe: GpuProbe | null = null;
  #probing: Promise<GpuProbe> | null = null;
  /** The probe was asked for fused-webgpu by name (so it accepts a software adapter). */
  #probedByName = false;
  #info: EngineInfo;
  #choice: 'tfjs' | 'fused-cpu' | 'fused-webgpu' = 'tfjs';
  #key: unknown[] = [];
  /**
   * The engine that trained last. The optimizer state lives with it (a fused kernel keeps its
   * own); on a switch it flows through the trainer's Optimizer to the next engine.
   */
  #last: 'tfjs' | 'fused-cpu' | 'fused-webgpu' = 'tfjs';
  #disposed = false;

  constructor(requested: EngineName, net: Net, config?: Config) {
    this.requested = requested;
    this.#probeIfWanted();
    this.#info = { name: 'tfjs', reason: 'requested' };
    const graph = net.graph;
    if (requested === 'tfjs') this.#info = { name: 'tfjs', reason: 'requested' };
    else if (graph && config) this.#decide(graph, config);
    else this.#info = { name: 'tfjs', reason: `${requested}: chosen at the first step, once the model is built` };
  }

  setRequested(requested: EngineName): void {
    if (requested === this.requested) return;
    this.requested = requested;
    this.#probeIfWanted();
    this.#key = [];
    this.#info = { name: this.#info.name, reason: `${requested}: chosen at the next step` };
  }

  #probeIfWanted(): void {
    const requested = this.requested;
    if (requested !== 'auto' && requested !== 'fused-webgpu') return;
    const byName = requested === 'fused-webgpu';
    // auto's probe turns a software adapter down; asking for fused-webgpu by name later probes
    // again, accepting it (unless the first probe already got a device).
    if (this.#probing && (!byName || this.#probedByName || this.#probe?.device)) return;
    this.#probedByName = byName;
    this.#probe?.release();
    this.#probe = null;
    const probing = probeWebGPU(byName).then((p) => {
      // Disposed, or superseded by a later probe, while probing: give back a device made for us.
      if (this.#disposed || this.#probing !== probing) p.release();
      else this.#probe = p;
      return p;
    });
    this.#probing = probing;
  }

  get info(): EngineInfo {
    return this.#info;
  }

  get fused(): FusedEngine | null {
    if (this.#choice === 'fused-cpu') return this.#cpu;
    if (this.#choice === 'fused-webgpu') return this.#gpu;
    return null;
  }

  step(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, config: StepConfig): tf.Scalar {
    return this.#tfjs.step(model, x, y, config);
  }

  predict(model: tf.LayersModel, x: tf.Tensor, batchSize: number): tf.Tensor {
    return this.#tfjs.predict(model, x, batchSize);
  }

  async runChunk(request: ChunkRequest): Promise<ChunkResult> {
    const EMPTY: ChunkResult = { steps: 0, samples: 0, lossSum: request.lossSum, epochLossSums: [] };
    if (this.#disposed) return EMPTY;
    if (this.requested === 'tfjs') {
      this.#set('tfjs', 'requested');
    } else {
      if (this.#probing && !this.#probe) await this.#probing;
      if (this.#disposed) return EMPTY;
      this.#decide(request.graph, request.config);
    }
    const engine = this.#engineFor(this.#choice);
    const choice = engine ? this.#choice : 'tfjs';
    const optimizer = request.config.optimizer;
    if (choice !== this.#last) {
      // Hand the optimizer state over: from the fused kernel that had it into the Optimizer,
      // and from the Optimizer into the fused kernel that takes over.
      const from = this.#last === 'fused-cpu' ? this.#cpu : this.#last === 'fused-webgpu' ? this.#gpu : null;
      if (from) optimizer.importState(await from.exportState(request.model));
      if (this.#disposed) return EMPTY;
      engine?.adoptState(optimizer);
      this.#last = choice;
    }
    if (!engine) {
      optimizer.setExternalSteps(null);
      // An edit may have replaced the model while this waited: the next chunk trains the new one.
      if (request.net.model !== request.model) return EMPTY;
      return this.#tfjs.runChunk(request);
    }
    const result = await engine.runChunk(request);
    // Its host may have failed mid-run (a lost WebGPU device): then it trains on the CPU, and says so.
    if (engine.fallbackReason && this.#info.name !== 'fused-cpu') this.#set(this.#choice, '');
    optimizer.setExternalSteps(engine.lastParamSteps);
    return result;
  }

  async optimizerState(model: tf.LayersModel | null, optimizer: Optimizer): Promise<ExportedParamState[]> {
    const holder = this.#last === 'fused-cpu' ? this.#cpu : this.#last === 'fused-webgpu' ? this.#gpu : null;
    return holder && model ? holder.exportState(model) : optimizer.exportState();
  }

  dispose(): void {
    this.#disposed = true;
    this.#tfjs.dispose();
    this.#cpu?.dispose();
    this.#gpu?.dispose();
    this.#cpu = null;
    this.#gpu = null;
    this.#probe?.release();
  }

  #engineFor(choice: 'tfjs' | 'fused-cpu' | 'fused-webgpu'): FusedEngine | null {
    if (this.#disposed) return null;
    if (choice === 'fused-cpu') {
      this.#cpu ??= createFusedCpuEngine();
      return this.#cpu;
    }
    if (choice === 'fused-webgpu') {
      const device = this.#probe?.device;
      if (!device) return null;
      this.#gpu ??= createFusedWebGPUEngine(device, { software: this.#probe?.software ?? true });
      return this.#gpu;
    }
    return null;
  }

  #decide(graph: AnalyzedGraph, config: Config): void {
    const probe = this.#probe;
    const key = [graph, config.loss, config.optimizer.config.type, probe];
    if (key.every((k, i) => k === this.#key[i])) return;
    this.#key = key;
    const requested = this.requested;
    const unsupported = unsupportedReason(graph, config);
    if (unsupported) {
      const who = requested === 'auto' ? 'auto' : `${requested} was requested, but`;
      this.#set('tfjs', `${who}: ${unsupported} — training on tfjs`);
      return;
    }
    const supported = 'every layer, the loss and the optimizer are supported';
    if (requested === 'fused-cpu') {
      this.#set('fused-cpu', 'requested');
      return;
    }
    if (requested === 'fused-webgpu') {
      if (probe?.device) this.#set('fused-webgpu', `requested (${probe.description})`);
      else if (this.#probing && !probe) this.#set('fused-webgpu', 'requested (looking for a WebGPU adapter)');
      else this.#set('fused-cpu', `fused-webgpu was requested, but ${probe?.why ?? 'WebGPU is unavailable'}`);
      return;
    }
    if (probe?.device && probe.preferred) {
      this.#set('fused-webgpu', `auto: ${supported}; ${probe.description}`);
    } else if (this.#probing && !probe) {
      this.#set('fused-cpu', `auto: ${supported} (looking for a WebGPU adapter)`);
    } else {
      this.#set('fused-cpu', `auto: ${supported}; fused-webgpu not used: ${probe?.why ?? 'no WebGPU here'}`);
    }
  }

  #set(choice: 'tfjs' | 'fused-cpu' | 'fused-webgpu', reason: string): void {
    this.#choice = choice;
    // Where the kernel runs (a Web Worker, this thread, WebGPU) belongs to the reason.
    const engine = choice === 'tfjs' ? null : this.#engineFor(choice);
    if (engine?.fallbackReason) {
      this.#info = {
        name: 'fused-cpu',
        reason: `${choice} stopped: ${engine.fallbackReason}; training goes on on fused-cpu — ${engine.host.where}`,
      };
      return;
    }
    const where = engine?.host.where;
    this.#info = { name: choice, reason: where ? `${reason} — ${where}` : reason };
  }
}
