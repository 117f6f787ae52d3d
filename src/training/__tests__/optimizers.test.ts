import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { catchReactNNError } from '../../../test/util/reactNNError';
import {
  clipGradNorm,
  clipGradValue,
  createOptimizer,
  globalNorm,
  type OptimizerConfig,
  type Param,
  regularizationPenalty,
} from '../optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// ---------------------------------------------------------------------------------------------
// A fixed tiny problem: linear regression, loss = mean_i (x_i·w + b − y_i)², w ∈ R², b ∈ R¹.
// Gradients: r_i = x_i·w + b − y_i;  dL/dw = (2/n) Σ r_i x_i;  dL/db = (2/n) Σ r_i.
// ---------------------------------------------------------------------------------------------
const X = [
  [1, 2],
  [3, -1],
  [-2, 0.5],
];
const Y = [1, -1, 2];
const W0 = [0.5, -0.3];
const B0 = [0.1];

function refGrads(w: number[], b: number[]): number[][] {
  let gw0 = 0;
  let gw1 = 0;
  let gb = 0;
  X.forEach((x, i) => {
    const r =
      (x[0] as number) * (w[0] as number) + (x[1] as number) * (w[1] as number) + (b[0] as number) - (Y[i] as number);
    gw0 += (2 / X.length) * r * (x[0] as number);
    gw1 += (2 / X.length) * r * (x[1] as number);
    gb += (2 / X.length) * r;
  });
  return [[gw0, gw1], [gb]];
}

type RefState = Record<string, number[]> & { step?: number[] };

/**
 * The torch.optim pseudo-code, in float64 over plain arrays — written independently of
 * optimizers.ts (element by element, torch's variable names) to serve as the reference.
 */
function refStep(
  c: Required<Omit<OptimizerConfig, 'betas'>> & { betas: [number, number] },
  p: number[],
  g0: number[],
  s: RefState,
): void {
  const t = (s.step?.[0] ?? 0) + 1;
  s.step = [t];
  for (let i = 0; i < p.length; i++) {
    const theta = p[i] as number;
    let g = g0[i] as number;
    switch (c.type) {
      case 'sgd': {
        if (c.weightDecay !== 0) g += c.weightDecay * theta;
        if (c.momentum !== 0) {
          s.b ??= [];
          s.b[i] = t > 1 ? c.momentum * (s.b[i] as number) + (1 - c.dampening) * g : g;
          g = c.nesterov ? g + c.momentum * (s.b[i] as number) : (s.b[i] as number);
        }
        p[i] = theta - c.lr * g;
        break;
      }
      case 'adam':
      case 'adamw': {
        let th = theta;
        if (c.type === 'adamw') th = theta * (1 - c.lr * c.weightDecay);
        else if (c.weightDecay !== 0) g += c.weightDecay * theta;
        s.m ??= [];
        s.v ??= [];
        s.m[i] = c.betas[0] * (s.m[i] ?? 0) + (1 - c.betas[0]) * g;
        s.v[i] = c.betas[1] * (s.v[i] ?? 0) + (1 - c.betas[1]) * g * g;
        const mHat = (s.m[i] as number) / (1 - c.betas[0] ** t);
        const vHat = (s.v[i] as number) / (1 - c.betas[1] ** t);
        p[i] = th - (c.lr * mHat) / (Math.sqrt(vHat) + c.eps);
        break;
      }
      case 'rmsprop': {
        if (c.weightDecay !== 0) g += c.weightDecay * theta;
        s.v ??= [];
        s.v[i] = c.alpha * (s.v[i] ?? 0) + (1 - c.alpha) * g * g;
        let vTilde = s.v[i] as number;
        if (c.centered) {
          s.gAve ??= [];
          s.gAve[i] = c.alpha * (s.gAve[i] ?? 0) + (1 - c.alpha) * g;
          vTilde -= (s.gAve[i] as number) ** 2;
        }
        if (c.momentum > 0) {
          s.b ??= [];
          s.b[i] = c.momentum * (s.b[i] ?? 0) + g / (Math.sqrt(vTilde) + c.eps);
          p[i] = theta - c.lr * (s.b[i] as number);
        } else {
          p[i] = theta - (c.lr * g) / (Math.sqrt(vTilde) + c.eps);
        }
        break;
      }
      case 'adagrad': {
        const clr = c.lr / (1 + (t - 1) * c.lrDecay);
        if (c.weightDecay !== 0) g += c.weightDecay * theta;
        s.sum ??= [];
        s.sum[i] = (s.sum[i] ?? c.initialAccumulatorValue) + g * g;
        p[i] = theta - (clr * g) / (Math.sqrt(s.sum[i] as number) + c.eps);
        break;
      }
    }
  }
}

