/**
 * The image ops of the fused CPU kernel — Conv2d, max/average pooling and batch normalisation —
 * forward and backward over NHWC Float32Arrays, written to match the tfjs engine (tfjs' cpu
 * kernels) op for op: the same window positions, the same argmax on ties (the first maximum
 * in row-major window order wins), PyTorch's running statistics.
 *
 * Loops are ordered for the cache: channels are innermost in every tensor and in tfjs' kernel
 * layout [KH, KW, C, F], so the innermost loop of each op walks both operands contiguously.
 *
 * `fusedImageOps` is SELF-CONTAINED like the kernel factory (its source text also runs in the
 * fused-cpu Web Worker): it references nothing outside its own body (types aside).
 */
import type { KernelSpec, OpSpec } from './plan';

type ImageOpSpec = Extract<OpSpec, { op: 'conv2d' | 'pool' | 'batchNorm' }>;

/** The kernel's buffers, read at call time (the kernel reallocates them when the batch grows). */
export interface ImageBuffers {
  params: Float32Array;
  grads: Float64Array;
  acts: Float32Array[];
  dacts: Float32Array[];
}

/** One image op bound to its place `k` in the network. */
export interface ImageOp {
  /** Makes room for batches of `cap` rows. */
  ensure(cap: number): void;
  forward(B: number): void;
  /** Accumulates parameter gradients into `grads`; writes dacts[k] when `needIn`. */
  backward(B: number, needIn: boolean): void;
}

export interface ImageOpFactory {
  create(o: ImageOpSpec, k: number, spec: KernelSpec, buf: ImageBuffers): ImageOp;
}

