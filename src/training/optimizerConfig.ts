/**
 * Optimizer settings as torch.optim names them: the types, each type's defaults, and the
 * validation that turns a config as given into a resolved one; which state (family, slots) a
 * config keeps. Checks and plain data: no tensor is made here.
 */
import type * as tf from '@tensorflow/tfjs';
import { describe, listChoices, ReactNNError } from '../errors';

/** The optimizers, by name. */
export const OPTIMIZER_TYPES = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;

/** One of {@link OPTIMIZER_TYPES}. */
export type OptimizerType = (typeof OPTIMIZER_TYPES)[number];

/**
 * Optimizer settings, named as torch.optim's (camelCase). Options the chosen type does not use
 * are ignored (so one UI config can switch types) and listed by {@link Optimizer.unusedOptions}.
 */
export interface OptimizerConfig {
  type: OptimizerType;
  /** Learning rate, > 0. */
  lr: number;
  /** sgd, rmsprop: momentum factor ≥ 0 (default 0). */
  momentum?: number;
  /** sgd: dampening for momentum, 0..1 (default 0). */
  dampening?: number;
  /** sgd: Nesterov momentum; needs momentum > 0 and dampening 0 (default false). */
  nesterov?: boolean;
  /** All types: L2 added to the gradient (adam, sgd, rmsprop, adagrad) or decoupled (adamw). Default 0, adamw 0.01. */
  weightDecay?: number;
  /** adam, adamw: decay rates of the moment estimates, each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** adam, adamw, rmsprop (default 1e-8), adagrad (default 1e-10): added to the denominator, > 0. */
  eps?: number;
  /** rmsprop: smoothing constant in [0, 1) (default 0.99). */
  alpha?: number;
  /** rmsprop: normalise by an estimate of the gradient's variance (default false). */
  centered?: boolean;
  /** adagrad: learning-rate decay ≥ 0 (default 0). */
  lrDecay?: number;
  /** adagrad: starting value of the squared-gradient sum ≥ 0 (default 0). */
  initialAccumulatorValue?: number;
}

/** A config with every option of its type filled in with torch's defaults. */
export type ResolvedOptimizerConfig =
  | { type: 'sgd'; lr: number; momentum: number; dampening: number; nesterov: boolean; weightDecay: number }
  | { type: 'adam' | 'adamw'; lr: number; betas: readonly [number, number]; eps: number; weightDecay: number }
  | {
      type: 'rmsprop';
      lr: number;
      alpha: number;
      eps: number;
      weightDecay: number;
      momentum: number;
      centered: boolean;
    }
  | {
      type: 'adagrad';
      lr: number;
      lrDecay: number;
      weightDecay: number;
      initialAccumulatorValue: number;
      eps: number;
    };

/**
 * One trainable tensor as the optimizer sees it. `key` names it stably across model rebuilds
 * (e.g. `Sequential > Linear[0]/kernel`). `decay` marks weights (true) apart from biases and
 * BatchNorm parameters (false): only {@link regularizationPenalty} reads it — torch's
 * `weight_decay`, and so `weightDecay` here, applies to every parameter.
 */
export interface Param {
  key: string;
  variable: tf.Variable;
  decay: boolean;
}

export type OptionKey = Exclude<keyof OptimizerConfig, 'type'>;

const OPTION_KEYS: readonly OptionKey[] = [
  'lr',
  'momentum',
  'dampening',
  'nesterov',
  'weightDecay',
  'betas',
  'eps',
  'alpha',
  'centered',
  'lrDecay',
  'initialAccumulatorValue',
];

// torch.optim's defaults, per type (lr has none: torch requires it for SGD, and a default
// that is right for one type is wrong for another).
const DEFAULTS: Record<OptimizerType, Readonly<Record<string, number | boolean | readonly [number, number]>>> = {
  sgd: { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
  adam: { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 },
  adamw: { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01 },
  rmsprop: { alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
  adagrad: { lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 },
};

const LR_HINT: Record<OptimizerType, string> = {
  sgd: '0.01',
  adam: '0.001',
  adamw: '0.001',
  rmsprop: '0.01',
  adagrad: '0.01',
};

export function usesOption(type: OptimizerType, key: OptionKey): boolean {
  return key === 'lr' || key in DEFAULTS[type];
}

export function fail(path: string, message: string): never {
  throw new ReactNNError('option', path, message);
}

export function checkNumber(
  value: unknown,
  name: string,
  ok: (v: number) => boolean,
  rule: string,
  path: string,
): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    fail(path, `${name} must be ${rule} (got ${describe(value)})`);
  }
}

function checkBoolean(value: unknown, name: string, path: string): void {
  if (typeof value !== 'boolean') fail(path, `${name} must be true or false (got ${describe(value)})`);
}