function makeParams(w = W0, b = B0, suffix = ''): Param[] {
  return [
    { key: `Linear[0]/kernel${suffix}`, variable: tf.tidy(() => tf.variable(tf.tensor1d(w))), decay: true },
    { key: `Linear[0]/bias${suffix}`, variable: tf.tidy(() => tf.variable(tf.tensor1d(b))), decay: false },
  ];
}

/** Gradients of the problem at the variables' current values, by tfjs autodiff. */
function tfGrads(params: Param[]): tf.Tensor[] {
  const [w, b] = params.map((p) => p.variable) as [tf.Variable, tf.Variable];
  const { value, grads } = tf.variableGrads(
    () =>
      tf.tidy(() =>
        tf.mean(tf.square(tf.sub(tf.add(tf.matMul(tf.tensor2d(X), tf.reshape(w, [2, 1])), b), tf.tensor2d(Y, [3, 1])))),
      ) as tf.Scalar,
    [w, b],
  );
  value.dispose();
  return [grads[w.name] as tf.Tensor, grads[b.name] as tf.Tensor];
}

function stepOnce(opt: ReturnType<typeof createOptimizer>, params: Param[]): void {
  const grads = tfGrads(params);
  opt.step(params, grads);
  tf.dispose(grads);
}

function values(params: Param[]): number[][] {
  return params.map((p) => Array.from(p.variable.dataSync()));
}

const disposables: { dispose(): void }[] = [];
afterEach(() => {
  for (const d of disposables.splice(0)) d.dispose();
});

function track<T extends { dispose(): void }>(x: T): T {
  disposables.push(x);
  return x;
}

function trackParams(params: Param[]): Param[] {
  for (const p of params) track(p.variable);
  return params;
}

const catchError = catchReactNNError;

