/**
 * fused-webgpu: the training kernel of wgsl.ts on a GPUDevice — tfjs' own device when the
 * tfjs backend is webgpu, else one of its own. A chunk is one dispatch of K steps (K adapted
 * so a dispatch stays ≈ 16 ms) and one asynchronous readback of the weights and the K losses.
 * Dropout masks are drawn on the CPU with tfjs' exact generator and uploaded with the chunk.
 */
import { cpuFallbackHost } from './cpu';
import {
  FusedEngine,
  HostDisposedError,
  HostFailedError,
  type HostTrainRequest,
  type HostTrainResult,
  type KernelHost,
} from './engine';
import { batchSizes, gpuTuning, widestPhase, workgroupSizeFor } from './gpuSizing';
import { type KernelState, kernels, type TrainRequest } from './kernel';
import type { KernelSpec, OptSpec } from './plan';
import {
  C_1MB1,
  C_1MB2,
  C_ADAMW_DECAY,
  C_B1,
  C_B2,
  C_CLIP_NORM,
  C_CLIP_VALUE,
  C_DAMP,
  C_EPS,
  C_K,
  C_KIND,
  C_L1,
  C_L2,
  C_LR,
  C_MOMENTUM,
  C_NESTEROV,
  C_WD,
  type GpuLayout,
  HEADER,
  layoutFor,
  splitTrainingShader,
  trainingShader,
} from './wgsl';

export { type GpuProbe, probeWebGPU } from './gpuProbe';
export { batchSizes, gpuTuning, workgroupSizeFor } from './gpuSizing';

let liveBuffers = 0;

/** GPU buffers the fused-webgpu engine holds right now, across all instances (for leak tests). */
export function fusedGpuBufferCount(): number {
  return liveBuffers;
}

const STORAGE = 0x0080; // GPUBufferUsage.STORAGE
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const MAP_READ = 0x0001;
const ZERO = new Float32Array(1);

export interface FusedWebGPUOptions {
  /** A software adapter: smaller workgroups. */
  software?: boolean;
  /**
   * Target GPU time per dispatch, ms (default 16: one frame — the GPU works off the main thread,
   * so a longer dispatch only spaces out weight syncs, while each costs a ~2.5 ms round trip).
   */
  dispatchMs?: number;
  /** Invocations per workgroup (default: 64 software, 256 hardware). */
  workgroupSize?: number;
}

let lastShape: 'fused' | 'split' | null = null;

/** @internal The shape of the training shader built last (tests check which one ran). */
export function lastFusedShaderShape(): 'fused' | 'split' | null {
  return lastShape;
}

export function createFusedWebGPUEngine(device: GPUDevice, options: FusedWebGPUOptions = {}): FusedEngine {
  // A lost device (a driver reset, device.destroy()) ends this host: training goes on on fused-cpu
  // from the weights last synced into the model.
  return new FusedEngine('fused-webgpu', new GpuHost(device, options), Number.POSITIVE_INFINITY, cpuFallbackHost);
}

interface ParamMirror {
  step: number;
  hasBuf: boolean;
}

interface Pipeline {
  key: string;
  layout: GpuLayout;
  /** The fused shader's one dispatch, or the split shader's dispatches of one step, in order. */
  steps: { pipeline: GPUComputePipeline; workgroups: number }[];
  split: boolean;
  work: GPUBuffer;
  data: GPUBuffer;
  consts: GPUBuffer;
  masks: GPUBuffer;
  staging: GPUBuffer;
  bindGroup: GPUBindGroup;
  dataHost: Float32Array;
  masksHost: Float32Array;
  constsHost: Float32Array;
  /** The first dispatch ran inside an error scope. */
  checked: boolean;
}

