/**
 * The formulas of the fused engines, one typed table per family: every activation and every
 * loss is declared once here, and the generated JavaScript, the kernel's loop fallback and the
 * WGSL generator all read the same entry. `Record<ActFn, …>` and `Record<LossKind, …>` make a
 * forgotten entry a type error instead of a silent fall-through to another formula.
 *
 * `fusedRules` is SELF-CONTAINED like the kernel factory: its source text is also what runs in
 * the fused-cpu Web Worker, so it references nothing outside its own body (types aside).
 */

import type { FusedActivationFn } from '../../../layers/define';

/** Element-wise activations the fused engines run (a layer names one in its `fused` form). */
export type ActFn = FusedActivationFn;

/** The losses the fused engines run (`multiLabelBce` plans as `bce`). */
export type LossKind = 'mse' | 'mae' | 'huber' | 'bce' | 'bceWithLogits' | 'crossEntropy';

/**
 * One activation. `a` is the op's scalar: LeakyReLU's slope, ELU's alpha, PReLU's slope for this
 * element (0 for the others). The WGSL strings are expressions in `x`, `y` (the output) and `a`,
 * which the generator binds with `let`; they may call the shader's `erf_`, `tanh_`, `sigmoid_`.
 */
export interface ActivationRule {
  /** y = f(x). */
  forward(x: number, a: number): number;
  /** dL/dx from x, y = f(x) and g = dL/dy. */
  backward(x: number, y: number, g: number, a: number): number;
  wgsl: string;
  /** dy/dx (the generator multiplies by dL/dy). */
  wgslGrad: string;
}

/**
 * A loss that is a mean over elements of `value(p, y)`; its gradient before the 1/N of the mean
 * is `grad(p, y)`. `delta` is Huber's. The WGSL strings are expressions in `p`, `y` and `delta`.
 */
export interface ElementLossRule {
  rows: false;
  value(p: number, y: number, delta: number): number;
  grad(p: number, y: number, delta: number): number;
  wgslValue: string;
  wgslGrad: string;
}

/** A loss over each row as a whole (softmax cross-entropy): the generators write it out themselves. */
export interface RowLossRule {
  rows: true;
}

export interface FusedRules {
  act: Record<ActFn, ActivationRule>;
  loss: Record<LossKind, ElementLossRule | RowLossRule>;
  /** tfjs' erf (Abramowitz & Stegun 7.1.26), so GELU matches tf.erf. */
  erf(x: number): number;
  /** tanh to float32 accuracy, inlinable (see the comment at its definition). */
  tanh(x: number): number;
}

