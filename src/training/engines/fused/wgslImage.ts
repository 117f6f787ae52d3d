/**
 * The image ops of fused-webgpu — Conv2d, max/average pooling and batch normalisation — as WGSL
 * phases, one table entry per op with its scratch space, forward and backward. The semantics are
 * fused-cpu's (imageOps.ts, itself checked op for op against tfjs): the same window positions,
 * the first maximum of a window in row-major order wins, padding counts in an average, PyTorch's
 * running statistics with the unbiased variance.
 *
 * Every phase is a gather: each invocation writes its own elements (an output, a weight gradient,
 * an input gradient), so no atomics and the same sums on every run. Direct convolution, NHWC with
 * channels innermost and tfjs' kernel layout [KH, KW, C, F].
 */
import type { OpSpec, ParamSpec } from './plan';
import { each, f, type Phase, reduceEach, u } from './wgslText';

export type ImageOpSpec = Extract<OpSpec, { op: 'conv2d' | 'pool' | 'batchNorm' }>;

/** Where op k's data lives, as the generator laid it out (offsets in f32 elements of W or P). */
export interface ImageSlots {
  cap: number;
  /** acts[k] and acts[k + 1] in W. */
  inp: number;
  out: number;
  /** dacts[k + 1], and dacts[k] or −1 when nothing upstream needs it (k = 0). */
  dOut: number;
  dIn: number;
  /** This op's scratch in W ({@link ImageWgsl.scratch} elements). */
  scratch: number;
  /** Where parameter gradients start in W. */
  grads: number;
  param(i: number): ParamSpec;
}

export interface ImageWgsl<O extends ImageOpSpec> {
  /** f32 elements of W the op keeps between its forward and backward phases at batch `cap`. */
  scratch(o: O, cap: number): number;
  forward(o: O, at: ImageSlots): Phase[];
  backward(o: O, at: ImageSlots): Phase[];
}

/** `ih`/`iw` (i32) of window offset `k` at output position `o`, skipping positions in the padding. */
const inRange = (axis: 'h' | 'w', o: string, k: string, S: number, D: number, pad: number, size: number) =>
  `let i${axis} = i32(${o} * ${u(S)} + ${k} * ${u(D)}) - ${pad};
          if (i${axis} < 0 || i${axis} >= ${size}) { continue; }`;

/**
 * The output position `o${axis}` whose window offset `k` lands on input position `i${axis}` (i32),
 * skipping offsets that land on none: the backward gathers of conv and pooling.
 */
const outFrom = (axis: 'h' | 'w', k: string, S: number, D: number, pad: number, outSize: number) =>
  `let t${axis} = i${axis} + ${pad} - i32(${k} * ${u(D)});
          if (t${axis} < 0${S > 1 ? ` || t${axis} % ${S} != 0` : ''}) { continue; }
          let o${axis} = u32(t${axis} / ${S});
          if (o${axis} >= ${u(outSize)}) { continue; }`;