class GpuHost implements KernelHost {
  readonly where: string;
  readonly #device: GPUDevice;
  /** Fixed workgroup size, or null to size it per plan. */
  readonly #wgOption: number | null;
  readonly #software: boolean;
  readonly #dispatchMs: number;
  #spec: KernelSpec | null = null;
  #params: GPUBuffer | null = null;
  #slots: GPUBuffer | null = null;
  #mirror: ParamMirror[] = [];
  #streams: number[] = [];
  #generation = -1;
  /** The optimizer kind of the last chunk (0 sgd, else adam/adamw): what the state slots hold. */
  #kind = 0;
  #pipe: Pipeline | null = null;
  #data: { x: Float32Array; y: Float32Array; rows: number; targetSize: number } | null = null;
  /** Measured ms per step of the current pipeline; K follows from it. */
  #msPerStep = 0;
  #disposed = false;
  #busy: Promise<unknown> | null = null;

  /** Why the device was lost, once it was. */
  #lost: string | null = null;
  /** The optimizer state read back with the weights at the last chunk's end (see lastState). */
  #synced: KernelState | null = null;

  constructor(device: GPUDevice, options: FusedWebGPUOptions) {
    this.#device = device;
    void device.lost.then((info) => {
      this.#lost = `the WebGPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''})`;
    });
    this.#wgOption = options.workgroupSize ?? null;
    this.#software = options.software ?? false;
    this.#dispatchMs = options.dispatchMs ?? 16;
    this.where = 'on WebGPU, K training steps per dispatch';
  }