describe('update rules match a float64 reference of the torch.optim formulas (3 steps, 1e-6)', () => {
  const cases: [string, OptimizerConfig][] = [
    ['sgd', { type: 'sgd', lr: 0.1 }],
    ['sgd momentum + dampening', { type: 'sgd', lr: 0.05, momentum: 0.9, dampening: 0.1 }],
    ['sgd nesterov', { type: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true }],
    ['sgd weight decay + momentum', { type: 'sgd', lr: 0.1, momentum: 0.5, weightDecay: 0.05 }],
    ['adam', { type: 'adam', lr: 0.1 }],
    ['adam weight decay (L2 in the gradient)', { type: 'adam', lr: 0.1, weightDecay: 0.1, betas: [0.8, 0.99] }],
    // A large eps makes its placement visible: torch adds it after the square root.
    ['adam, eps 0.1', { type: 'adam', lr: 0.1, eps: 0.1 }],
    ['adamw (decoupled decay)', { type: 'adamw', lr: 0.1, weightDecay: 0.1 }],
    ['adamw default decay 0.01', { type: 'adamw', lr: 0.05 }],
    ['rmsprop', { type: 'rmsprop', lr: 0.01 }],
    ['rmsprop, eps 0.1', { type: 'rmsprop', lr: 0.01, eps: 0.1 }],
    ['rmsprop momentum', { type: 'rmsprop', lr: 0.01, momentum: 0.9 }],
    ['rmsprop centered', { type: 'rmsprop', lr: 0.01, centered: true }],
    [
      'rmsprop centered + momentum + weight decay',
      { type: 'rmsprop', lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.01, alpha: 0.9 },
    ],
    ['adagrad', { type: 'adagrad', lr: 0.1 }],
    ['adagrad, eps 0.1', { type: 'adagrad', lr: 0.1, eps: 0.1 }],
    [
      'adagrad lrDecay + initial accumulator + weight decay',
      { type: 'adagrad', lr: 0.1, lrDecay: 0.1, initialAccumulatorValue: 0.1, weightDecay: 0.01 },
    ],
  ];

  for (const [label, config] of cases) {
    it(label, () => {
      const opt = track(createOptimizer(config));
      const params = trackParams(makeParams());
      const full = opt.config as unknown as Parameters<typeof refStep>[0];
      const ref = [[...W0], [...B0]];
      const states: RefState[] = [{}, {}];
      for (let k = 0; k < 3; k++) {
        const g = refGrads(ref[0] as number[], ref[1] as number[]);
        ref.forEach((p, i) => refStep(full, p, g[i] as number[], states[i] as RefState));
        stepOnce(opt, params);
        const got = values(params);
        ref.forEach((p, i) => p.forEach((v, j) => expect(Math.abs((got[i]?.[j] as number) - v)).toBeLessThan(1e-6)));
      }
      // The weights did move: the comparison is not trivially true.
      expect(Math.abs((ref[0]?.[0] as number) - (W0[0] as number))).toBeGreaterThan(1e-3);
      expect(opt.stepCount).toBe(3);
    });
  }
});

describe('defaults follow torch', () => {
  it('fills in each type’s defaults', () => {
    expect(createOptimizer({ type: 'sgd', lr: 0.1 }).config).toEqual({
      type: 'sgd',
      lr: 0.1,
      momentum: 0,
      dampening: 0,
      nesterov: false,
      weightDecay: 0,
    });
    expect(createOptimizer({ type: 'adam', lr: 1e-3 }).config).toEqual({
      type: 'adam',
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
    });
    expect(createOptimizer({ type: 'adamw', lr: 1e-3 }).config).toMatchObject({ weightDecay: 0.01 });
    expect(createOptimizer({ type: 'rmsprop', lr: 0.01 }).config).toEqual({
      type: 'rmsprop',
      lr: 0.01,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
    });
    expect(createOptimizer({ type: 'adagrad', lr: 0.01 }).config).toEqual({
      type: 'adagrad',
      lr: 0.01,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
    });
  });

  it('ignores options the type does not use, and says which', () => {
    const opt = createOptimizer({ type: 'adam', lr: 0.01, momentum: 0.9 });
    expect(opt.config).not.toHaveProperty('momentum');
    expect(opt.unusedOptions).toEqual(['momentum']);
  });
});