const conv2d: ImageWgsl<Extract<OpSpec, { op: 'conv2d' }>> = {
  scratch: () => 0,
  // One invocation per output position, its F sums in registers: each input value is loaded once for
  // all filters (measured on SwiftShader, the course CNN at batch 64: 535 → 161–206 ms a dispatch).
  forward(o, at) {
    const { H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL, F } = o;
    const w = at.param(o.w).offset;
    const bias = o.b >= 0 ? ` + P[${u(at.param(o.b).offset)} + fo]` : '';
    return [
      {
        n: at.cap * OH * OW,
        body: each(
          `B * ${u(OH * OW)}`,
          `      let b = e / ${u(OH * OW)};
      let pos = e % ${u(OH * OW)};
      let oh = pos / ${u(OW)};
      let ow = pos % ${u(OW)};
      // Zeroed explicitly: Dawn on SwiftShader kept a bare \`var acc: array<…>;\` from the previous
      // element of the grid-stride loop (measured: weights off by 1e5 in the one-workgroup shader).
      var acc = array<f32, ${F}>();
      for (var kh = 0u; kh < ${u(KH)}; kh++) {
          ${inRange('h', 'oh', 'kh', SH, DH, PT, H)}
        for (var kw = 0u; kw < ${u(KW)}; kw++) {
          ${inRange('w', 'ow', 'kw', SW, DW, PL, W)}
          let xi = ${u(at.inp)} + b * ${u(o.size)} + (u32(ih) * ${u(W)} + u32(iw)) * ${u(C)};
          let wk = ${u(w)} + (kh * ${u(KW)} + kw) * ${u(C * F)};
          for (var c = 0u; c < ${u(C)}; c++) {
            let a = W[xi + c];
            let wr = wk + c * ${u(F)};
            for (var fo = 0u; fo < ${u(F)}; fo++) { acc[fo] += a * P[wr + fo]; }
          }
        }
      }
      let ob = ${u(at.out)} + e * ${u(F)};
      for (var fo = 0u; fo < ${u(F)}; fo++) { W[ob + fo] = acc[fo]${bias}; }`,
        ),
      },
    ];
  },
  backward(o, at) {
    const { H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL, F } = o;
    const wp = at.param(o.w);
    const phases: Phase[] = [];
    // Weight and bias gradients: sums over every output position of the batch, a workgroup each.
    const sums: string[] = [];
    let count = 0;
    const position = `        let b = i / ${u(OH * OW)};
        let oh = (i % ${u(OH * OW)}) / ${u(OW)};
        let ow = i % ${u(OW)};`;
    if (o.b >= 0 && at.param(o.b).trainable) {
      count = F;
      sums.push(
        reduceEach(
          F,
          '      let fo = r;',
          `B * ${u(OH * OW)}`,
          `        part += W[${u(at.dOut)} + i * ${u(F)} + fo];`,
          `W[${u(at.grads + at.param(o.b).offset)} + fo] = t;`,
        ),
      );
    }
    if (wp.trainable) {
      count = Math.max(count, wp.size);
      sums.push(
        reduceEach(
          wp.size,
          `      let fo = r % ${u(F)};
      let c = (r / ${u(F)}) % ${u(C)};
      let kw = (r / ${u(C * F)}) % ${u(KW)};
      let kh = r / ${u(KW * C * F)};`,
          `B * ${u(OH * OW)}`,
          `${position}
          ${inRange('h', 'oh', 'kh', SH, DH, PT, H)}
          ${inRange('w', 'ow', 'kw', SW, DW, PL, W)}
        let x = W[${u(at.inp)} + b * ${u(o.size)} + (u32(ih) * ${u(W)} + u32(iw)) * ${u(C)} + c];
        part += x * W[${u(at.dOut)} + i * ${u(F)} + fo];`,
          `W[${u(at.grads + wp.offset)} + r] = t;`,
        ),
      );
    }
    if (sums.length) phases.push({ n: count, groups: count, body: sums.join('\n') });
    if (at.dIn >= 0) {
      phases.push({
        n: at.cap * o.size,
        body: each(
          `B * ${u(o.size)}`,
          `      let b = e / ${u(o.size)};
      let pos = (e % ${u(o.size)}) / ${u(C)};
      let c = e % ${u(C)};
      let ih = i32(pos / ${u(W)});
      let iw = i32(pos % ${u(W)});
      var sum = 0.0;
      for (var kh = 0u; kh < ${u(KH)}; kh++) {
          ${outFrom('h', 'kh', SH, DH, PT, OH)}
        for (var kw = 0u; kw < ${u(KW)}; kw++) {
          ${outFrom('w', 'kw', SW, DW, PL, OW)}
          let dy = ${u(at.dOut)} + b * ${u(o.outSize)} + (oh * ${u(OW)} + ow) * ${u(F)};
          let wk = ${u(wp.offset)} + ((kh * ${u(KW)} + kw) * ${u(C)} + c) * ${u(F)};
          for (var fo = 0u; fo < ${u(F)}; fo++) { sum += W[dy + fo] * P[wk + fo]; }
        }
      }
      W[${u(at.dIn)} + e] = sum;`,
        ),
      });
    }
    return phases;
  },
};

