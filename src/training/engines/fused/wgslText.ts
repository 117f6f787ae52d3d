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
}

/** A grid-stride loop over `n` elements (a WGSL expression) as `e`. */
export const each = (n: string, body: string): string => `    for (var e = gi; e < ${n}; e += GS) {\n${body}\n    }`;
