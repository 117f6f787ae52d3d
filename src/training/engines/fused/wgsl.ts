/**
 * WGSL generated from a kernel spec, in two shapes built from the same phases (gather → forward
 * → loss → backward → L1/L2 → clipping → optimizer update):
 * - fused (small nets): ONE compute pipeline, ONE workgroup, that runs K whole training steps per
 *   dispatch, the phases separated by barriers;
 * - split (wide nets such as 784-128-10, where one workgroup would leave the GPU idle): one entry
 *   point per phase, each dispatched over as many workgroups as its elements need, K steps of
 *   them encoded into one compute pass (WebGPU orders dispatches in a pass, so no barriers).
 * Sizes and offsets are baked in as constants;
 * everything that may change live (learning rate, optimizer settings, batch sizes, bias
 * corrections) is read from a small constants buffer, so a live lr change needs no recompile.
 *
 * Dispatch overhead, not arithmetic, limits small nets on WebGPU (tfjs spends ~14 dispatches
 * per dense layer per step); here a chunk of K steps is one dispatch and one readback.
 *
 * Bindings: 0 P params · 1 S optimizer slots (m|buf, then v) · 2 W work (activations, their
 * gradients, labels, parameter gradients, per-step losses) · 3 D the chunk's gathered batches
 * (x then y) · 4 C constants · 5 M dropout multipliers.
 */
import { type KernelSpec, outSizeOf } from './plan';
import { RULES } from './rules';
import { imageWgsl, isImageOp } from './wgslImage';
import { each, f, type Phase, u } from './wgslText';

/** Offsets (in f32 elements) of everything in the buffers, for one spec, batch capacity and K. */
export interface GpuLayout {
  /** Invocations in the one workgroup. */
  wg: number;
  /** Largest batch. */
  cap: number;
  /** Largest K (steps per dispatch). */
  kMax: number;
  targetSize: number;
  /** acts[k]: input of op k (acts[0] = x), acts[nOps] = output. */
  acts: number[];
  /** dacts[k]: gradient of acts[k] (k ≥ 1). */
  dacts: number[];
  yb: number;
  grads: number;
  losses: number;
  /** The gradient-clipping factor of the current step. */
  coef: number;
  /** The current step within the dispatch (split shaders count it on the GPU). */
  stepAt: number;
  workSize: number;
  /** Each op's scratch in W between its forward and backward phases (image ops), −1 for none. */
  scratch: number[];
  /** Dropout multipliers per step, and where each dropout op's lie within a step (−1: not dropout). */
  maskStride: number;
  maskOffsets: number[];
  /** Constants: header, then B per step, then (c1, c2, hasBuf) per step and parameter. */
  constsSize: number;
  dataSize: number;
}

export const HEADER = 20;
/** Header slots of the constants buffer. */
export const C_LR = 0;
export const C_MOMENTUM = 1;
export const C_DAMP = 2;
export const C_WD = 3;
export const C_B1 = 4;
export const C_B2 = 5;
export const C_EPS = 6;
export const C_L1 = 7;
export const C_L2 = 8;
export const C_CLIP_NORM = 9;
export const C_CLIP_VALUE = 10;
export const C_NESTEROV = 11;
export const C_K = 12;
export const C_ADAMW_DECAY = 13;
export const C_KIND = 14;
/** 1 − β₁ and 1 − β₂ computed in double precision: in f32, 1 − 0.999 is off by 1.3e-5. */
export const C_1MB1 = 15;
export const C_1MB2 = 16;