describe('state', () => {
  // SGD with momentum 0.9, lr 0.1: b₁ = g₁, θ₁ = θ₀ − 0.1 g₁; b₂ = 0.9 g₁ + g₂, θ₂ = θ₁ − 0.1 b₂.
  it('carries over by key to a new variable (a model rebuild)', () => {
    const opt = track(createOptimizer({ type: 'sgd', lr: 0.1, momentum: 0.9 }));
    const a = track(tf.variable(tf.tensor1d([1, 2])));
    const g1 = track(tf.tensor1d([0.5, -1]));
    opt.step([{ key: 'w', variable: a, decay: true }], [g1]);
    expect(Array.from(a.dataSync())).toEqual([expect.closeTo(0.95, 6), expect.closeTo(2.1, 6)]);
    // The buffer starts as g₁ itself: it must survive the caller freeing g₁.
    g1.dispose();

    const rebuilt = track(tf.variable(a.clone()));
    const g2 = track(tf.tensor1d([1, 1]));
    opt.step([{ key: 'w', variable: rebuilt, decay: true }], [g2]);
    // b₂ = [0.45 + 1, −0.9 + 1] = [1.45, 0.1] → θ₂ = [0.95 − 0.145, 2.1 − 0.01]
    expect(Array.from(rebuilt.dataSync())).toEqual([expect.closeTo(0.805, 6), expect.closeTo(2.09, 6)]);
    expect(opt.stateKeys()).toEqual(['w']);
  });

  it('resets a parameter’s state when its shape changes', () => {
    const opt = track(createOptimizer({ type: 'sgd', lr: 0.1, momentum: 0.9 }));
    const a = track(tf.variable(tf.tensor1d([1, 2])));
    opt.step([{ key: 'w', variable: a, decay: true }], [track(tf.tensor1d([5, 5]))]);
    const wider = track(tf.variable(tf.tensor1d([1, 2, 3])));
    opt.step([{ key: 'w', variable: wider, decay: true }], [track(tf.tensor1d([1, 1, 1]))]);
    // A fresh buffer is b = g, so θ = θ₀ − 0.1·1: no trace of the old [5, 5].
    expect(Array.from(wider.dataSync())).toEqual([
      expect.closeTo(0.9, 6),
      expect.closeTo(1.9, 6),
      expect.closeTo(2.9, 6),
    ]);
  });

  it('prune disposes the state of parameters that are gone', () => {
    const opt = track(createOptimizer({ type: 'adam', lr: 0.01 }));
    const params = trackParams(makeParams());
    stepOnce(opt, params);
    expect(opt.stateKeys()).toEqual(['Linear[0]/kernel', 'Linear[0]/bias']);
    const before = tf.memory().numTensors;
    opt.prune(new Set(['Linear[0]/kernel']));
    expect(opt.stateKeys()).toEqual(['Linear[0]/kernel']);
    // Adam keeps two moments per parameter.
    expect(tf.memory().numTensors).toBe(before - 2);
  });

  it('exportState → importState hands the state over: a fresh optimizer continues exactly', () => {
    // Adam, two steps on one optimizer vs one step, hand-over, one step on another.
    const run = (handOver: boolean) => {
      const a = track(createOptimizer({ type: 'adam', lr: 0.1 }));
      const w = track(tf.variable(tf.tensor1d([1, -2])));
      const param = [{ key: 'w', variable: w, decay: true }];
      a.step(param, [track(tf.tensor1d([0.5, -1]))]);
      let b = a;
      if (handOver) {
        b = track(createOptimizer({ type: 'adam', lr: 0.1 }));
        const before = tf.memory().numTensors;
        b.importState(a.exportState());
        // Two moments of the one parameter became b's own variables.
        expect(tf.memory().numTensors).toBe(before + 2);
      }
      b.step(param, [track(tf.tensor1d([0.25, 3]))]);
      expect(b.paramSteps()).toEqual({ w: 2 });
      return Array.from(w.dataSync());
    };
    expect(run(true)).toEqual(run(false));
  });

  it('importState rejects malformed state and keeps what it had', () => {
    const opt = track(createOptimizer({ type: 'adam', lr: 0.1 }));
    const w = track(tf.variable(tf.tensor1d([1, -2])));
    opt.step([{ key: 'w', variable: w, decay: true }], [track(tf.tensor1d([0.5, -1]))]);
    const good = opt.exportState();
    const path = 'createOptimizer > importState';
    const bad: [unknown, RegExp][] = [
      [{}, /expected an array like exportState\(\) returns/],
      [[{ ...good[0], key: '' }], /entry 0 needs a non-empty string key/],
      [[good[0], good[0]], /entry 1 \("w"\): two entries share the key/],
      [[{ ...good[0], step: -1 }], /step must be an integer ≥ 0 \(got -1\)/],
      [[{ ...good[0], shape: [2, 0] }], /shape must be an array of positive integers/],
      [[{ ...good[0], slots: { velocity: new Float32Array(2) } }], /unknown slot "velocity"/],
      [
        [{ ...good[0], slots: { expAvg: new Float32Array(3) } }],
        /slot expAvg must be a Float32Array of 2 values for shape \[2\]/,
      ],
    ];
    for (const [state, message] of bad) {
      const err = catchError(() => opt.importState(state as never));
      expect(err.code).toBe('option');
      expect(err.path).toBe(path);
      expect(err.message).toMatch(message);
    }
    expect(opt.paramSteps()).toEqual({ w: 1 });
    expect(opt.exportState()).toEqual(good);
  });

  it('dispose frees everything and further steps throw', () => {
    const before = tf.memory().numTensors;
    const opt = createOptimizer({ type: 'rmsprop', lr: 0.01, momentum: 0.9, centered: true });
    const params = trackParams(makeParams());
    const afterParams = tf.memory().numTensors;
    stepOnce(opt, params);
    // Three state slots per parameter, and the config's constants as scalars.
    expect(opt.heldConstants).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(afterParams + 6 + opt.heldConstants);
    opt.dispose();
    expect(opt.heldConstants).toBe(0);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(afterParams);
    expect(afterParams - before).toBe(2);
    const err = catchError(() => opt.step([], []));
    expect(err.code).toBe('state');
  });

  const flat: OptimizerConfig[] = [
    { type: 'sgd', lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-3 },
    { type: 'adam', lr: 0.01, weightDecay: 1e-3 },
    { type: 'adamw', lr: 0.01 },
    { type: 'rmsprop', lr: 0.001, momentum: 0.9, centered: true, weightDecay: 1e-3 },
    { type: 'adagrad', lr: 0.01, lrDecay: 0.01, weightDecay: 1e-3 },
  ];
  for (const config of flat) {
    it(`${config.type}: tensor count stays flat over 100 steps`, () => {
      const opt = track(createOptimizer(config));
      const params = trackParams(makeParams());
      // Two steps: momentum's buffer takes its second form (μb + (1−τ)g) from step 2 on.
      stepOnce(opt, params);
      stepOnce(opt, params);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 100; i++) stepOnce(opt, params);
      expect(tf.memory().numTensors).toBe(before);
      expect(values(params).flat().every(Number.isFinite)).toBe(true);
    });
  }
});