const pool: ImageWgsl<Extract<OpSpec, { op: 'pool' }>> = {
  // Max: the window offset (kh·KW + kw) each output took its value from, −1 for none.
  scratch: (o, cap) => (o.kind === 'max' ? cap * o.outSize : 0),
  forward(o, at) {
    const { H, W, C, OW, KH, KW, SH, SW, PT, PL } = o;
    const isMax = o.kind === 'max';
    return [
      {
        n: at.cap * o.outSize,
        body: each(
          `B * ${u(o.outSize)}`,
          `      let b = e / ${u(o.outSize)};
      let pos = (e % ${u(o.outSize)}) / ${u(C)};
      let c = e % ${u(C)};
      let oh = pos / ${u(OW)};
      let ow = pos % ${u(OW)};
      var best = -3.4028234663852886e38;
      var arg = -1.0;
      var sum = 0.0;
      for (var kh = 0u; kh < ${u(KH)}; kh++) {
          ${inRange('h', 'oh', 'kh', SH, 1, PT, H)}
        for (var kw = 0u; kw < ${u(KW)}; kw++) {
          ${inRange('w', 'ow', 'kw', SW, 1, PL, W)}
          let v = W[${u(at.inp)} + b * ${u(o.size)} + (u32(ih) * ${u(W)} + u32(iw)) * ${u(C)} + c];
          ${isMax ? `if (v > best) { best = v; arg = f32(kh * ${u(KW)} + kw); }` : 'sum += v;'}
        }
      }
      ${
        isMax
          ? `W[${u(at.out)} + e] = best;\n      W[${u(at.scratch)} + e] = arg;`
          : // Padding counts as zeros in the mean (PyTorch's count_include_pad).
            `W[${u(at.out)} + e] = sum * ${f(1 / (KH * KW))};`
      }`,
        ),
      },
    ];
  },
  // One invocation per input position, its C sums in registers (the window arithmetic once for all channels).
  backward(o, at) {
    if (at.dIn < 0) return [];
    const { H, W, C, OH, OW, KH, KW, SH, SW, PT, PL } = o;
    const isMax = o.kind === 'max';
    const take = isMax
      ? `if (W[${u(at.scratch)} + yi + c] == f32(kh * ${u(KW)} + kw)) { acc[c] += W[${u(at.dOut)} + yi + c]; }`
      : `acc[c] += W[${u(at.dOut)} + yi + c] * ${f(1 / (KH * KW))};`;
    return [
      {
        n: at.cap * H * W,
        body: each(
          `B * ${u(H * W)}`,
          `      let b = e / ${u(H * W)};
      let pos = e % ${u(H * W)};
      let ih = i32(pos / ${u(W)});
      let iw = i32(pos % ${u(W)});
      var acc = array<f32, ${C}>();
      for (var kh = 0u; kh < ${u(KH)}; kh++) {
          ${outFrom('h', 'kh', SH, 1, PT, OH)}
        for (var kw = 0u; kw < ${u(KW)}; kw++) {
          ${outFrom('w', 'kw', SW, 1, PL, OW)}
          let yi = b * ${u(o.outSize)} + (oh * ${u(OW)} + ow) * ${u(C)};
          for (var c = 0u; c < ${u(C)}; c++) { ${take} }
        }
      }
      let xo = ${u(at.dIn)} + e * ${u(C)};
      for (var c = 0u; c < ${u(C)}; c++) { W[xo + c] = acc[c]; }`,
        ),
      },
    ];
  },
};

/**
 * BatchNorm scratch: mean, 1/σ, Σdy and Σdy·x̂ per channel, then x̂ of the forward pass. The
 * per-channel sums over the batch run a workgroup per channel.
 */