export function layoutFor(spec: KernelSpec, cap: number, targetSize: number, kMax: number, wg: number): GpuLayout {
  const sizes = [spec.inputSize, ...spec.ops.map(outSizeOf)];
  let at = 0;
  const acts = sizes.map((s) => {
    const o = at;
    at += cap * s;
    return o;
  });
  const dacts = sizes.map((s, k) => {
    if (k === 0) return -1;
    const o = at;
    at += cap * s;
    return o;
  });
  const yb = at;
  at += cap * targetSize;
  const grads = at;
  at += spec.totalParams;
  const losses = at;
  at += kMax;
  const coef = at++;
  const stepAt = at++;
  const scratch = spec.ops.map((o) => {
    const n = isImageOp(o) ? imageWgsl(o).scratch(o, cap) : 0;
    if (n === 0) return -1;
    const off = at;
    at += n;
    return off;
  });
  let maskStride = 0;
  const maskOffsets = spec.ops.map((o) => {
    if (o.op !== 'dropout') return -1;
    const off = maskStride;
    maskStride += cap * o.size;
    return off;
  });
  return {
    wg,
    cap,
    kMax,
    targetSize,
    acts,
    dacts,
    yb,
    grads,
    losses,
    coef,
    stepAt,
    scratch,
    workSize: at,
    maskStride,
    maskOffsets,
    constsSize: HEADER + kMax + kMax * spec.params.length * 3,
    dataSize: kMax * cap * (spec.inputSize + targetSize),
  };
}

