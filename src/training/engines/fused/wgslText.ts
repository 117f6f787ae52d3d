/**
 * What every WGSL generator of the fused engine shares: literals and the shape of a phase.
 */

/** A u32 literal. */
export const u = (n: number): string => `${n}u`;

/** An f32 literal (WGSL wants a decimal point or an exponent). */
export const f = (n: number): string => {
  const s = String(n);
  return /[.eE]/.test(s) ? s : `${s}.0`;
};

/**
 * One phase of a training step. Its loops over elements run from `gi` in strides of `GS` (the
 * whole dispatch in a split shader, the one workgroup in a fused one); a phase that reduces in
 * workgroup memory (`one`) runs as a single workgroup and loops from `lid` in strides of WG.
 * Inside a body: `s` (the step), `B` (its rows) and the buffers P, S, W, D, C, M are in scope.
 */
export interface Phase {
  body: string;
  /** Elements its loops cover at the largest batch: how many workgroups a split dispatch needs. */
  n: number;
  one?: boolean;
  /** Workgroups a split dispatch wants, when not ceil(n / WG) (a reduction per workgroup). */
  groups?: number;
}

/** A grid-stride loop over `n` elements (a WGSL expression) as `e`. */
export const each = (n: string, body: string): string => `    for (var e = gi; e < ${n}; e += GS) {\n${body}\n    }`;

/**
 * Sums of many terms, one workgroup per sum (`count` of them, strided over the dispatch's
 * workgroups `wid`/`NWG`): its lanes each add every WGS-th term, `for i < n`, then lane 0 adds
 * the lanes' parts in order and runs `write` with the sum as `t`. `decode` binds names from `r`,
 * the sum's index; `term` adds to `part`. For weight gradients whose sums run over a whole batch
 * of positions — one invocation per sum would leave most of a GPU idle.
 */
export const reduceEach = (count: number, decode: string, n: string, term: string, write: string): string =>
  `    for (var r = wid; r < ${u(count)}; r += NWG) {
${decode}
      var part = 0.0;
      for (var i = lid; i < ${n}; i += WGS) {
${term}
      }
      red[lid] = part;
      workgroupBarrier();
      if (lid == 0u) {
        var t = 0.0;
        for (var j = 0u; j < WGS; j++) { t += red[j]; }
        ${write}
      }
      workgroupBarrier();
    }`;