/** Validates a config as given and fills in torch's defaults for its type. */
export function resolveConfig(given: Record<string, unknown>, path: string): ResolvedOptimizerConfig {
  const type = given.type;
  if (typeof type !== 'string' || !(OPTIMIZER_TYPES as readonly string[]).includes(type)) {
    fail(path, `unknown optimizer type ${describe(type)} — use ${listChoices(OPTIMIZER_TYPES)}`);
  }
  const t = type as OptimizerType;
  for (const key of Object.keys(given)) {
    if (key !== 'type' && !(OPTION_KEYS as readonly string[]).includes(key)) {
      const hint = /^(learningRate|learning_rate|lr_?rate)$/i.test(key)
        ? ' (the learning rate is "lr")'
        : /^beta/i.test(key)
          ? ' (Adam takes betas: [beta1, beta2])'
          : '';
      fail(
        path,
        `unknown optimizer option ${JSON.stringify(key)}${hint} — options are ${listChoices(['type', ...OPTION_KEYS])}`,
      );
    }
  }
  if (given.lr === undefined) fail(path, `lr is required — try lr: ${LR_HINT[t]} for ${t}`);
  checkNumber(given.lr, 'lr', (v) => v > 0, `a positive number — try ${LR_HINT[t]} for ${t}`, path);

  // Validate every option given, used or not: a nonsense value is a mistake either way.
  const v = given as Partial<Record<OptionKey, unknown>>;
  if (v.momentum !== undefined) checkNumber(v.momentum, 'momentum', (x) => x >= 0, 'a number ≥ 0 (0.9 is usual)', path);
  if (v.dampening !== undefined)
    checkNumber(v.dampening, 'dampening', (x) => x >= 0 && x <= 1, 'between 0 and 1', path);
  if (v.nesterov !== undefined) checkBoolean(v.nesterov, 'nesterov', path);
  if (v.weightDecay !== undefined) {
    checkNumber(v.weightDecay, 'weightDecay', (x) => x >= 0, 'a number ≥ 0 (1e-4 is usual)', path);
  }
  if (v.betas !== undefined) {
    const b = v.betas;
    const ok =
      Array.isArray(b) &&
      b.length === 2 &&
      b.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x < 1);
    if (!ok) fail(path, `betas must be two numbers in [0, 1), like [0.9, 0.999] (got ${describe(b)})`);
  }
  if (v.eps !== undefined) checkNumber(v.eps, 'eps', (x) => x > 0, 'a positive number (1e-8 is usual)', path);
  if (v.alpha !== undefined) checkNumber(v.alpha, 'alpha', (x) => x >= 0 && x < 1, 'in [0, 1) (0.99 is usual)', path);
  if (v.centered !== undefined) checkBoolean(v.centered, 'centered', path);
  if (v.lrDecay !== undefined) checkNumber(v.lrDecay, 'lrDecay', (x) => x >= 0, 'a number ≥ 0', path);
  if (v.initialAccumulatorValue !== undefined) {
    checkNumber(v.initialAccumulatorValue, 'initialAccumulatorValue', (x) => x >= 0, 'a number ≥ 0', path);
  }

  const resolved: Record<string, unknown> = { type: t, lr: given.lr, ...DEFAULTS[t] };
  for (const key of Object.keys(DEFAULTS[t])) {
    const value = v[key as OptionKey];
    if (value !== undefined) resolved[key] = value;
  }
  // Own, frozen copy: the defaults' array and the caller's must not change under us.
  if (Array.isArray(resolved.betas)) resolved.betas = Object.freeze([...(resolved.betas as number[])]);
  const config = resolved as ResolvedOptimizerConfig;
  // torch.optim.SGD: "Nesterov momentum requires a momentum and zero dampening".
  if (config.type === 'sgd' && config.nesterov && (config.momentum <= 0 || config.dampening !== 0)) {
    fail(
      path,
      `nesterov needs momentum > 0 and dampening 0 (got momentum ${config.momentum}, dampening ${config.dampening}) — set momentum: 0.9, dampening: 0`,
    );
  }
  return Object.freeze(config);
}

/** Which state a type keeps: Adam and AdamW share theirs, so switching between them keeps the moments. */
export type Family = 'sgd' | 'adam' | 'rmsprop' | 'adagrad';
export type Slot = 'momentumBuffer' | 'expAvg' | 'expAvgSq' | 'squareAvg' | 'gradAvg' | 'sum';

export function familyOf(type: OptimizerType): Family {
  return type === 'adamw' ? 'adam' : type;
}

/** The state tensors a config reads; any other is dropped when the config changes. */
export function slotsOf(config: ResolvedOptimizerConfig): Slot[] {
  switch (config.type) {
    case 'sgd':
      return config.momentum !== 0 ? ['momentumBuffer'] : [];
    case 'adam':
    case 'adamw':
      return ['expAvg', 'expAvgSq'];
    case 'rmsprop':
      return [
        'squareAvg',
        ...(config.momentum > 0 ? (['momentumBuffer'] as const) : []),
        ...(config.centered ? (['gradAvg'] as const) : []),
      ];
    case 'adagrad':
      return ['sum'];
  }
}