describe('setConfig', () => {
  it('a new lr takes effect on the next step', () => {
    const opt = track(createOptimizer({ type: 'sgd', lr: 0.1 }));
    const w = track(tf.variable(tf.tensor1d([1])));
    const g = track(tf.tensor1d([1]));
    opt.step([{ key: 'w', variable: w, decay: true }], [g]);
    expect(w.dataSync()[0]).toBeCloseTo(0.9, 6);
    opt.setConfig({ lr: 0.5 });
    expect(opt.config.lr).toBe(0.5);
    opt.step([{ key: 'w', variable: w, decay: true }], [g]);
    expect(w.dataSync()[0]).toBeCloseTo(0.4, 6);
  });

  it('changing type keeps the weights, carries lr and drops state the new type cannot use', () => {
    const opt = track(createOptimizer({ type: 'adam', lr: 0.05, eps: 1e-6 }));
    const params = trackParams(makeParams());
    stepOnce(opt, params);
    const weights = values(params);
    const tensors = tf.memory().numTensors;
    const constants = opt.heldConstants;
    opt.setConfig({ type: 'sgd', momentum: 0.9 });
    expect(values(params)).toEqual(weights);
    expect(opt.config).toEqual({ type: 'sgd', lr: 0.05, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 });
    expect(opt.stateKeys()).toEqual([]);
    // Adam's moments (2 per parameter) and its constants are gone.
    expect(opt.heldConstants).toBe(0);
    expect(tf.memory().numTensors).toBe(tensors - 4 - constants);
    // Adam's eps does not leak into a type that has its own default.
    opt.setConfig({ type: 'adagrad' });
    expect(opt.config).toMatchObject({ eps: 1e-10, lr: 0.05 });
  });

  it('adam → adamw keeps the moments (same state, decoupled decay from then on)', () => {
    const a = track(createOptimizer({ type: 'adam', lr: 0.05 }));
    const b = track(createOptimizer({ type: 'adam', lr: 0.05 }));
    const pa = trackParams(makeParams(W0, B0, 'a'));
    const pb = trackParams(makeParams(W0, B0, 'b'));
    stepOnce(a, pa);
    stepOnce(b, pb);
    a.setConfig({ type: 'adamw', weightDecay: 0 });
    stepOnce(a, pa);
    stepOnce(b, pb);
    const va = values(pa).flat();
    values(pb)
      .flat()
      .forEach((v, i) => expect(va[i]).toBeCloseTo(v, 6));
  });

  it('an invalid change throws and changes nothing', () => {
    const opt = createOptimizer({ type: 'sgd', lr: 0.1, momentum: 0.9 });
    const err = catchError(() => opt.setConfig({ nesterov: true, dampening: 0.5 }));
    expect(err.message).toContain('nesterov needs momentum > 0 and dampening 0');
    expect(opt.config).toMatchObject({ nesterov: false, dampening: 0 });
    catchError(() => opt.setConfig({ type: 'lion' as never }));
    expect(opt.config.type).toBe('sgd');
  });
});

