/**
 * The fused CPU kernel: batched forward, loss, backward and optimizer update of a planned
 * network over flat Float32Arrays — no tensors, no per-neuron objects, nothing allocated per
 * step. Written to match the tfjs engine's maths op for op (same gradients at kinks, same
 * dropout masks, the optimizers of `optimizers.ts`), with double-precision accumulators.
 *
 * `fusedKernelFactory` is SELF-CONTAINED: it references nothing outside its own body (types
 * aside), because its source text is also what runs inside the fused-cpu Web Worker
 * (see cpu.ts). Keep it that way: no imports used at run time, no module-level helpers.
 */

import { IMAGE_OPS, type ImageBuffers, type ImageOp, type ImageOpFactory } from './imageOps';
import { fusedPlanCache, type PlanCache } from './kernelCache';
import type { KernelSpec, OptSpec } from './plan';
import { type FusedRules, RULES } from './rules';

/** One batch window of the trainer's epoch order to train on. */
export interface TrainRequest {
  /**
   * Row order (indices into the data): one epoch's, or several epochs' back to back when the
   * trainer lets a chunk span epochs (nothing observes an epoch's end but its loss).
   */
  order: Int32Array;
  /** Rows per epoch: no batch crosses a multiple of it in `order` (default: `order.length`). */
  epochSize?: number;
  /** Position in `order` of the first row of the first step. */
  offset: number;
  batchSize: number;
  /** Run at most this many steps (and never past the end of `order`). */
  maxSteps: number;
  /** Stop starting steps after this many milliseconds (Infinity: no limit). */
  budgetMs: number;
  /** The loss sum to continue (see TrainResult.lossSum). */
  lossSum?: number;
  opt: OptSpec;
}

export interface TrainResult {
  steps: number;
  /** Rows consumed. */
  samples: number;
  /**
   * The unfinished epoch's loss sum: the request's `lossSum` plus, step by step, batch mean data
   * loss × batch rows (double precision) — restarting at 0 after each epoch the chunk completed.
   */
  lossSum: number;
  /** The loss sums of the epochs this chunk completed, in order (usually none or one). */
  epochLossSums: number[];
}

/** Optimizer state of one parameter, as `Optimizer` keeps it (per-parameter step count and slots). */
export interface ParamState {
  size: number;
  step: number;
  buf: Float32Array | null;
  m: Float32Array | null;
  v: Float32Array | null;
}

/** Optimizer state by weight name, carried from one planned model to the next. */
export interface KernelState {
  generation: number;
  params: Record<string, ParamState>;
}

export interface CpuKernel {
  readonly spec: KernelSpec;
  /** Every weight, flat, in spec order. Read it to sync; write through `setParams`. */
  readonly params: Float32Array;
  setParams(values: Float32Array): void;
  /** The training set, row-major; `targetSize` label values per row. */
  setData(x: Float32Array, y: Float32Array, rows: number, targetSize: number): void;
  hasData(): boolean;
  train(req: TrainRequest): TrainResult;
  exportState(): KernelState;
  paramSteps(): Record<string, number>;
  /** The mulberry32 state of each dropout layer's seed stream. */
  dropoutStreams(): number[];
  /** Whether forward/backward run as generated code. */
  readonly jitted: boolean;
  /** The generated code this kernel runs, shared by every kernel of an equal plan (null: the loops). */
  compiledCode(): unknown;
}

export interface KernelOptions {
  /**
   * Generate straight-line JavaScript for forward/backward (default true; several times faster
   * on small nets). Without eval (a strict CSP) the kernel uses its loops, with the same results.
   */
  jit?: boolean;
}

export interface KernelFactory {
  /**
   * A kernel for `spec`, starting from `params`. `state` carries optimizer state by weight name
   * (kept when the size matches); `streams` continues the dropout seed streams.
   */
  create(
    spec: KernelSpec,
    params: Float32Array,
    state: KernelState | null,
    streams: number[] | null,
    options?: KernelOptions,
  ): CpuKernel;
  /** The first state of a dropout seed stream, as `createRng(seed)` in random.ts. */
  streamStart(seed: number): number;
  /** Draws the next dropout seed from a stream state: returns [seed, nextState]. */
  nextSeed(state: number): [number, number];
  /**
   * Writes `n` multipliers of tf.dropout(x, rate, undefined, seed) into `out` from `at`: 0 for
   * dropped elements, fround(1/fround(1 − rate)) for kept ones — bit-identical to tfjs' masks.
   */
  dropoutMask(seed: number, rate: number, n: number, out: Float32Array, at: number): void;
  /**
   * Hands back a kernel its user is done with (a disposed trainer's): it lets go of its data and
   * waits, idle, for the next `create` of an equal plan, which gets it back reset to that call's
   * weights and state. Its code stays warm (optimized by V8), so a new trainer on the same
   * architecture starts at full speed. The caller must not use the kernel afterwards.
   */
  release(kernel: CpuKernel): void;
  /** Generated code and idle kernels, by plan (see kernelCache.ts). */
  readonly caches: { compiled: PlanCache<unknown>; idle: PlanCache<CpuKernel> };
}