const batchNorm: ImageWgsl<Extract<OpSpec, { op: 'batchNorm' }>> = {
  scratch: (o, cap) => 4 * o.C + cap * o.size,
  forward(o, at) {
    const C = o.C;
    const N = `B * ${u(o.size / C)}`;
    const sc = at.scratch;
    const mean = u(at.param(o.mean).offset);
    const variance = u(at.param(o.variance).offset);
    const m = o.momentum;
    const x = `W[${u(at.inp)} + i * ${u(C)} + c]`;
    // Frozen: the running statistics. Training: a workgroup per channel sums the mean, every lane
    // reads it from the lanes' parts, then the squared deviations from it (two passes, as tf.moments).
    const stats = o.frozen
      ? `    for (var c = gi; c < ${u(C)}; c += GS) {
      W[${u(sc)} + c] = P[${mean} + c];
      W[${u(sc + C)} + c] = 1.0 / sqrt(P[${variance} + c] + ${f(o.eps)});
    }`
      : `    for (var c = wid; c < ${u(C)}; c += NWG) {
      let n = f32(${N});
      var part = 0.0;
      for (var i = lid; i < ${N}; i += WGS) { part += ${x}; }
      red[lid] = part;
      workgroupBarrier();
      var s1 = 0.0;
      for (var j = 0u; j < WGS; j++) { s1 += red[j]; }
      let mean = s1 / n;
      workgroupBarrier();
      part = 0.0;
      for (var i = lid; i < ${N}; i += WGS) {
        let d = ${x} - mean;
        part += d * d;
      }
      red[lid] = part;
      workgroupBarrier();
      if (lid == 0u) {
        var s2 = 0.0;
        for (var j = 0u; j < WGS; j++) { s2 += red[j]; }
        // The biased variance normalises (tf.moments); PyTorch's running statistics take the unbiased one.
        let v = s2 / n;
        let unbiased = select(1.0, n / (n - 1.0), n > 1.0);
        W[${u(sc)} + c] = mean;
        W[${u(sc + C)} + c] = 1.0 / sqrt(v + ${f(o.eps)});
        P[${mean} + c] = P[${mean} + c] * ${f(1 - m)} + mean * ${f(m)};
        P[${variance} + c] = P[${variance} + c] * ${f(1 - m)} + v * unbiased * ${f(m)};
      }
      workgroupBarrier();
    }`;
    const g = o.gamma >= 0 ? ` * P[${u(at.param(o.gamma).offset)} + c]` : '';
    const be = o.beta >= 0 ? ` + P[${u(at.param(o.beta).offset)} + c]` : '';
    return [
      { n: C, groups: C, body: stats },
      {
        n: at.cap * o.size,
        body: each(
          `B * ${u(o.size)}`,
          `      let c = e % ${u(C)};
      let xh = (W[${u(at.inp)} + e] - W[${u(sc)} + c]) * W[${u(sc + C)} + c];
      W[${u(sc + 4 * C)} + e] = xh;
      W[${u(at.out)} + e] = xh${g}${be};`,
        ),
      },
    ];
  },
  backward(o, at) {
    const C = o.C;
    const N = `B * ${u(o.size / C)}`;
    const sc = at.scratch;
    const xhat = u(sc + 4 * C);
    const trainG = o.gamma >= 0 && at.param(o.gamma).trainable;
    const trainB = o.beta >= 0 && at.param(o.beta).trainable;
    const needIn = at.dIn >= 0;
    const phases: Phase[] = [];
    if (trainG || trainB || (needIn && !o.frozen)) {
      // Σdy and Σdy·x̂ per channel, a workgroup each: every lane reads Σdy from the parts, lane 0 Σdy·x̂.
      phases.push({
        n: C,
        groups: C,
        body: `    for (var c = wid; c < ${u(C)}; c += NWG) {
      var p1 = 0.0;
      var p2 = 0.0;
      for (var i = lid; i < ${N}; i += WGS) {
        let dy = W[${u(at.dOut)} + i * ${u(C)} + c];
        p1 += dy;
        p2 += dy * W[${xhat} + i * ${u(C)} + c];
      }
      red[lid] = p1;
      workgroupBarrier();
      var s1 = 0.0;
      for (var j = 0u; j < WGS; j++) { s1 += red[j]; }
      workgroupBarrier();
      red[lid] = p2;
      workgroupBarrier();
      if (lid == 0u) {
      var s2 = 0.0;
      for (var j = 0u; j < WGS; j++) { s2 += red[j]; }
      W[${u(sc + 2 * C)} + c] = s1;
      W[${u(sc + 3 * C)} + c] = s2;${trainG ? `\n      W[${u(at.grads + at.param(o.gamma).offset)} + c] = s2;` : ''}${
        trainB ? `\n      W[${u(at.grads + at.param(o.beta).offset)} + c] = s1;` : ''
      }
      }
      workgroupBarrier();
    }`,
      });
    }
    if (needIn) {
      const gamma = o.gamma >= 0 ? `P[${u(at.param(o.gamma).offset)} + c]` : '1.0';
      const dx = o.frozen
        ? 'dy * scale'
        : `scale * (dy - W[${u(sc + 2 * C)} + c] / n - W[${xhat} + e] * (W[${u(sc + 3 * C)} + c] / n))`;
      phases.push({
        n: at.cap * o.size,
        body: each(
          `B * ${u(o.size)}`,
          `      let c = e % ${u(C)};
      let n = f32(${N});
      let scale = ${gamma} * W[${u(sc + C)} + c];
      let dy = W[${u(at.dOut)} + e];
      W[${u(at.dIn)} + e] = ${dx};`,
        ),
      });
    }
    return phases;
  },
};

/** The image ops' WGSL, one entry per op. */
export const IMAGE_WGSL: { [K in ImageOpSpec['op']]: ImageWgsl<Extract<ImageOpSpec, { op: K }>> } = {
  conv2d,
  pool,
  batchNorm,
};

export function isImageOp(o: OpSpec): o is ImageOpSpec {
  return o.op === 'conv2d' || o.op === 'pool' || o.op === 'batchNorm';
}

/** The table entry of an image op (one cast here instead of one per call site). */
export function imageWgsl(o: ImageOpSpec): ImageWgsl<ImageOpSpec> {
  return IMAGE_WGSL[o.op] as ImageWgsl<ImageOpSpec>;
}