describe('validation', () => {
  const path = 'createTrainer > optimizer';
  const bad: [string, unknown, RegExp][] = [
    ['negative lr', { type: 'adam', lr: -1 }, /lr must be a positive number — try 0\.001 for adam \(got -1\)/],
    ['NaN lr', { type: 'sgd', lr: Number.NaN }, /lr must be a positive number.*\(got NaN\)/],
    ['missing lr', { type: 'sgd' }, /lr is required — try lr: 0\.01 for sgd/],
    [
      'beta of 1',
      { type: 'adam', lr: 0.01, betas: [0.9, 1] },
      /betas must be two numbers in \[0, 1\).*\(got \[0\.9, 1\]\)/,
    ],
    ['eps 0', { type: 'adam', lr: 0.01, eps: 0 }, /eps must be a positive number/],
    ['negative momentum', { type: 'sgd', lr: 0.01, momentum: -0.1 }, /momentum must be a number ≥ 0/],
    [
      'nesterov without momentum',
      { type: 'sgd', lr: 0.01, nesterov: true },
      /nesterov needs momentum > 0 and dampening 0 \(got momentum 0, dampening 0\)/,
    ],
    [
      'nesterov with dampening',
      { type: 'sgd', lr: 0.01, momentum: 0.9, dampening: 0.1, nesterov: true },
      /dampening 0\.1/,
    ],
    [
      'unknown type',
      { type: 'adamax', lr: 0.01 },
      /unknown optimizer type "adamax" — use "sgd", "adam", "adamw", "rmsprop" or "adagrad"/,
    ],
    [
      'unknown option',
      { type: 'adam', learningRate: 0.01, lr: 0.01 },
      /unknown optimizer option "learningRate" \(the learning rate is "lr"\)/,
    ],
    ['beta1 instead of betas', { type: 'adam', lr: 0.01, beta1: 0.9 }, /Adam takes betas: \[beta1, beta2\]/],
    ['not an object', 'adam', /must be an object like \{ type: 'adam', lr: 0\.001 \} \(got "adam"\)/],
  ];
  for (const [label, config, message] of bad) {
    it(`rejects ${label}`, () => {
      const err = catchError(() => createOptimizer(config as OptimizerConfig, path));
      expect(err.code).toBe('option');
      expect(err.path).toBe(path);
      expect(err.message.startsWith(`${path}: `)).toBe(true);
      expect(err.message).toMatch(message);
    });
  }

  it('step checks params against grads', () => {
    const opt = track(createOptimizer({ type: 'sgd', lr: 0.1 }));
    const params = trackParams(makeParams());
    const g = track(tf.zeros([2]));
    expect(catchError(() => opt.step(params, [g])).message).toContain('2 parameters but 1 gradients');
    const err = catchError(() => opt.step(params, [g, g]));
    expect(err.code).toBe('shape');
    expect(err.message).toContain('"Linear[0]/bias" has shape [2] but the parameter has [1]');
    const twin = [params[0] as Param, { ...(params[0] as Param) }];
    expect(catchError(() => opt.step(twin, [g, g])).message).toContain('share the key');
  });
});