/** The phases of one training step (after the optimizer reads its constants and `s`, `B`). */
function stepPhases(spec: KernelSpec, L: GpuLayout): Phase[] {
  const WG = u(L.wg);
  const NP = spec.params.length;
  const IN = spec.inputSize;
  const T = L.targetSize;
  const O = spec.outputSize;
  const nOps = spec.ops.length;
  const TOTAL = spec.totalParams;
  const cap = L.cap;
  const param = (i: number) => spec.params[i] as KernelSpec['params'][number];
  const phases: Phase[] = [];
  const phase = (n: number, ...loops: string[]) => {
    if (loops.length) phases.push({ body: loops.join('\n'), n });
  };
  const loop = (count: number, n: string, body: string) => phase(count, each(n, body));
  // Where image op k finds its data (wgslImage.ts).
  const slots = (k: number) => ({
    cap,
    inp: L.acts[k] as number,
    out: L.acts[k + 1] as number,
    dOut: L.dacts[k + 1] as number,
    dIn: k > 0 ? (L.dacts[k] as number) : -1,
    scratch: L.scratch[k] as number,
    grads: L.grads,
    param,
  });

  // Gather this step's rows (already laid out by the host) into acts[0] and yb.
  phase(
    cap * Math.max(IN, T),
    `    let xAt = s * ${u(L.cap * IN)};
    let yAt = ${u(L.kMax * L.cap * IN)} + s * ${u(L.cap * T)};`,
    each(`B * ${u(IN)}`, `      W[${u(L.acts[0] as number)} + e] = D[xAt + e];`),
    each(`B * ${u(T)}`, `      W[${u(L.yb)} + e] = D[yAt + e];`),
  );

  // Forward.
  spec.ops.forEach((o, k) => {
    const inp = u(L.acts[k] as number);
    const out = u(L.acts[k + 1] as number);
    if (isImageOp(o)) {
      phases.push(...imageWgsl(o).forward(o, slots(k)));
    } else if (o.op === 'linear') {
      const w = u(param(o.w).offset);
      const bias = o.b >= 0 ? ` + P[${u(param(o.b).offset)} + j]` : '';
      loop(
        cap * o.outSize,
        `B * ${u(o.outSize)}`,
        `      let b = e / ${u(o.outSize)};
      let j = e % ${u(o.outSize)};
      var sum = 0.0;
      for (var i = 0u; i < ${u(o.inSize)}; i++) {
        sum += W[${inp} + b * ${u(o.inSize)} + i] * P[${w} + i * ${u(o.outSize)} + j];
      }
      W[${out} + e] = sum${bias};`,
      );
    } else if (o.op === 'dropout') {
      loop(
        cap * o.size,
        `B * ${u(o.size)}`,
        `      W[${out} + e] = W[${inp} + e] * M[s * ${u(L.maskStride)} + ${u(L.maskOffsets[k] as number)} + e];`,
      );
    } else if (o.op === 'act') {
      const a =
        o.fn === 'prelu'
          ? `P[${u(param(o.p).offset)}${o.channels === 1 ? '' : ` + e % ${u(o.channels)}`}]`
          : f(o.alpha);
      loop(
        cap * o.size,
        `B * ${u(o.size)}`,
        `      let x = W[${inp} + e];\n      let a = ${a};\n      W[${out} + e] = ${RULES.act[o.fn].wgsl};`,
      );
    }
  });

  // Loss and its gradient (mean reduction), the step's loss reduced in the workgroup.
  const outA = u(L.acts[nOps] as number);
  const dOutA = u(L.dacts[nOps] as number);
  const yb = u(L.yb);
  const kind = spec.loss.kind;
  const lossLines: string[] = ['    var part = 0.0;'];
  if (kind === 'crossEntropy') {
    const C = O;
    const ids = T !== C;
    const eps = spec.loss.labelSmoothing;
    const q = ids
      ? `select(0.0, 1.0, valid && i32(c) == cls)${eps > 0 ? ` * ${f(1 - eps)} + select(0.0, ${f(eps / C)}, valid)` : ''}`
      : `W[${yb} + b * ${u(C)} + c]${eps > 0 ? ` * ${f(1 - eps)} + ${f(eps / C)}` : ''}`;
    lossLines.push(`    let invN = 1.0 / f32(B);
    for (var b = lid; b < B; b += ${WG}) {
      let base = ${outA} + b * ${u(C)};
      var mx = -3.4e38;
      for (var c = 0u; c < ${u(C)}; c++) { mx = max(mx, W[base + c]); }
      var se = 0.0;
      for (var c = 0u; c < ${u(C)}; c++) { se += exp(W[base + c] - mx); }
      let lse = log(se);
      ${ids ? `let cls = i32(W[${yb} + b]);\n      let valid = cls >= 0 && cls < ${C};` : ''}
      var qsum = 0.0;
      for (var c = 0u; c < ${u(C)}; c++) { qsum += ${q}; }
      for (var c = 0u; c < ${u(C)}; c++) {
        let q = ${q};
        let lsm = W[base + c] - mx - lse;
        part -= q * lsm;
        W[${dOutA} + b * ${u(C)} + c] = (exp(lsm) * qsum - q) * invN;
      }
    }`);
  } else {
    const rule = RULES.loss[kind];
    if (rule.rows) throw new Error(`fused-webgpu: loss ${kind} has no element rule`);
    const body = `let delta = ${f(spec.loss.delta)};
      part += ${rule.wgslValue};
      W[d] = (${rule.wgslGrad}) * invN;`;
    lossLines.push(`    let invN = 1.0 / f32(B * ${u(O)});
    for (var e = lid; e < B * ${u(O)}; e += ${WG}) {
      let p = W[${outA} + e];
      let y = W[${yb} + e];
      let d = ${dOutA} + e;
      ${body}
    }`);
  }
  lossLines.push(`    red[lid] = part;
    workgroupBarrier();
    if (lid == 0u) {
      var t = 0.0;
      for (var i = 0u; i < ${WG}; i++) { t += red[i]; }
      W[${u(L.losses)} + s] = t * invN;
    }`);
  phases.push({ body: lossLines.join('\n'), n: L.wg, one: true });

  // Backward.
  const G = (i: number) => u(L.grads + param(i).offset);
  for (let k = nOps - 1; k >= 0; k--) {
    const o = spec.ops[k] as KernelSpec['ops'][number];
    const inp = u(L.acts[k] as number);
    const dOut = u(L.dacts[k + 1] as number);
    const dIn = k > 0 ? u(L.dacts[k] as number) : null;
    if (o.op === 'linear') {
      const I = u(o.inSize);
      const Ou = u(o.outSize);
      const w = u(param(o.w).offset);
      const parts: string[] = [];
      let n = 0;
      if (param(o.w).trainable) {
        n = o.inSize * o.outSize;
        parts.push(`    for (var e = gi; e < ${u(o.inSize * o.outSize)}; e += GS) {
      let i = e / ${Ou};
      let j = e % ${Ou};
      var sum = 0.0;
      for (var b = 0u; b < B; b++) { sum += W[${inp} + b * ${I} + i] * W[${dOut} + b * ${Ou} + j]; }
      W[${G(o.w)} + e] = sum;
    }`);
      }
      if (o.b >= 0 && param(o.b).trainable) {
        n = Math.max(n, o.outSize);
        parts.push(`    for (var j = gi; j < ${Ou}; j += GS) {
      var sum = 0.0;
      for (var b = 0u; b < B; b++) { sum += W[${dOut} + b * ${Ou} + j]; }
      W[${G(o.b)} + j] = sum;
    }`);
      }
      if (dIn) {
        n = Math.max(n, cap * o.inSize);
        parts.push(`    for (var e = gi; e < B * ${I}; e += GS) {
      let b = e / ${I};
      let i = e % ${I};
      var sum = 0.0;
      for (var j = 0u; j < ${Ou}; j++) { sum += W[${dOut} + b * ${Ou} + j] * P[${w} + i * ${Ou} + j]; }
      W[${dIn} + e] = sum;
    }`);
      }
      phase(n, ...parts);
    } else if (o.op === 'dropout') {
      if (dIn) {
        loop(
          cap * o.size,
          `B * ${u(o.size)}`,
          `      W[${dIn} + e] = W[${dOut} + e] * M[s * ${u(L.maskStride)} + ${u(L.maskOffsets[k] as number)} + e];`,
        );
      }
    } else if (isImageOp(o)) {
      phases.push(...imageWgsl(o).backward(o, slots(k)));
    } else if (o.fn === 'prelu') {
      const pa = u(param(o.p).offset);
      const C = o.channels;
      const parts: string[] = [];
      if (dIn) {
        parts.push(`    for (var e = gi; e < B * ${u(o.size)}; e += GS) {
      let x = W[${inp} + e];
      let a = P[${pa}${C === 1 ? '' : ` + e % ${u(C)}`}];
      W[${dIn} + e] = W[${dOut} + e] * (${RULES.act.prelu.wgslGrad});
    }`);
      }
      if (param(o.p).trainable) {
        parts.push(`    for (var c = gi; c < ${u(C)}; c += GS) {
      var sum = 0.0;
      for (var e = c; e < B * ${u(o.size)}; e += ${u(C)}) {
        let x = W[${inp} + e];
        if (x <= 0.0) { sum += W[${dOut} + e] * x; }
      }
      W[${G(o.p)} + c] = sum;
    }`);
      }
      phase(cap * o.size, ...parts);
    } else if (dIn) {
      const out = u(L.acts[k + 1] as number);
      const deriv = RULES.act[o.fn].wgslGrad;
      const bindA = `\n      let a = ${f(o.alpha)};`;
      loop(
        cap * o.size,
        `B * ${u(o.size)}`,
        `      let x = W[${inp} + e];\n      let y = W[${out} + e];${bindA}\n      W[${dIn} + e] = W[${dOut} + e] * (${deriv});`,
      );
    }
  }

  // L1/L2 gradients on weights (kernels), then clipping, then the optimizer.
  const trainable = spec.params.map((p, i) => ({ p, i })).filter(({ p }) => p.trainable);
  const decayed = trainable.filter(({ p }) => p.decay);
  const widest = (list: { p: { size: number } }[]) => Math.max(1, ...list.map(({ p }) => p.size));
  if (decayed.length) {
    phase(
      widest(decayed),
      `    if (C[${C_L1}u] > 0.0 || C[${C_L2}u] > 0.0) {
${decayed
  .map(
    ({ p }) => `      for (var e = gi; e < ${u(p.size)}; e += GS) {
        let w = P[${u(p.offset)} + e];
        W[${u(L.grads + p.offset)} + e] += C[${C_L1}u] * select(-1.0, 1.0, w > 0.0) + C[${C_L2}u] * 2.0 * w;
      }`,
  )
  .join('\n')}
    }`,
    );
  }
  // The clipping factor goes through W (not a register) so the update can be another dispatch.
  phases.push({
    n: L.wg,
    one: true,
    body: `    if (C[${C_CLIP_NORM}u] > 0.0) {
      var ss = 0.0;
${trainable
  .map(
    ({ p }) => `      for (var e = lid; e < ${u(p.size)}; e += ${WG}) {
        let g = W[${u(L.grads + p.offset)} + e];
        ss += g * g;
      }`,
  )
  .join('\n')}
      red[lid] = ss;
      workgroupBarrier();
      if (lid == 0u) {
        var t = 0.0;
        for (var i = 0u; i < ${WG}; i++) { t += red[i]; }
        W[${u(L.coef)}] = min(C[${C_CLIP_NORM}u] / (sqrt(t) + 1e-6), 1.0);
      }
    } else if (lid == 0u) {
      W[${u(L.coef)}] = 1.0;
    }`,
  });
  const kMaxNP = u(L.kMax);
  const updates = trainable.map(({ p, i }) => {
    const tri = `${u(HEADER)} + ${kMaxNP} + (s * ${u(NP)} + ${u(i)}) * 3u`;
    return `    {
      let c1 = C[${tri}];
      let c2 = C[${tri} + 1u];
      let hb = C[${tri} + 2u];
      for (var e = gi; e < ${u(p.size)}; e += GS) {
        let k = ${u(p.offset)} + e;
        let w = P[k];
        var g = W[${u(L.grads)} + k] * cf;
        if (cv > 0.0) { g = clamp(g, -cv, cv); }
        if (kind == 0.0) {
          if (wd != 0.0) { g += w * wd; }
          if (mu != 0.0) {
            var bf = g;
            if (hb > 0.5) { bf = S[k] * mu + g * damp; }
            S[k] = bf;
            if (nesterov > 0.5) { g = g + bf * mu; } else { g = bf; }
          }
          P[k] = w - g * lr;
        } else {
          var th = w;
          if (kind == 2.0) { th = w * adamwDecay; } else if (wd != 0.0) { g += w * wd; }
          let m = S[k] * b1 + g * omb1;
          let v = S[${u(TOTAL)} + k] * b2 + g * g * omb2;
          S[k] = m;
          S[${u(TOTAL)} + k] = v;
          P[k] = th - ((m / c1) / (sqrt(v / c2) + eps)) * lr;
        }
      }
    }`;
  });
  phase(widest(trainable), `    let cf = W[${u(L.coef)}];`, ...updates);
  return phases;
}