/** Builds the image op factory. Self-contained — see the module comment. */
export function fusedImageOps(): ImageOpFactory {
  const fround = Math.fround;

  function conv(o: Extract<OpSpec, { op: 'conv2d' }>, k: number, spec: KernelSpec, buf: ImageBuffers): ImageOp {
    const { H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL, F } = o;
    const wp = spec.params[o.w] as KernelSpec['params'][number];
    const bp = o.b >= 0 ? (spec.params[o.b] as KernelSpec['params'][number]) : null;
    const wOff = wp.offset;
    const inSize = H * W * C;
    const outSize = OH * OW * F;
    const acc = new Float64Array(F);
    const rowF = C * F;
    return {
      ensure() {},
      forward(B) {
        const P = buf.params;
        const inp = buf.acts[k] as Float32Array;
        const out = buf.acts[k + 1] as Float32Array;
        for (let b = 0; b < B; b++) {
          const ib = b * inSize;
          for (let oh = 0; oh < OH; oh++) {
            for (let ow = 0; ow < OW; ow++) {
              acc.fill(0);
              for (let kh = 0; kh < KH; kh++) {
                const ih = oh * SH - PT + kh * DH;
                if (ih < 0 || ih >= H) continue;
                for (let kw = 0; kw < KW; kw++) {
                  const iw = ow * SW - PL + kw * DW;
                  if (iw < 0 || iw >= W) continue;
                  const xi = ib + (ih * W + iw) * C;
                  const wk = wOff + (kh * KW + kw) * rowF;
                  for (let c = 0; c < C; c++) {
                    const a = inp[xi + c] as number;
                    if (a === 0) continue;
                    const wr = wk + c * F;
                    for (let f = 0; f < F; f++) acc[f] = (acc[f] as number) + a * (P[wr + f] as number);
                  }
                }
              }
              const ob = b * outSize + (oh * OW + ow) * F;
              if (bp) {
                const bo = bp.offset;
                for (let f = 0; f < F; f++) out[ob + f] = fround(acc[f] as number) + (P[bo + f] as number);
              } else {
                for (let f = 0; f < F; f++) out[ob + f] = acc[f] as number;
              }
            }
          }
        }
      },
      backward(B, needIn) {
        const P = buf.params;
        const G = buf.grads;
        const inp = buf.acts[k] as Float32Array;
        const dOut = buf.dacts[k + 1] as Float32Array;
        const dIn = buf.dacts[k] as Float32Array;
        const trainW = wp.trainable;
        if (needIn) dIn.fill(0, 0, B * inSize);
        if (bp?.trainable) {
          const bo = bp.offset;
          for (let b = 0; b < B; b++) {
            const ob = b * outSize;
            for (let e = 0; e < OH * OW; e++) {
              const at = ob + e * F;
              for (let f = 0; f < F; f++) G[bo + f] = (G[bo + f] as number) + (dOut[at + f] as number);
            }
          }
        }
        if (!trainW && !needIn) return;
        for (let b = 0; b < B; b++) {
          const ib = b * inSize;
          for (let oh = 0; oh < OH; oh++) {
            for (let ow = 0; ow < OW; ow++) {
              const ob = b * outSize + (oh * OW + ow) * F;
              for (let kh = 0; kh < KH; kh++) {
                const ih = oh * SH - PT + kh * DH;
                if (ih < 0 || ih >= H) continue;
                for (let kw = 0; kw < KW; kw++) {
                  const iw = ow * SW - PL + kw * DW;
                  if (iw < 0 || iw >= W) continue;
                  const xi = ib + (ih * W + iw) * C;
                  const wk = wOff + (kh * KW + kw) * rowF;
                  for (let c = 0; c < C; c++) {
                    const wr = wk + c * F;
                    if (trainW) {
                      const a = inp[xi + c] as number;
                      if (a !== 0)
                        for (let f = 0; f < F; f++) G[wr + f] = (G[wr + f] as number) + a * (dOut[ob + f] as number);
                    }
                    if (needIn) {
                      let s = 0;
                      for (let f = 0; f < F; f++) s += (dOut[ob + f] as number) * (P[wr + f] as number);
                      dIn[xi + c] = (dIn[xi + c] as number) + s;
                    }
                  }
                }
              }
            }
          }
        }
      },
    };
  }

  function pool(o: Extract<OpSpec, { op: 'pool' }>, k: number, buf: ImageBuffers): ImageOp {
    const { H, W, C, OH, OW, KH, KW, SH, SW, PT, PL } = o;
    const inSize = H * W * C;
    const outSize = OH * OW * C;
    const isMax = o.kind === 'max';
    const inv = 1 / (KH * KW);
    // Max: the input index each output took its value from (its gradient goes there alone).
    let argmax = new Int32Array(0);
    return {
      ensure(cap) {
        if (isMax && argmax.length < cap * outSize) argmax = new Int32Array(cap * outSize);
      },
      forward(B) {
        const inp = buf.acts[k] as Float32Array;
        const out = buf.acts[k + 1] as Float32Array;
        for (let b = 0; b < B; b++) {
          const ib = b * inSize;
          for (let oh = 0; oh < OH; oh++) {
            for (let ow = 0; ow < OW; ow++) {
              const ob = b * outSize + (oh * OW + ow) * C;
              for (let c = 0; c < C; c++) {
                let best = Number.NEGATIVE_INFINITY;
                let at = -1;
                let sum = 0;
                for (let kh = 0; kh < KH; kh++) {
                  const ih = oh * SH - PT + kh;
                  if (ih < 0 || ih >= H) continue;
                  for (let kw = 0; kw < KW; kw++) {
                    const iw = ow * SW - PL + kw;
                    if (iw < 0 || iw >= W) continue;
                    const xi = ib + (ih * W + iw) * C + c;
                    const v = inp[xi] as number;
                    if (isMax) {
                      if (v > best) {
                        best = v;
                        at = xi;
                      }
                    } else sum += v;
                  }
                }
                if (isMax) {
                  out[ob + c] = best;
                  argmax[ob + c] = at;
                } else {
                  // Padding counts as zeros in the mean (PyTorch's count_include_pad).
                  out[ob + c] = sum * inv;
                }
              }
            }
          }
        }
      },
      backward(B, needIn) {
        if (!needIn) return;
        const dOut = buf.dacts[k + 1] as Float32Array;
        const dIn = buf.dacts[k] as Float32Array;
        dIn.fill(0, 0, B * inSize);
        if (isMax) {
          const n = B * outSize;
          for (let i = 0; i < n; i++) {
            const at = argmax[i] as number;
            if (at >= 0) dIn[at] = (dIn[at] as number) + (dOut[i] as number);
          }
          return;
        }
        for (let b = 0; b < B; b++) {
          const ib = b * inSize;
          for (let oh = 0; oh < OH; oh++) {
            for (let ow = 0; ow < OW; ow++) {
              const ob = b * outSize + (oh * OW + ow) * C;
              for (let kh = 0; kh < KH; kh++) {
                const ih = oh * SH - PT + kh;
                if (ih < 0 || ih >= H) continue;
                for (let kw = 0; kw < KW; kw++) {
                  const iw = ow * SW - PL + kw;
                  if (iw < 0 || iw >= W) continue;
                  const xi = ib + (ih * W + iw) * C;
                  for (let c = 0; c < C; c++) dIn[xi + c] = (dIn[xi + c] as number) + (dOut[ob + c] as number) * inv;
                }
              }
            }
          }
        }
      },
    };
  }

  function batchNorm(o: Extract<OpSpec, { op: 'batchNorm' }>, k: number, spec: KernelSpec, buf: ImageBuffers): ImageOp {
    const C = o.C;
    const per = o.size / C;
    const offsetOf = (i: number) => (i >= 0 ? (spec.params[i] as KernelSpec['params'][number]).offset : -1);
    const gOff = offsetOf(o.gamma);
    const bOff = offsetOf(o.beta);
    const mOff = offsetOf(o.mean);
    const vOff = offsetOf(o.variance);
    const trainG = o.gamma >= 0 && (spec.params[o.gamma] as { trainable: boolean }).trainable;
    const trainB = o.beta >= 0 && (spec.params[o.beta] as { trainable: boolean }).trainable;
    const mean = new Float64Array(C);
    const invStd = new Float64Array(C);
    const s1 = new Float64Array(C);
    const s2 = new Float64Array(C);
    // x̂ of the last forward pass, for the backward one.
    let xhat = new Float32Array(0);
    return {
      ensure(cap) {
        if (xhat.length < cap * o.size) xhat = new Float32Array(cap * o.size);
      },
      forward(B) {
        const P = buf.params;
        const inp = buf.acts[k] as Float32Array;
        const out = buf.acts[k + 1] as Float32Array;
        const n = B * per;
        if (o.frozen) {
          for (let c = 0; c < C; c++) {
            mean[c] = P[mOff + c] as number;
            invStd[c] = 1 / Math.sqrt((P[vOff + c] as number) + o.eps);
          }
        } else {
          // Batch statistics as tf.moments: the mean, then the mean squared deviation from it.
          s1.fill(0);
          s2.fill(0);
          for (let i = 0; i < n; i++) {
            const at = i * C;
            for (let c = 0; c < C; c++) s1[c] = (s1[c] as number) + (inp[at + c] as number);
          }
          for (let c = 0; c < C; c++) mean[c] = fround((s1[c] as number) / n);
          for (let i = 0; i < n; i++) {
            const at = i * C;
            for (let c = 0; c < C; c++) {
              const d = (inp[at + c] as number) - (mean[c] as number);
              s2[c] = (s2[c] as number) + d * d;
            }
          }
          const m = o.momentum;
          const unbiased = n > 1 ? n / (n - 1) : 1;
          for (let c = 0; c < C; c++) {
            const v = fround((s2[c] as number) / n);
            invStd[c] = 1 / Math.sqrt(v + o.eps);
            // PyTorch's running statistics: momentum 0.1 by default, the unbiased variance.
            P[mOff + c] = (P[mOff + c] as number) * (1 - m) + (mean[c] as number) * m;
            P[vOff + c] = (P[vOff + c] as number) * (1 - m) + v * unbiased * m;
          }
        }
        for (let i = 0; i < n; i++) {
          const at = i * C;
          for (let c = 0; c < C; c++) {
            const xh = ((inp[at + c] as number) - (mean[c] as number)) * (invStd[c] as number);
            xhat[at + c] = xh;
            const g = gOff >= 0 ? (P[gOff + c] as number) : 1;
            const be = bOff >= 0 ? (P[bOff + c] as number) : 0;
            out[at + c] = xh * g + be;
          }
        }
      },
      backward(B, needIn) {
        const P = buf.params;
        const G = buf.grads;
        const dOut = buf.dacts[k + 1] as Float32Array;
        const dIn = buf.dacts[k] as Float32Array;
        const n = B * per;
        // s1: Σ dy, s2: Σ dy·x̂ per channel — the β and γ gradients, and the batch terms of dx.
        s1.fill(0);
        s2.fill(0);
        for (let i = 0; i < n; i++) {
          const at = i * C;
          for (let c = 0; c < C; c++) {
            const g = dOut[at + c] as number;
            s1[c] = (s1[c] as number) + g;
            s2[c] = (s2[c] as number) + g * (xhat[at + c] as number);
          }
        }
        if (trainG) for (let c = 0; c < C; c++) G[gOff + c] = (G[gOff + c] as number) + (s2[c] as number);
        if (trainB) for (let c = 0; c < C; c++) G[bOff + c] = (G[bOff + c] as number) + (s1[c] as number);
        if (!needIn) return;
        for (let i = 0; i < n; i++) {
          const at = i * C;
          for (let c = 0; c < C; c++) {
            const gamma = gOff >= 0 ? (P[gOff + c] as number) : 1;
            const scale = gamma * (invStd[c] as number);
            const dy = dOut[at + c] as number;
            dIn[at + c] = o.frozen
              ? dy * scale
              : scale * (dy - (s1[c] as number) / n - (xhat[at + c] as number) * ((s2[c] as number) / n));
          }
        }
      },
    };
  }

  return {
    create(o, k, spec, buf) {
      if (o.op === 'conv2d') return conv(o, k, spec, buf);
      if (o.op === 'pool') return pool(o, k, buf);
      return batchNorm(o, k, spec, buf);
    },
  };
}

/** The image ops for this thread. */
export const IMAGE_OPS: ImageOpFactory = /* @__PURE__ */ fusedImageOps();