describe('gradient helpers', () => {
  // ‖[3, 4]‖² + ‖[12]‖² = 25 + 144 = 169 → total 13; maxNorm 6.5 → scale 6.5 / (13 + 1e-6) ≈ 0.5
  it('clipGradNorm scales by maxNorm / (total + 1e-6) when above maxNorm', () => {
    const grads = [track(tf.tensor1d([3, 4])), track(tf.tensor1d([12]))];
    const norm = track(globalNorm(grads));
    expect(norm.dataSync()[0]).toBeCloseTo(13, 5);
    const clipped = clipGradNorm(grads, 6.5);
    const scale = 6.5 / (13 + 1e-6);
    expect(Array.from(clipped[0]?.dataSync() ?? [])).toEqual([
      expect.closeTo(3 * scale, 6),
      expect.closeTo(4 * scale, 6),
    ]);
    expect(clipped[1]?.dataSync()[0]).toBeCloseTo(12 * scale, 5);
    // Returns new tensors: the inputs are intact.
    expect(Array.from(grads[0]?.dataSync() ?? [])).toEqual([3, 4]);
    tf.dispose(clipped);

    const same = clipGradNorm(grads, 20);
    expect(Array.from(same[0]?.dataSync() ?? [])).toEqual([3, 4]);
    tf.dispose(same);
  });

  it('clipGradValue clamps each element', () => {
    const g = track(tf.tensor1d([-3, 0.5, 2]));
    const [c] = clipGradValue([g], 1);
    expect(Array.from(c?.dataSync() ?? [])).toEqual([-1, 0.5, 1]);
    c?.dispose();
  });

  it('reject bad limits', () => {
    expect(catchError(() => clipGradNorm([], 0, 'createTrainer > clipGradNorm')).message).toBe(
      'createTrainer > clipGradNorm: clipGradNorm must be a positive number (1.0 is usual) (got 0)',
    );
    expect(catchError(() => clipGradValue([], -1)).message).toContain('got -1');
    expect(catchError(() => clipGradNorm([1, 2] as unknown as tf.Tensor[], 1)).message).toContain(
      'array of gradient tensors',
    );
  });

  // w = [1, −2] (weight), b = [3] (bias, skipped): 0.1·(1 + 2) + 0.01·(1 + 4) = 0.3 + 0.05 = 0.35
  // d/dw = l1·sign(w) + 2·l2·w = [0.1 + 0.02, −0.1 − 0.04] = [0.12, −0.14]; d/db = 0
  it('regularizationPenalty: l1·Σ|w| + l2·Σw² over weights only', () => {
    const params: Param[] = [
      { key: 'w', variable: track(tf.variable(tf.tensor1d([1, -2]))), decay: true },
      { key: 'b', variable: track(tf.variable(tf.tensor1d([3]))), decay: false },
    ];
    const penalty = track(regularizationPenalty(params, { l1: 0.1, l2: 0.01 }));
    expect(penalty.dataSync()[0]).toBeCloseTo(0.35, 6);
    const { value, grads } = tf.variableGrads(
      () => regularizationPenalty(params, { l1: 0.1, l2: 0.01 }),
      params.map((p) => p.variable),
    );
    value.dispose();
    const gw = grads[params[0]?.variable.name as string];
    expect(Array.from(gw?.dataSync() ?? [])).toEqual([expect.closeTo(0.12, 6), expect.closeTo(-0.14, 6)]);
    // The bias does not appear in the penalty at all.
    const gb = grads[params[1]?.variable.name as string];
    expect(gb === undefined || gb.dataSync()[0] === 0).toBe(true);
    tf.dispose(grads);
    expect(catchError(() => regularizationPenalty(params, { l2: -1 })).message).toContain('l2 must be a number ≥ 0');
  });
});