// Between phases of the fused shader: storage writes (W, P, S) must be visible to the whole
// workgroup — workgroupBarrier alone orders only workgroup memory.
const BARRIER = '    storageBarrier();\n    workgroupBarrier();';

// What every phase reads from the constants buffer.
const CONSTANTS = `  let lr = C[${C_LR}u];
  let mu = C[${C_MOMENTUM}u];
  let damp = C[${C_DAMP}u];
  let wd = C[${C_WD}u];
  let b1 = C[${C_B1}u];
  let b2 = C[${C_B2}u];
  let eps = C[${C_EPS}u];
  let cv = C[${C_CLIP_VALUE}u];
  let nesterov = C[${C_NESTEROV}u];
  let adamwDecay = C[${C_ADAMW_DECAY}u];
  let kind = C[${C_KIND}u];
  let omb1 = C[${C_1MB1}u];
  let omb2 = C[${C_1MB2}u];`;

/** The WGSL of the fused training kernel (one workgroup, K steps per dispatch) for a spec and layout. */
export function trainingShader(spec: KernelSpec, L: GpuLayout): string {
  const body = stepPhases(spec, L)
    .map((p) => `${p.body}\n${BARRIER}`)
    .join('\n');
  return `${shaderHeader(L)}
@compute @workgroup_size(${L.wg})
fn main(@builtin(local_invocation_index) lid: u32) {
  let K = u32(C[${C_K}u]);
  let gi = lid;
  let GS = ${u(L.wg)};
  let wid = 0u;
  let NWG = 1u;
${CONSTANTS}
  for (var s = 0u; s < K; s++) {
    let B = u32(C[${u(HEADER)} + s]);
${body}
  }
}
`;
}