  #buffer(size: number, usage: number, label: string): GPUBuffer {
    liveBuffers++;
    return this.#device.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage, label });
  }

  #destroy(b: GPUBuffer | null): void {
    if (!b) return;
    b.destroy();
    liveBuffers--;
  }

  async plan(spec: KernelSpec, params: Float32Array, sameModel: boolean, state?: KernelState | null): Promise<void> {
    this.#check();
    await this.#busy;
    const old = this.#spec;
    const oldSlots = this.#slots;
    const total = spec.totalParams;
    const P = this.#buffer(total * 4, STORAGE | COPY_SRC | COPY_DST, 'react-nn fused params');
    const S = this.#buffer(2 * total * 4, STORAGE | COPY_SRC | COPY_DST, 'react-nn fused optimizer state');
    this.#device.queue.writeBuffer(P, 0, params.buffer, params.byteOffset, total * 4);
    // Optimizer state by weight name: copied on the GPU from the old plan where the size matches.
    const mirror: ParamMirror[] = spec.params.map(() => ({ step: 0, hasBuf: false }));
    const encoder = this.#device.createCommandEncoder();
    if (state) {
      // Handed over by another engine: its state by name (slot 1: momentum buffer or Adam's m, slot 2: v).
      const init = new Float32Array(2 * total);
      spec.params.forEach((p, i) => {
        const st = state.params[p.name];
        if (!st || st.size !== p.size) return;
        mirror[i] = { step: st.step, hasBuf: st.buf !== null };
        const first = st.buf ?? st.m;
        if (first) init.set(first, p.offset);
        if (st.v) init.set(st.v, total + p.offset);
      });
      this.#device.queue.writeBuffer(S, 0, init.buffer, 0, init.byteLength);
      this.#generation = state.generation;
    } else {
      encoder.clearBuffer(S);
    }
    if (!state && old && oldSlots) {
      const byName = new Map(old.params.map((p, i) => [p.name, { p, m: this.#mirror[i] as ParamMirror }]));
      spec.params.forEach((p, i) => {
        const prev = byName.get(p.name);
        if (!prev || prev.p.size !== p.size) return;
        mirror[i] = { ...prev.m };
        encoder.copyBufferToBuffer(oldSlots, prev.p.offset * 4, S, p.offset * 4, p.size * 4);
        encoder.copyBufferToBuffer(
          oldSlots,
          (old.totalParams + prev.p.offset) * 4,
          S,
          (total + p.offset) * 4,
          p.size * 4,
        );
      });
    }
    this.#device.queue.submit([encoder.finish()]);
    this.#destroy(this.#params);
    this.#destroy(oldSlots);
    this.#params = P;
    this.#slots = S;
    this.#mirror = mirror;
    const dropouts = spec.ops.filter((o) => o.op === 'dropout') as { seed: number }[];
    if (!sameModel || this.#streams.length !== dropouts.length) {
      this.#streams = dropouts.map((o) => kernels.streamStart(o.seed));
    }
    this.#spec = spec;
    this.#dropPipeline();
  }

  async setData(x: Float32Array, y: Float32Array, rows: number, targetSize: number): Promise<void> {
    this.#check();
    if (this.#data?.targetSize !== targetSize) this.#dropPipeline();
    this.#data = { x, y, rows, targetSize };
  }

  async train(request: HostTrainRequest): Promise<HostTrainResult> {
    this.#check();
    const req: TrainRequest = { ...request, order: request.order.rows };
    const run = this.#train(req).catch(async (e) => {
      // A destroyed device fails the chunk's readback before `lost` resolves: wait for it a moment.
      if (!this.#lost && !this.#disposed) {
        await Promise.race([this.#device.lost, new Promise((r) => setTimeout(r, 100))]);
        await Promise.resolve();
      }
      if (this.#lost && !this.#disposed) throw new HostFailedError(this.#lost);
      throw e;
    });
    this.#busy = run.catch(() => undefined);
    return run;
  }

  async #train(req: TrainRequest): Promise<HostTrainResult> {
    const spec = this.#spec;
    const data = this.#data;
    if (!spec || !data || !this.#params || !this.#slots) throw new Error('fused-webgpu: train before plan');
    const device = this.#device;
    const cap = Math.min(req.batchSize, data.rows);
    const pipe = await this.#pipeline(spec, cap, data.targetSize);
    const L = pipe.layout;
    this.#prepareState(req.opt);

    // How many steps: what is left of `order`, maxSteps, and ≈ dispatchMs of GPU time. Batches
    // never cross an epoch boundary (`order` may hold several epochs, see TrainRequest).
    const sizes = batchSizes(req, Math.min(req.maxSteps, L.kMax, this.#stepsPerDispatch()));
    const K = sizes.length;

    // Gather the K batches, labels and dropout masks on the CPU.
    const IN = spec.inputSize;
    const T = data.targetSize;
    const D = pipe.dataHost;
    const yBase = L.kMax * L.cap * IN;
    let offset = req.offset;
    for (let s = 0; s < K; s++) {
      const B = sizes[s] as number;
      for (let b = 0; b < B; b++) {
        const r = req.order[offset + b] as number;
        D.set(data.x.subarray(r * IN, (r + 1) * IN), s * L.cap * IN + b * IN);
        D.set(data.y.subarray(r * T, (r + 1) * T), yBase + s * L.cap * T + b * T);
      }
      offset += B;
    }
    const M = pipe.masksHost;
    if (L.maskStride > 0) {
      let d = 0;
      spec.ops.forEach((o, k) => {
        if (o.op !== 'dropout') return;
        for (let s = 0; s < K; s++) {
          const [seed, next] = kernels.nextSeed(this.#streams[d] as number);
          this.#streams[d] = next;
          kernels.dropoutMask(
            seed,
            o.rate,
            (sizes[s] as number) * o.size,
            M,
            s * L.maskStride + (L.maskOffsets[k] as number),
          );
        }
        d++;
      });
    }
    const C = this.#consts(spec, L, req.opt, K, sizes);

    device.queue.writeBuffer(pipe.data, 0, D.buffer, 0, K * L.cap * IN * 4);
    device.queue.writeBuffer(pipe.data, yBase * 4, D.buffer, yBase * 4, K * L.cap * T * 4);
    device.queue.writeBuffer(pipe.consts, 0, C.buffer, 0, C.byteLength);
    if (L.maskStride > 0) device.queue.writeBuffer(pipe.masks, 0, M.buffer, 0, K * L.maskStride * 4);
    if (pipe.split) device.queue.writeBuffer(pipe.work, L.stepAt * 4, ZERO);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setBindGroup(0, pipe.bindGroup);
    // Fused: one dispatch runs the K steps. Split: K × the step's dispatches, in one pass.
    for (let s = 0; s < (pipe.split ? K : 1); s++) {
      for (const d of pipe.steps) {
        pass.setPipeline(d.pipeline);
        pass.dispatchWorkgroups(d.workgroups);
      }
    }
    pass.end();
    encoder.copyBufferToBuffer(this.#params, 0, pipe.staging, 0, spec.totalParams * 4);
    encoder.copyBufferToBuffer(pipe.work, L.losses * 4, pipe.staging, spec.totalParams * 4, K * 4);
    // The optimizer state comes back with the weights, so a lost device hands both over (lastState).
    const slotted = req.opt.slots.buf || req.opt.slots.m;
    const read = (spec.totalParams + K + (slotted ? 2 * spec.totalParams : 0)) * 4;
    if (slotted)
      encoder.copyBufferToBuffer(this.#slots, 0, pipe.staging, (spec.totalParams + K) * 4, 2 * spec.totalParams * 4);
    const started = performance.now();
    const first = !pipe.checked;
    if (first) device.pushErrorScope('validation');
    device.queue.submit([encoder.finish()]);
    if (first) {
      pipe.checked = true;
      const error = await device.popErrorScope();
      if (error) throw new Error(`fused-webgpu: ${error.message}`);
    }
    await pipe.staging.mapAsync(MAP_READ, 0, read);
    if (this.#disposed) throw new HostDisposedError();
    const elapsed = performance.now() - started;
    const out = new Float32Array(pipe.staging.getMappedRange(0, read).slice(0));
    pipe.staging.unmap();
    // Smooth the per-step time; readback latency is part of it, which keeps K honest.
    const per = elapsed / K;
    this.#msPerStep = this.#msPerStep > 0 ? 0.5 * this.#msPerStep + 0.5 * per : per;

    const epochSize = req.epochSize ?? req.order.length;
    const epochLossSums: number[] = [];
    let lossSum = req.lossSum ?? 0;
    let samples = 0;
    for (let s = 0; s < K; s++) {
      lossSum += (out[spec.totalParams + s] as number) * (sizes[s] as number);
      samples += sizes[s] as number;
      if ((req.offset + samples) % epochSize === 0) {
        epochLossSums.push(lossSum);
        lossSum = 0;
      }
    }
    for (const [i, p] of spec.params.entries()) {
      if (!p.trainable) continue;
      const m = this.#mirror[i] as ParamMirror;
      m.step += K;
      if (req.opt.kind === 0 && req.opt.momentum !== 0) m.hasBuf = true;
    }
    this.#synced = slotted ? this.#stateOf(out.subarray(spec.totalParams + K)) : this.#stateOf(null);
    return {
      steps: K,
      samples,
      lossSum,
      epochLossSums,
      params: out.subarray(0, spec.totalParams),
      paramSteps: this.#steps(),
    };
  }

  #steps(): Record<string, number> {
    const out: Record<string, number> = {};
    this.#spec?.params.forEach((p, i) => {
      const m = this.#mirror[i] as ParamMirror;
      if (p.trainable && m.step > 0) out[p.name] = m.step;
    });
    return out;
  }

  async exportState(): Promise<KernelState> {
    this.#check();
    await this.#busy;
    const spec = this.#spec;
    const slots = this.#slots;
    if (!spec || !slots) return { generation: -1, params: {} };
    const total = spec.totalParams;
    const staging = this.#buffer(2 * total * 4, MAP_READ | COPY_DST, 'react-nn fused state readback');
    try {
      const encoder = this.#device.createCommandEncoder();
      encoder.copyBufferToBuffer(slots, 0, staging, 0, 2 * total * 4);
      this.#device.queue.submit([encoder.finish()]);
      await staging.mapAsync(MAP_READ);
      const all = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      return this.#stateOf(all);
    } finally {
      this.#destroy(staging);
    }
  }

  /** The optimizer state as of the last chunk's end, kept on the host: what outlives a lost device. */
  lastState(): KernelState | null {
    return this.#synced;
  }

  /** Slot values (both slots, as laid out on the GPU; null when no slot is in use) → state by weight name. */
  #stateOf(all: Float32Array | null): KernelState {
    const spec = this.#spec as KernelSpec;
    const total = spec.totalParams;
    const adam = this.#kind !== 0;
    const params: KernelState['params'] = {};
    spec.params.forEach((p, i) => {
      const m = this.#mirror[i] as ParamMirror;
      const first = all ? all.slice(p.offset, p.offset + p.size) : null;
      params[p.name] = {
        size: p.size,
        step: m.step,
        buf: !adam && m.hasBuf ? first : null,
        m: adam && m.step > 0 ? first : null,
        v: adam && m.step > 0 && all ? all.slice(total + p.offset, total + p.offset + p.size) : null,
      };
    });
    return { generation: this.#generation, params };
  }

  /** Steps that fill ≈ dispatchMs, from the measured time per step (4 before any measurement). */
  #stepsPerDispatch(): number {
    return this.#msPerStep > 0 ? Math.max(1, Math.floor(this.#dispatchMs / this.#msPerStep)) : 4;
  }

  /**
   * Drops state as Optimizer.setConfig would: all of it for a new optimizer or another family
   * (the generation changes), SGD's momentum buffer at momentum 0.
   */
  #prepareState(opt: OptSpec): void {
    if (this.#generation !== -1 && opt.generation !== this.#generation) {
      for (const m of this.#mirror) {
        m.step = 0;
        m.hasBuf = false;
      }
      const enc = this.#device.createCommandEncoder();
      enc.clearBuffer(this.#slots as GPUBuffer);
      this.#device.queue.submit([enc.finish()]);
    }
    this.#generation = opt.generation;
    this.#kind = opt.kind;
    if (!opt.slots.buf) for (const m of this.#mirror) m.hasBuf = false;
  }

  #consts(spec: KernelSpec, L: GpuLayout, opt: OptSpec, K: number, sizes: number[]): Float32Array {
    const C = (this.#pipe as Pipeline).constsHost;
    C[C_LR] = opt.lr;
    C[C_MOMENTUM] = opt.momentum;
    C[C_DAMP] = 1 - opt.dampening;
    C[C_WD] = opt.weightDecay;
    C[C_B1] = opt.beta1;
    C[C_B2] = opt.beta2;
    C[C_EPS] = opt.eps;
    C[C_L1] = opt.l1;
    C[C_L2] = opt.l2;
    C[C_CLIP_NORM] = opt.clipNorm;
    C[C_CLIP_VALUE] = opt.clipValue;
    C[C_NESTEROV] = opt.nesterov ? 1 : 0;
    C[C_K] = K;
    C[C_ADAMW_DECAY] = 1 - opt.lr * opt.weightDecay;
    C[C_KIND] = opt.kind;
    C[C_1MB1] = 1 - opt.beta1;
    C[C_1MB2] = 1 - opt.beta2;
    for (let s = 0; s < K; s++) C[HEADER + s] = sizes[s] as number;
    const NP = spec.params.length;
    spec.params.forEach((_p, i) => {
      const m = this.#mirror[i] as ParamMirror;
      for (let s = 0; s < K; s++) {
        const t = m.step + s + 1;
        const at = HEADER + L.kMax + (s * NP + i) * 3;
        C[at] = 1 - opt.beta1 ** t;
        C[at + 1] = 1 - opt.beta2 ** t;
        C[at + 2] = s > 0 || m.hasBuf ? 1 : 0;
      }
    });
    return C;
  }

  async #pipeline(spec: KernelSpec, cap: number, targetSize: number): Promise<Pipeline> {
    const key = `${cap}/${targetSize}`;
    if (this.#pipe?.key === key) return this.#pipe;
    this.#dropPipeline();
    const perStep = cap * (spec.inputSize + targetSize) * 4;
    const kMax = Math.max(1, Math.min(1024, Math.floor((16 << 20) / Math.max(1, perStep))));
    const split = widestPhase(spec, cap) > gpuTuning.splitAbove;
    const wg = this.#wgOption ?? (split ? (this.#software ? 64 : 256) : workgroupSizeFor(spec, cap, this.#software));
    const L = layoutFor(spec, cap, targetSize, kMax, wg);
    lastShape = split ? 'split' : 'fused';
    const shader = split
      ? splitTrainingShader(spec, L)
      : { code: trainingShader(spec, L), entries: [{ name: 'main', workgroups: 1 }] };
    const device = this.#device;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: shader.code, label: 'react-nn fused training' });
    // An explicit layout: 'auto' would drop bindings the shader does not read (no dropout → no masks).
    const entry = (binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry => ({
      binding,
      visibility: 0x4, // GPUShaderStage.COMPUTE
      buffer: { type },
    });
    const bindLayout = device.createBindGroupLayout({
      entries: [
        entry(0, 'storage'),
        entry(1, 'storage'),
        entry(2, 'storage'),
        entry(3, 'read-only-storage'),
        entry(4, 'read-only-storage'),
        entry(5, 'read-only-storage'),
      ],
    });
    const layout = device.createPipelineLayout({ bindGroupLayouts: [bindLayout] });
    const steps = await Promise.all(
      shader.entries.map(async (e) => ({
        pipeline: await device.createComputePipelineAsync({
          layout,
          compute: { module, entryPoint: e.name },
          label: `react-nn fused training ${e.name}`,
        }),
        workgroups: e.workgroups,
      })),
    );
    const error = await device.popErrorScope();
    if (error) {
      const info = await module.getCompilationInfo?.();
      const messages = info?.messages?.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('\n') ?? '';
      throw new Error(`fused-webgpu: the generated shader did not compile: ${error.message}\n${messages}`);
    }
    const work = this.#buffer(L.workSize * 4, STORAGE | COPY_SRC | COPY_DST, 'react-nn fused work');
    const dataBuf = this.#buffer(L.dataSize * 4, STORAGE | COPY_DST, 'react-nn fused batches');
    const consts = this.#buffer(L.constsSize * 4, STORAGE | COPY_DST, 'react-nn fused constants');
    const masks = this.#buffer(Math.max(4, L.kMax * L.maskStride) * 4, STORAGE | COPY_DST, 'react-nn fused masks');
    // Params, K losses and (with slots) the optimizer state: see #train's readback.
    const staging = this.#buffer((3 * spec.totalParams + kMax) * 4, MAP_READ | COPY_DST, 'react-nn fused readback');
    const bindGroup = device.createBindGroup({
      layout: bindLayout,
      entries: [
        { binding: 0, resource: { buffer: this.#params as GPUBuffer } },
        { binding: 1, resource: { buffer: this.#slots as GPUBuffer } },
        { binding: 2, resource: { buffer: work } },
        { binding: 3, resource: { buffer: dataBuf } },
        { binding: 4, resource: { buffer: consts } },
        { binding: 5, resource: { buffer: masks } },
      ],
    });
    this.#pipe = {
      key,
      layout: L,
      steps,
      split,
      work,
      data: dataBuf,
      consts,
      masks,
      staging,
      bindGroup,
      dataHost: new Float32Array(L.dataSize),
      masksHost: new Float32Array(Math.max(4, L.kMax * L.maskStride)),
      constsHost: new Float32Array(L.constsSize),
      checked: false,
    };
    this.#msPerStep = 0;
    return this.#pipe;
  }

  #dropPipeline(): void {
    const p = this.#pipe;
    if (!p) return;
    this.#pipe = null;
    for (const b of [p.work, p.data, p.consts, p.masks, p.staging]) this.#destroy(b);
  }

  async paramSteps(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    this.#spec?.params.forEach((p, i) => {
      const m = this.#mirror[i];
      if (p.trainable && m && m.step > 0) out[p.name] = m.step;
    });
    return out;
  }

  #check(): void {
    if (this.#disposed) throw new HostDisposedError();
    if (this.#lost) throw new HostFailedError(this.#lost);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#dropPipeline();
    this.#destroy(this.#params);
    this.#destroy(this.#slots);
    this.#params = null;
    this.#slots = null;
  }
}