/** Builds the kernel factory. Self-contained — see the module comment. */
export function fusedKernelFactory(
  rules: FusedRules,
  imageOps: ImageOpFactory,
  planCache: typeof fusedPlanCache,
): KernelFactory {
  const fround = Math.fround;

  // seedrandom's alea (Johannes Baagøe, MIT), as tfjs' randomUniform uses it: alea(String(seed)).
  function alea(seedText: string): () => number {
    let n = 0xefc8249d;
    const mash = (data: string): number => {
      for (let i = 0; i < data.length; i++) {
        n += data.charCodeAt(i);
        let h = 0.02519603282416938 * n;
        n = h >>> 0;
        h -= n;
        h *= n;
        n = h >>> 0;
        h -= n;
        n += h * 0x100000000;
      }
      return (n >>> 0) * 2.3283064365386963e-10;
    };
    let c = 1;
    let s0 = mash(' ');
    let s1 = mash(' ');
    let s2 = mash(' ');
    s0 -= mash(seedText);
    if (s0 < 0) s0 += 1;
    s1 -= mash(seedText);
    if (s1 < 0) s1 += 1;
    s2 -= mash(seedText);
    if (s2 < 0) s2 += 1;
    return () => {
      const t = 2091639 * s0 + c * 2.3283064365386963e-10;
      s0 = s1;
      s1 = s2;
      c = t | 0;
      s2 = t - c;
      return s2;
    };
  }

  function dropoutMask(seed: number, rate: number, n: number, out: Float32Array, at: number): void {
    const rand = alea(String(seed));
    const keep = fround(1 - rate);
    const scale = fround(1 / keep);
    for (let i = 0; i < n; i++) {
      out[at + i] = Math.floor(fround(fround(rand()) + keep)) > 0 ? scale : 0;
    }
  }

  // mulberry32 (random.ts createRng), one draw → the DropoutLayer's next seed.
  function streamStart(seed: number): number {
    return seed >>> 0;
  }
  function nextSeed(state: number): [number, number] {
    const a = (state + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return [Math.floor(u * 2 ** 31), a];
  }

  type JitMaker = (...buffers: unknown[]) => unknown;
  /** Generated forward/backward functions by plan (see currentJit). */
  const compiled = planCache<JitMaker>(64);
  /**
   * Kernels released by their users, by plan and code kind, with the means to start them over.
   * A few: each holds its weights and batch buffers (a CNN's are a few MB).
   */
  const idle = planCache<CpuKernel>(4);
  const restart = new WeakMap<
    CpuKernel,
    {
      key: string;
      reset(initial: Float32Array, carried: KernelState | null, streamsIn: number[] | null): void;
      letGo(): void;
    }
  >();

  function create(
    spec: KernelSpec,
    initial: Float32Array,
    carried: KernelState | null,
    streamsIn: number[] | null,
    options?: KernelOptions,
  ): CpuKernel {
    const planKey = compiled.key(spec);
    const idleKey = `${options?.jit === false ? 'loops' : 'jit'} ${planKey}`;
    const warm = idle.take(idleKey);
    if (warm) {
      restart.get(warm)?.reset(initial, carried, streamsIn);
      return warm;
    }
    let useJit = options?.jit !== false;
    const ops = spec.ops;
    const nOps = ops.length;
    const params = new Float32Array(spec.totalParams);
    params.set(initial.subarray(0, spec.totalParams));
    const grads = new Float64Array(spec.totalParams);
    const lastGood = new Float32Array(spec.totalParams);
    const inputSize = spec.inputSize;
    const outputSize = spec.outputSize;

    // Per-parameter optimizer state, carried by name when the size is unchanged.
    let states: ParamState[] = spec.params.map((p) => {
      const old = carried?.params[p.name];
      if (old && old.size === p.size) return old;
      return { size: p.size, step: 0, buf: null, m: null, v: null };
    });
    let generation = carried ? carried.generation : -1;

    // Dropout seed streams, one per dropout op.
    const dropIdx: number[] = [];
    ops.forEach((o, i) => {
      if (o.op === 'dropout') dropIdx.push(i);
    });
    let streams = dropIdx.map((i, k) => {
      const given = streamsIn?.[k];
      if (given !== undefined) return given;
      const o = ops[i] as { seed: number };
      return streamStart(o.seed);
    });

    // Activations: acts[k] is the input of op k, acts[nOps] the output; grads alike.
    const sizes: number[] = [inputSize];
    for (const o of ops) sizes.push(o.op === 'linear' || o.op === 'conv2d' || o.op === 'pool' ? o.outSize : o.size);
    let cap = 0;
    let acts: Float32Array[] = [];
    let dacts: Float32Array[] = [];
    let masks: (Float32Array | null)[] = [];
    let yb = new Float32Array(0);
    let maxWidth = 1;
    for (const s of sizes) maxWidth = Math.max(maxWidth, s);
    const acc = new Float64Array(maxWidth);

    let X: Float32Array | null = null;
    let Y: Float32Array | null = null;
    let rows = 0;
    let targetSize = 1;

    // Conv2d, pooling and BatchNorm: imageOps.ts, reading the buffers through `bufs`.
    const bufs: ImageBuffers = { params, grads, acts, dacts };
    const image: (ImageOp | null)[] = ops.map((o, k) =>
      o.op === 'conv2d' || o.op === 'pool' || o.op === 'batchNorm' ? imageOps.create(o, k, spec, bufs) : null,
    );

    function ensureCapacity(b: number): void {
      if (b <= cap) return;
      cap = b;
      acts = sizes.map((s) => new Float32Array(b * s));
      dacts = sizes.map((s) => new Float32Array(b * s));
      masks = ops.map((o) => (o.op === 'dropout' ? new Float32Array(b * o.size) : null));
      yb = new Float32Array(b * Math.max(targetSize, outputSize));
      bufs.acts = acts;
      bufs.dacts = dacts;
      for (const op of image) op?.ensure(b);
    }

    /** Dropout op k: the next mask from its seed stream, then out = in × mask. */
    function dropForward(k: number, B: number): void {
      const o = ops[k] as { size: number; rate: number };
      const inp = acts[k] as Float32Array;
      const out = acts[k + 1] as Float32Array;
      const n = B * o.size;
      const mask = masks[k] as Float32Array;
      const di = dropIdx.indexOf(k);
      const [seed, next] = nextSeed(streams[di] as number);
      streams[di] = next;
      dropoutMask(seed, o.rate, n, mask, 0);
      for (let i = 0; i < n; i++) out[i] = (inp[i] as number) * (mask[i] as number);
    }

    function forward(B: number): void {
      for (let k = 0; k < nOps; k++) {
        const o = ops[k] as KernelSpec['ops'][number];
        const inp = acts[k] as Float32Array;
        const out = acts[k + 1] as Float32Array;
        if (o.op === 'linear') {
          const I = o.inSize;
          const O = o.outSize;
          const wOff = (spec.params[o.w] as { offset: number }).offset;
          const bOff = o.b >= 0 ? (spec.params[o.b] as { offset: number }).offset : -1;
          for (let b = 0; b < B; b++) {
            for (let j = 0; j < O; j++) acc[j] = 0;
            const ib = b * I;
            for (let i = 0; i < I; i++) {
              const a = inp[ib + i] as number;
              // Zero inputs (most of an MNIST digit, half of a ReLU layer) add nothing: skip their row.
              if (a === 0) continue;
              const wr = wOff + i * O;
              for (let j = 0; j < O; j++) acc[j] = (acc[j] as number) + a * (params[wr + j] as number);
            }
            const ob = b * O;
            if (bOff >= 0) {
              for (let j = 0; j < O; j++) out[ob + j] = fround(acc[j] as number) + (params[bOff + j] as number);
            } else {
              for (let j = 0; j < O; j++) out[ob + j] = acc[j] as number;
            }
          }
        } else if (o.op === 'dropout') {
          dropForward(k, B);
        } else if (o.op !== 'act') {
          (image[k] as ImageOp).forward(B);
        } else {
          const n = B * o.size;
          const f = rules.act[o.fn].forward;
          if (o.fn === 'prelu') {
            const pOff = (spec.params[o.p] as { offset: number }).offset;
            const C = o.channels;
            for (let i = 0; i < n; i++) out[i] = f(inp[i] as number, params[pOff + (C === 1 ? 0 : i % C)] as number);
          } else {
            const al = o.alpha;
            for (let i = 0; i < n; i++) out[i] = f(inp[i] as number, al);
          }
        }
      }
    }

    /** Loss of the batch's output against yb; writes dL/dout into dacts[nOps]. Returns the mean loss. */
    function lossAndGrad(B: number): number {
      const out = acts[nOps] as Float32Array;
      const d = dacts[nOps] as Float32Array;
      const O = outputSize;
      const kind = spec.loss.kind;
      let total = 0;
      if (kind === 'crossEntropy') {
        const C = O;
        const eps = spec.loss.labelSmoothing;
        const ids = targetSize !== C;
        const inv = 1 / B;
        for (let r = 0; r < B; r++) {
          const base = r * C;
          let mx = Number.NEGATIVE_INFINITY;
          for (let c = 0; c < C; c++) mx = Math.max(mx, out[base + c] as number);
          let se = 0;
          for (let c = 0; c < C; c++) se += Math.exp((out[base + c] as number) - mx);
          const lse = Math.log(se);
          const cls = ids ? (yb[r] as number) | 0 : -1;
          const valid = !ids || (cls >= 0 && cls < C);
          let qsum = 0;
          for (let c = 0; c < C; c++) {
            let q = ids ? (valid && c === cls ? 1 : 0) : (yb[base + c] as number);
            if (eps > 0 && valid) q = q * (1 - eps) + eps / C;
            acc[c] = q;
            qsum += q;
          }
          for (let c = 0; c < C; c++) {
            const lsm = (out[base + c] as number) - mx - lse;
            const q = acc[c] as number;
            total -= q * lsm;
            d[base + c] = (Math.exp(lsm) * qsum - q) * inv;
          }
        }
        return total / B;
      }
      const N = B * O;
      const inv = 1 / N;
      const rule = rules.loss[kind];
      if (rule.rows) throw new Error(`fused kernel: loss ${kind} has no element rule`);
      const delta = spec.loss.delta;
      for (let i = 0; i < N; i++) {
        const p = out[i] as number;
        const y = yb[i] as number;
        total += rule.value(p, y, delta);
        d[i] = rule.grad(p, y, delta) * inv;
      }
      return total * inv;
    }

    function backward(B: number): void {
      for (let k = nOps - 1; k >= 0; k--) {
        const o = ops[k] as KernelSpec['ops'][number];
        const inp = acts[k] as Float32Array;
        const dOut = dacts[k + 1] as Float32Array;
        const dIn = dacts[k] as Float32Array;
        const needIn = k > 0;
        if (o.op === 'linear') {
          const I = o.inSize;
          const O = o.outSize;
          const wp = spec.params[o.w] as { offset: number; trainable: boolean };
          const wOff = wp.offset;
          if (wp.trainable) {
            for (let b = 0; b < B; b++) {
              const ib = b * I;
              const ob = b * O;
              for (let i = 0; i < I; i++) {
                const a = inp[ib + i] as number;
                if (a === 0) continue;
                const gr = wOff + i * O;
                for (let j = 0; j < O; j++) grads[gr + j] = (grads[gr + j] as number) + a * (dOut[ob + j] as number);
              }
            }
          }
          if (o.b >= 0) {
            const bp = spec.params[o.b] as { offset: number; trainable: boolean };
            if (bp.trainable) {
              const bOff = bp.offset;
              for (let b = 0; b < B; b++) {
                const ob = b * O;
                for (let j = 0; j < O; j++) grads[bOff + j] = (grads[bOff + j] as number) + (dOut[ob + j] as number);
              }
            }
          }
          if (needIn) {
            for (let b = 0; b < B; b++) {
              const ib = b * I;
              const ob = b * O;
              for (let i = 0; i < I; i++) {
                const wr = wOff + i * O;
                let s = 0;
                for (let j = 0; j < O; j++) s += (dOut[ob + j] as number) * (params[wr + j] as number);
                dIn[ib + i] = s;
              }
            }
          }
        } else if (o.op !== 'act' && o.op !== 'dropout') {
          (image[k] as ImageOp).backward(B, needIn);
        } else if (o.op === 'dropout') {
          if (!needIn) continue;
          const n = B * o.size;
          const mask = masks[k] as Float32Array;
          for (let i = 0; i < n; i++) dIn[i] = (dOut[i] as number) * (mask[i] as number);
        } else {
          const n = B * o.size;
          const out = acts[k + 1] as Float32Array;
          const al = o.alpha;
          const bwd = rules.act[o.fn].backward;
          if (o.fn === 'prelu') {
            const pp = spec.params[o.p] as { offset: number; trainable: boolean };
            const pOff = pp.offset;
            const C = o.channels;
            for (let i = 0; i < n; i++) {
              const x = inp[i] as number;
              const g = dOut[i] as number;
              const c = C === 1 ? 0 : i % C;
              if (needIn) dIn[i] = bwd(x, out[i] as number, g, params[pOff + c] as number);
              if (!(x > 0) && pp.trainable) grads[pOff + c] = (grads[pOff + c] as number) + g * x;
            }
            continue;
          }
          if (!needIn) continue;
          for (let i = 0; i < n; i++) dIn[i] = bwd(inp[i] as number, out[i] as number, dOut[i] as number, al);
        }
      }
    }

    // ---- the JIT: forward and backward as straight-line JavaScript for this spec ----
    // Same arithmetic in the same order as forward()/backward() above (so results are
    // bit-identical), with sizes and offsets as constants and small layers fully unrolled.
    // Falls back to the loops above where code generation is not allowed (a strict CSP).

    type Jit = { forward(B: number): void; backward(B: number): void };
    let jit: Jit | null = null;
    let jitCap = -1;
    let maker: JitMaker | null = null;

    function generate(): string {
      const off = (i: number) => (spec.params[i] as { offset: number }).offset;
      const trainable = (i: number) => (spec.params[i] as { trainable: boolean }).trainable;
      const lines: string[] = ['"use strict";'];
      for (let k = 0; k <= nOps; k++) lines.push(`const A${k} = A[${k}];${k > 0 ? ` const D${k} = D[${k}];` : ''}`);
      ops.forEach((o, k) => {
        if (o.op === 'dropout') lines.push(`const M${k} = M[${k}];`);
      });
      const fw: string[] = [];
      const bw: string[] = [];
      ops.forEach((o, k) => {
        const In = `A${k}`;
        const Out = `A${k + 1}`;
        if (o.op === 'linear') {
          const I = o.inSize;
          const O = o.outSize;
          const w = off(o.w);
          const bias = o.b >= 0 ? off(o.b) : -1;
          const small = I * O <= 64;
          // forward
          if (small) {
            const body: string[] = [];
            for (let i = 0; i < I; i++) body.push(`const x${i} = ${In}[ib + ${i}];`);
            for (let j = 0; j < O; j++) {
              const sum = Array.from({ length: I }, (_v, i) => `x${i} * P[${w + i * O + j}]`).join(' + ');
              body.push(
                bias >= 0 ? `${Out}[ob + ${j}] = fround(${sum}) + P[${bias + j}];` : `${Out}[ob + ${j}] = ${sum};`,
              );
            }
            fw.push(`for (let b = 0; b < B; b++) { const ib = b * ${I}; const ob = b * ${O};\n${body.join('\n')}\n}`);
          } else {
            fw.push(`for (let b = 0; b < B; b++) {
  const ib = b * ${I}; const ob = b * ${O};
  for (let j = 0; j < ${O}; j++) acc[j] = 0;
  for (let i = 0; i < ${I}; i++) { const a = ${In}[ib + i]; if (a === 0) continue; const wr = ${w} + i * ${O}; for (let j = 0; j < ${O}; j++) acc[j] += a * P[wr + j]; }
  for (let j = 0; j < ${O}; j++) ${Out}[ob + j] = ${bias >= 0 ? `fround(acc[j]) + P[${bias} + j]` : 'acc[j]'};
}`);
          }
          // backward
          const dOut = `D${k + 1}`;
          const needIn = k > 0;
          const parts: string[] = [];
          if (small) {
            const body: string[] = [];
            for (let j = 0; j < O; j++) body.push(`const d${j} = ${dOut}[ob + ${j}];`);
            if (trainable(o.w)) {
              for (let i = 0; i < I; i++) {
                body.push(`{ const a = ${In}[ib + ${i}];`);
                for (let j = 0; j < O; j++) body.push(`G[${w + i * O + j}] += a * d${j};`);
                body.push('}');
              }
            }
            if (bias >= 0 && trainable(o.b)) for (let j = 0; j < O; j++) body.push(`G[${bias + j}] += d${j};`);
            if (needIn) {
              for (let i = 0; i < I; i++) {
                const sum = Array.from({ length: O }, (_v, j) => `d${j} * P[${w + i * O + j}]`).join(' + ');
                body.push(`D${k}[ib + ${i}] = 0 + ${sum};`);
              }
            }
            parts.push(
              `for (let b = 0; b < B; b++) { const ib = b * ${I}; const ob = b * ${O};\n${body.join('\n')}\n}`,
            );
          } else {
            if (trainable(o.w)) {
              parts.push(`for (let b = 0; b < B; b++) { const ib = b * ${I}; const ob = b * ${O};
  for (let i = 0; i < ${I}; i++) { const a = ${In}[ib + i]; if (a === 0) continue; const gr = ${w} + i * ${O}; for (let j = 0; j < ${O}; j++) G[gr + j] += a * ${dOut}[ob + j]; } }`);
            }
            if (bias >= 0 && trainable(o.b)) {
              parts.push(
                `for (let b = 0; b < B; b++) { const ob = b * ${O}; for (let j = 0; j < ${O}; j++) G[${bias} + j] += ${dOut}[ob + j]; }`,
              );
            }
            if (needIn) {
              parts.push(`for (let b = 0; b < B; b++) { const ib = b * ${I}; const ob = b * ${O};
  for (let i = 0; i < ${I}; i++) { const wr = ${w} + i * ${O}; let s = 0; for (let j = 0; j < ${O}; j++) s += ${dOut}[ob + j] * P[wr + j]; D${k}[ib + i] = s; } }`);
            }
          }
          bw.unshift(parts.join('\n'));
        } else if (o.op !== 'act' && o.op !== 'dropout') {
          fw.push(`I[${k}].forward(B);`);
          bw.unshift(`I[${k}].backward(B, ${k > 0});`);
        } else if (o.op === 'dropout') {
          fw.push(`drop(${k}, B);`);
          if (k > 0)
            bw.unshift(`{ const n = B * ${o.size}; for (let i = 0; i < n; i++) D${k}[i] = D${k + 1}[i] * M${k}[i]; }`);
        } else {
          // The rule's functions are bound once per op; V8 inlines them into the loop.
          lines.push(`const F${k} = R.act.${o.fn}.forward; const G${k} = R.act.${o.fn}.backward;`);
          const pOff = o.p >= 0 ? off(o.p) : -1;
          const C = o.channels;
          const a = o.fn === 'prelu' ? `P[${pOff}${C === 1 ? '' : ` + i % ${C}`}]` : String(o.alpha);
          fw.push(`{ const n = B * ${o.size}; for (let i = 0; i < n; i++) ${Out}[i] = F${k}(${In}[i], ${a}); }`);
          if (o.fn === 'prelu') {
            bw.unshift(`{ const n = B * ${o.size}; for (let i = 0; i < n; i++) { const x = ${In}[i]; const g = D${k + 1}[i];
  ${k > 0 ? `D${k}[i] = G${k}(x, ${Out}[i], g, ${a});` : ''} ${trainable(o.p) ? `if (!(x > 0)) G[${pOff}${C === 1 ? '' : ` + i % ${C}`}] += g * x;` : ''} } }`);
          } else if (k > 0) {
            bw.unshift(
              `{ const n = B * ${o.size}; for (let i = 0; i < n; i++) D${k}[i] = G${k}(${In}[i], ${Out}[i], D${k + 1}[i], ${a}); }`,
            );
          }
        }
      });
      lines.push(`return {\nforward(B) {\n${fw.join('\n')}\n},\nbackward(B) {\n${bw.join('\n')}\n}\n};`);
      return lines.join('\n');
    }

    function currentJit(): Jit | null {
      if (!useJit) return null;
      if (jit && jitCap === cap) return jit;
      try {
        // Compiled once per plan: the source depends only on the spec, so a new kernel of an equal
        // plan (a new trainer, an edit back to an earlier shape) skips generation and compilation.
        let make = compiled.get(planKey);
        if (!make) {
          make = new Function('P', 'G', 'A', 'D', 'M', 'acc', 'fround', 'R', 'drop', 'I', generate()) as JitMaker;
          compiled.set(planKey, make);
        }
        maker = make;
        jit = make(params, grads, acts, dacts, masks, acc, fround, rules, dropForward, image) as Jit;
        jitCap = cap;
      } catch {
        useJit = false; // no eval here (CSP): the loops above do the same work
        jit = null;
      }
      return jit;
    }

    function update(opt: OptSpec): void {
      const ps = spec.params;
      // L1/L2 penalty gradients (weights only), then clipping over every trainable gradient.
      if (opt.l1 > 0 || opt.l2 > 0) {
        for (const p of ps) {
          if (!p.trainable || !p.decay) continue;
          for (let i = p.offset, e = p.offset + p.size; i < e; i++) {
            const w = params[i] as number;
            let g = grads[i] as number;
            if (opt.l1 > 0) g += opt.l1 * (w > 0 ? 1 : -1);
            if (opt.l2 > 0) g += opt.l2 * 2 * w;
            grads[i] = g;
          }
        }
      }
      if (opt.clipNorm > 0) {
        let ss = 0;
        for (const p of ps) {
          if (!p.trainable) continue;
          for (let i = p.offset, e = p.offset + p.size; i < e; i++) ss += (grads[i] as number) * (grads[i] as number);
        }
        const coef = Math.min(opt.clipNorm / (Math.sqrt(ss) + 1e-6), 1);
        if (coef < 1) for (let i = 0; i < grads.length; i++) grads[i] = (grads[i] as number) * coef;
      }
      if (opt.clipValue > 0) {
        const cv = opt.clipValue;
        for (let i = 0; i < grads.length; i++) grads[i] = Math.min(Math.max(grads[i] as number, -cv), cv);
      }
      const lr = opt.lr;
      const wd = opt.weightDecay;
      for (let pi = 0; pi < ps.length; pi++) {
        const p = ps[pi] as KernelSpec['params'][number];
        if (!p.trainable) continue;
        const st = states[pi] as ParamState;
        st.step += 1;
        const off = p.offset;
        const n = p.size;
        if (opt.kind === 0) {
          const mu = opt.momentum;
          if (mu !== 0) {
            const had = st.buf !== null;
            if (!st.buf) st.buf = new Float32Array(n);
            const buf = st.buf;
            const damp = 1 - opt.dampening;
            for (let i = 0; i < n; i++) {
              const w = params[off + i] as number;
              let g = grads[off + i] as number;
              if (wd !== 0) g += w * wd;
              const b = had ? (buf[i] as number) * mu + g * damp : g;
              buf[i] = b;
              g = opt.nesterov ? g + fround(b) * mu : fround(b);
              params[off + i] = w - g * lr;
            }
          } else {
            for (let i = 0; i < n; i++) {
              const w = params[off + i] as number;
              let g = grads[off + i] as number;
              if (wd !== 0) g += w * wd;
              params[off + i] = w - g * lr;
            }
          }
        } else {
          if (!st.m) st.m = new Float32Array(n);
          if (!st.v) st.v = new Float32Array(n);
          const m = st.m;
          const v = st.v;
          const b1 = opt.beta1;
          const b2 = opt.beta2;
          const c1 = fround(1 - b1 ** st.step);
          const c2 = fround(1 - b2 ** st.step);
          const adamw = opt.kind === 2;
          const decay = adamw && wd !== 0 ? fround(1 - lr * wd) : 1;
          for (let i = 0; i < n; i++) {
            const w = params[off + i] as number;
            let g = grads[off + i] as number;
            if (!adamw && wd !== 0) g += w * wd;
            const mi = (m[i] as number) * b1 + g * (1 - b1);
            const vi = (v[i] as number) * b2 + g * g * (1 - b2);
            m[i] = mi;
            v[i] = vi;
            const mHat = fround(mi) / c1;
            const vHat = fround(vi) / c2;
            params[off + i] = w * decay - (mHat / (Math.sqrt(vHat) + opt.eps)) * lr;
          }
        }
      }
    }

    function prepareState(opt: OptSpec): void {
      if (opt.generation !== generation) {
        generation = opt.generation;
        for (const st of states) {
          st.step = 0;
          st.buf = null;
          st.m = null;
          st.v = null;
        }
      }
      // Optimizer.setConfig drops slots the new settings do not read.
      for (const st of states) {
        if (!opt.slots.buf) st.buf = null;
        if (!opt.slots.m) st.m = null;
        if (!opt.slots.v) st.v = null;
      }
    }

    function allFinite(a: Float32Array): boolean {
      // v − v is 0 for every finite v and NaN for ±Infinity and NaN.
      for (let i = 0; i < a.length; i++) if ((a[i] as number) - (a[i] as number) !== 0) return false;
      return true;
    }

    const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

    const kernel: CpuKernel = {
      spec,
      params,
      setParams(values) {
        params.set(values.subarray(0, spec.totalParams));
      },
      setData(x, y, r, t) {
        X = x;
        Y = y;
        rows = r;
        // The batch buffers fit any row count; only the label width sizes one of them. Keeping
        // them keeps the generated code's closures (bound to them) and their optimized code.
        if (t !== targetSize) cap = 0;
        targetSize = t;
      },
      hasData: () => X !== null,
      train(req) {
        if (!X || !Y) throw new Error('fused kernel: no data');
        const { order, batchSize, opt } = req;
        prepareState(opt);
        const end = order.length;
        const epochSize = req.epochSize ?? end;
        const start = now();
        let offset = req.offset;
        let epochEnd = Math.min(end, (Math.floor(offset / epochSize) + 1) * epochSize);
        let steps = 0;
        let samples = 0;
        let lossSum = req.lossSum ?? 0;
        const epochLossSums: number[] = [];
        ensureCapacity(Math.min(batchSize, rows));
        const T = targetSize;
        // Read the clock about every millisecond, not every (microsecond-short) step.
        let checkEvery = 1;
        let nextCheck = 1;
        while (steps < req.maxSteps && offset < end) {
          const B = Math.min(batchSize, epochEnd - offset);
          ensureCapacity(B);
          const xs = acts[0] as Float32Array;
          for (let b = 0; b < B; b++) {
            const r = order[offset + b] as number;
            const src = r * inputSize;
            const dst = b * inputSize;
            for (let f = 0; f < inputSize; f++) xs[dst + f] = X[src + f] as number;
            const ys = r * T;
            const yd = b * T;
            for (let f = 0; f < T; f++) yb[yd + f] = Y[ys + f] as number;
          }
          // The weights before this step (BatchNorm's running statistics change in forward).
          lastGood.set(params);
          const j = currentJit();
          if (j) j.forward(B);
          else forward(B);
          // The batch loss as tfjs holds it, a float32: beyond ±3.4e38 it is ±Infinity there too.
          const loss = fround(lossAndGrad(B));
          grads.fill(0);
          if (j) j.backward(B);
          else backward(B);
          update(opt);
          // Diverged: keep the last finite weights and report the loss, so the trainer stops
          // with its error at the epoch's end (as on tfjs) and predictions stay usable.
          const diverged = !Number.isFinite(loss) || !allFinite(params);
          if (diverged) params.set(lastGood);
          lossSum += loss * B;
          samples += B;
          offset += B;
          steps++;
          if (offset === epochEnd) {
            epochLossSums.push(lossSum);
            lossSum = 0;
            epochEnd = Math.min(end, epochEnd + epochSize);
          }
          if (diverged) break;
          if (steps >= nextCheck) {
            const elapsed = now() - start;
            if (elapsed > req.budgetMs) break;
            checkEvery = Math.max(1, Math.min(1024, Math.floor(steps / Math.max(elapsed, 1e-3))));
            nextCheck = steps + checkEvery;
          }
        }
        return { steps, samples, lossSum, epochLossSums };
      },
      exportState() {
        const out: Record<string, ParamState> = {};
        spec.params.forEach((p, i) => {
          out[p.name] = states[i] as ParamState;
        });
        return { generation, params: out };
      },
      paramSteps() {
        const out: Record<string, number> = {};
        spec.params.forEach((p, i) => {
          const st = states[i] as ParamState;
          if (p.trainable && st.step > 0) out[p.name] = st.step;
        });
        return out;
      },
      dropoutStreams: () => streams.slice(),
      get jitted() {
        return currentJit() !== null;
      },
      compiledCode() {
        return currentJit() ? maker : null;
      },
    };
    restart.set(kernel, {
      key: idleKey,
      // As the fresh kernel above starts: new state objects (the old ones may live on in an
      // exported state), the dropout streams from the plan's seeds unless given.
      reset(initial2, carried2, streamsIn2) {
        params.set(initial2.subarray(0, spec.totalParams));
        states = spec.params.map((p) => {
          const old = carried2?.params[p.name];
          if (old && old.size === p.size) return old;
          return { size: p.size, step: 0, buf: null, m: null, v: null };
        });
        generation = carried2 ? carried2.generation : -1;
        streams = dropIdx.map((i, k) => streamsIn2?.[k] ?? streamStart((ops[i] as { seed: number }).seed));
      },
      letGo() {
        X = null;
        Y = null;
        rows = 0;
      },
    });
    return kernel;
  }

  function release(kernel: CpuKernel): void {
    const r = restart.get(kernel);
    if (!r) return;
    r.letGo();
    idle.set(r.key, kernel);
  }

  return { create, streamStart, nextSeed, dropoutMask, release, caches: { compiled, idle } };
}

/** The factory for this thread. */
export const kernels: KernelFactory = /* @__PURE__ */ fusedKernelFactory(RULES, IMAGE_OPS, fusedPlanCache);