/** A split training shader: its WGSL and, in order, each step's entry points with their workgroup counts. */
export interface SplitShader {
  code: string;
  /** One step: dispatch each in order (the last advances the step counter). */
  entries: { name: string; workgroups: number }[];
}

/**
 * The split shader: an entry point per phase, dispatched over ceil(elements / workgroup size)
 * workgroups (at most 4,096 — the loops stride over the rest), plus `advance`, which moves the
 * step counter in W on; the host zeroes it before each chunk.
 */
export function splitTrainingShader(spec: KernelSpec, L: GpuLayout): SplitShader {
  const phases = stepPhases(spec, L);
  const entries = phases.map((p, i) => ({
    name: `phase${i}`,
    workgroups: p.one ? 1 : Math.max(1, Math.min(4096, p.groups ?? Math.ceil(p.n / L.wg))),
  }));
  const fns = phases.map(
    (p, i) => `@compute @workgroup_size(${L.wg})
fn phase${i}(@builtin(local_invocation_index) lid: u32, @builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(workgroup_id) wgid: vec3<u32>) {
  let gi = gid.x;
  let GS = nwg.x * ${u(L.wg)};
  let wid = wgid.x;
  let NWG = nwg.x;
${CONSTANTS}
  let s = u32(W[${u(L.stepAt)}]);
  let B = u32(C[${u(HEADER)} + s]);
${p.body}
}`,
  );
  return {
    code: `${shaderHeader(L)}
${fns.join('\n\n')}

@compute @workgroup_size(1)
fn advance() {
  W[${u(L.stepAt)}] += 1.0;
}
`,
    entries: [...entries, { name: 'advance', workgroups: 1 }],
  };
}