/** Builds the rule tables. Self-contained — see the module comment. */
export function fusedRules(): FusedRules {
  const fround = Math.fround;

  function erf(x: number): number {
    const sign = Math.sign(x);
    const v = Math.abs(x);
    const t = 1.0 / (1.0 + 0.3275911 * v);
    return (
      sign *
      (1.0 -
        ((((1.061405429 * t + -1.453152027) * t + 1.421413741) * t + -0.284496736) * t + 0.254829592) *
          t *
          Math.exp(-v * v))
    );
  }

  // Eigen's rational approximation (generic_fast_tanh_float), evaluated in double. Math.tanh is a
  // call into C that costs ~25 ns, and a playground-size net spends most of its time there; this
  // inlines to a few ns. Rounded to float32 it differs from fround(Math.tanh(x)) by at most 4 ulp
  // (2.4e-7), well inside the engines' 1e-5 parity.
  function tanh(x: number): number {
    const c = Math.min(7.905311107635498, Math.max(-7.905311107635498, x));
    if (c < 0.0004 && c > -0.0004) return c;
    const x2 = c * c;
    const p =
      c *
      ((((((-2.76076847742355e-16 * x2 + 2.00018790482477e-13) * x2 + -8.60467152213735e-11) * x2 +
        5.12229709037114e-8) *
        x2 +
        1.48572235717979e-5) *
        x2 +
        6.37261928875436e-4) *
        x2 +
        4.89352455891786e-3);
    const q = ((1.19825839466702e-6 * x2 + 1.18534705686654e-4) * x2 + 2.268434632439e-3) * x2 + 4.89352518554385e-3;
    return p / q;
  }

  const GELU_TANH_U = '0.7978845608028654 * (x + 0.044715 * x * x * x)';

  const act: Record<ActFn, ActivationRule> = {
    relu: {
      // Math.max as tfjs' relu kernel: NaN stays NaN.
      forward: (x) => Math.max(0, x),
      backward: (x, _y, g) => (x > 0 ? g : 0),
      wgsl: 'max(x, 0.0)',
      wgslGrad: 'select(0.0, 1.0, x > 0.0)',
    },
    leakyRelu: {
      forward: (x, a) => (x < 0 ? a * x : x),
      backward: (x, _y, g, a) => (x > 0 ? g : g * a),
      wgsl: 'select(x, a * x, x < 0.0)',
      wgslGrad: 'select(a, 1.0, x > 0.0)',
    },
    prelu: {
      forward: (x, a) => (x < 0 ? a * x : x),
      backward: (x, _y, g, a) => (x > 0 ? g : g * a),
      wgsl: 'select(x, a * x, x < 0.0)',
      wgslGrad: 'select(a, 1.0, x > 0.0)',
    },
    elu: {
      forward: (x, a) => (x > 0 ? x : a * fround(Math.exp(x) - 1)),
      backward: (x, _y, g, a) => (x > 0 ? g : g * a * Math.exp(x)),
      wgsl: 'select(a * (exp(min(x, 0.0)) - 1.0), x, x > 0.0)',
      wgslGrad: 'select(a * exp(min(x, 0.0)), 1.0, x > 0.0)',
    },
    gelu: {
      forward: (x) => x * fround(0.5 * fround(1 + fround(erf(fround(x / Math.SQRT2))))),
      backward: (x, _y, g) => g * (0.5 * (1 + erf(x / Math.SQRT2)) + x * 0.3989422804014327 * Math.exp(-0.5 * x * x)),
      wgsl: 'x * (0.5 * (1.0 + erf_(x / 1.4142135623730951)))',
      wgslGrad: '0.5 * (1.0 + erf_(x / 1.4142135623730951)) + x * 0.3989422804014327 * exp(-0.5 * x * x)',
    },
    geluTanh: {
      forward: (x) => 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))),
      backward: (x, _y, g) => {
        const th = Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x));
        return g * (0.5 * (1 + th) + 0.5 * x * (1 - th * th) * (0.7978845608028654 * (1 + 3 * 0.044715 * x * x)));
      },
      wgsl: `0.5 * x * (1.0 + tanh_(${GELU_TANH_U}))`,
      wgslGrad: `0.5 * (1.0 + tanh_(${GELU_TANH_U})) + 0.5 * x * (1.0 - tanh_(${GELU_TANH_U}) * tanh_(${GELU_TANH_U})) * 0.7978845608028654 * (1.0 + 3.0 * 0.044715 * x * x)`,
    },
    tanh: {
      forward: (x) => tanh(x),
      backward: (_x, y, g) => g * (1 - y * y),
      wgsl: 'tanh_(x)',
      wgslGrad: '1.0 - y * y',
    },
    sigmoid: {
      forward: (x) => 1 / (1 + Math.exp(-x)),
      backward: (_x, y, g) => g * y * (1 - y),
      wgsl: 'sigmoid_(x)',
      wgslGrad: 'y * (1.0 - y)',
    },
    bentIdentity: {
      forward: (x) => (Math.sqrt(x * x + 1) - 1) / 2 + x,
      backward: (x, _y, g) => g * (x / (2 * Math.sqrt(x * x + 1)) + 1),
      wgsl: '(sqrt(x * x + 1.0) - 1.0) / 2.0 + x',
      wgslGrad: 'x / (2.0 * sqrt(x * x + 1.0)) + 1.0',
    },
  };

  const loss: Record<LossKind, ElementLossRule | RowLossRule> = {
    mse: {
      rows: false,
      value: (p, y) => (p - y) * (p - y),
      grad: (p, y) => 2 * (p - y),
      wgslValue: '(p - y) * (p - y)',
      wgslGrad: '2.0 * (p - y)',
    },
    mae: {
      rows: false,
      value: (p, y) => Math.abs(p - y),
      grad: (p, y) => (p - y > 0 ? 1 : -1),
      wgslValue: 'abs(p - y)',
      wgslGrad: 'select(-1.0, 1.0, p - y > 0.0)',
    },
    huber: {
      rows: false,
      value: (p, y, delta) => {
        const a = Math.abs(p - y);
        const q = Math.min(a, delta);
        return 0.5 * q * q + delta * (a - q);
      },
      grad: (p, y, delta) => Math.min(Math.abs(p - y), delta) * (p - y > 0 ? 1 : -1),
      wgslValue:
        '0.5 * min(abs(p - y), delta) * min(abs(p - y), delta) + delta * (abs(p - y) - min(abs(p - y), delta))',
      wgslGrad: 'select(delta, abs(p - y), abs(p - y) <= delta) * select(-1.0, 1.0, p - y > 0.0)',
    },
    bce: {
      rows: false,
      value: (p, y) => -(y * Math.max(Math.log(p), -100) + (1 - y) * Math.max(Math.log(1 - p), -100)),
      grad: (p, y) => (p - y) / Math.max(p * (1 - p), 1e-12),
      wgslValue: '-(y * max(log(p), -100.0) + (1.0 - y) * max(log(1.0 - p), -100.0))',
      wgslGrad: '(p - y) / max(p * (1.0 - p), 1e-12)',
    },
    bceWithLogits: {
      rows: false,
      value: (p, y) => Math.max(p, 0) - p * y + Math.log1p(Math.exp(-Math.abs(p))),
      grad: (p, y) => 1 / (1 + Math.exp(-p)) - y,
      wgslValue: 'max(p, 0.0) - p * y + log(1.0 + exp(-abs(p)))',
      wgslGrad: 'sigmoid_(p) - y',
    },
    crossEntropy: { rows: true },
  };

  return { act, loss, erf, tanh };
}

/** The rules for this thread. */
export const RULES: FusedRules = /* @__PURE__ */ fusedRules();