/** Bindings and helper functions shared by both shapes. */
function shaderHeader(L: GpuLayout): string {
  return `// react-nn fused training kernel (generated)
@group(0) @binding(0) var<storage, read_write> P: array<f32>;
@group(0) @binding(1) var<storage, read_write> S: array<f32>;
@group(0) @binding(2) var<storage, read_write> W: array<f32>;
@group(0) @binding(3) var<storage, read> D: array<f32>;
@group(0) @binding(4) var<storage, read> C: array<f32>;
@group(0) @binding(5) var<storage, read> M: array<f32>;

var<workgroup> red: array<f32, ${L.wg}>;
const WGS = ${u(L.wg)};

// tfjs' erf (Abramowitz & Stegun 7.1.26), as the CPU kernel.
fn erf_(x: f32) -> f32 {
  let v = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * v);
  let r = 1.0 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-v * v);
  return sign(x) * r;
}

// 1/(1+e^-x) rounded like the CPU's double-precision result: near 1 it stays below 1 when the
// exact value does, so BCE and saturated units see the same numbers as tfjs.
fn sigmoid_(x: f32) -> f32 {
  let e = exp(-abs(x));
  let q = e / (1.0 + e);
  return select(q, 1.0 - q, x >= 0.0);
}

// tanh that cannot overflow to NaN (some drivers compute it from exp).
fn tanh_(x: f32) -> f32 {
  return tanh(clamp(x, -15.0, 15.0));
}
`;
}
