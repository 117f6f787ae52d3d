/**
 * PyTorch's optimizers (SGD, Adam, AdamW, RMSprop, Adagrad) written out in tfjs ops. Their
 * settings are checked in optimizerConfig.ts; clipping and the L1/L2 penalty are in gradients.ts
 * (re-exported here, where users look for them).
 *
 * Not `tf.train.*`: tfjs' Adam and RMSprop put epsilon in other places than torch.optim
 * (and have no dampening, centered momentum or decoupled decay), so the same numbers would
 * train differently from the PyTorch course a user follows. The update rules below are the
 * pseudo-code of the torch.optim docs, step for step.
 *
 * State lives per parameter *key* — a stable name that survives model rebuilds — so an edit
 * to the JSX that rebuilds the tfjs model keeps Adam's moments for every weight that kept
 * its name and shape.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../errors';
import {
  type Family,
  fail,
  familyOf,
  OPTIMIZER_TYPES,
  type OptimizerConfig,
  type OptimizerType,
  type OptionKey,
  type Param,
  type ResolvedOptimizerConfig,
  resolveConfig,
  type Slot,
  slotsOf,
  usesOption,
} from './optimizerConfig';

export { clipGradNorm, clipGradValue, globalNorm, regularizationPenalty } from './gradients';
export {
  type Family,
  familyOf,
  OPTIMIZER_TYPES,
  type OptimizerConfig,
  type OptimizerType,
  type Param,
  type ResolvedOptimizerConfig,
  type Slot,
  slotsOf,
} from './optimizerConfig';

/** One parameter's optimizer state as plain data (see {@link Optimizer.exportState}). */
export interface ExportedParamState {
  key: string;
  step: number;
  shape: number[];
  slots: Partial<Record<Slot, Float32Array>>;
}

interface ParamState {
  family: Family;
  /** Steps taken for this parameter (torch's per-parameter `state['step']`). */
  step: number;
  shape: number[];
  slots: Map<Slot, tf.Variable>;
}

function disposeState(state: ParamState): void {
  for (const v of state.slots.values()) v.dispose();
  state.slots.clear();
}

/**
 * An optimizer with PyTorch's update rules, holding its state per parameter key.
 * Create it with {@link createOptimizer}.
 *
 * @see https://pytorch.org/docs/stable/optim.html
 */
export class Optimizer {
  #config: ResolvedOptimizerConfig;
  #given: Record<string, unknown>;
  #path: string;
  #state = new Map<string, ParamState>();
  #external: Record<string, number> | null = null;
  #stepCount = 0;
  #disposed = false;
  /**
   * The config's constant factors (lr, momentum, betas…) as kept scalar tensors: a number in an op
   * becomes a new tensor each time, which on WebGL/WebGPU is an upload per parameter per step
   * (tf.train's optimizers keep theirs too). Emptied whenever the config changes.
   */
  #scalars = new Map<number, tf.Scalar>();
  readonly #constant = (value: number): tf.Scalar => {
    let t = this.#scalars.get(value);
    if (!t) {
      t = tf.keep(tf.scalar(value));
      this.#scalars.set(value, t);
    }
    return t;
  };

  /** @param path prefix for error messages, e.g. `createTrainer > optimizer`. */
  constructor(config: OptimizerConfig, path = 'createOptimizer') {
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      fail(path, `the optimizer must be an object like { type: 'adam', lr: 0.001 } (got ${describe(config)})`);
    }
    this.#path = path;
    this.#given = { ...config };
    this.#config = resolveConfig(this.#given, path);
  }

  /** The settings in effect, with torch's defaults filled in. */
  get config(): Readonly<ResolvedOptimizerConfig> {
    return this.#config;
  }

  /** How many times {@link Optimizer.step} has run. */
  get stepCount(): number {
    return this.#stepCount;
  }

  /** Options that were given but that the current type does not use (e.g. `momentum` for adam). */
  get unusedOptions(): string[] {
    return Object.keys(this.#given).filter(
      (k) => k !== 'type' && this.#given[k] !== undefined && !usesOption(this.#config.type, k as OptionKey),
    );
  }

  /**
   * Changes settings live; the next {@link Optimizer.step} uses them. Changing `type` keeps the
   * weights and the options you gave that the new type uses, and drops state the new type
   * cannot use (Adam ↔ AdamW keep their moments). An invalid change throws and changes nothing.
   */
  setConfig(partial: Partial<OptimizerConfig>): void {
    if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
      fail(this.#path, `setConfig takes an object such as { lr: 0.001 } (got ${describe(partial)})`);
    }
    const oldType = this.#config.type;
    const newType = (partial.type ?? oldType) as OptimizerType;
    let base = this.#given;
    if (
      newType !== oldType &&
      typeof newType === 'string' &&
      (OPTIMIZER_TYPES as readonly string[]).includes(newType)
    ) {
      // Carry over only what the user set that the new type reads: defaults differ per type
      // (eps is 1e-8 for Adam, 1e-10 for Adagrad) and must not leak across.
      base = Object.fromEntries(
        Object.entries(this.#given).filter(([k]) => k === 'lr' || usesOption(newType, k as OptionKey)),
      );
    }
    const given = { ...base, ...partial, type: newType };
    const config = resolveConfig(given, this.#path);
    this.#given = given;
    this.#config = config;
    this.#dropConstants();
    const family = familyOf(config.type);
    const keep = new Set(slotsOf(config));
    for (const [key, state] of this.#state) {
      if (state.family !== family) {
        disposeState(state);
        this.#state.delete(key);
        continue;
      }
      for (const [slot, v] of state.slots) {
        if (!keep.has(slot)) {
          v.dispose();
          state.slots.delete(slot);
        }
      }
    }
  }

  /**
   * One update of every parameter from its gradient, in place (`variable.assign`). Gradients
   * are read, not disposed. A parameter whose shape changed since its last step starts over
   * with fresh state.
   */
  step(params: readonly Param[], grads: readonly tf.Tensor[]): void {
    const path = this.#path;
    if (this.#disposed) throw new ReactNNError('state', path, 'step() after dispose() — create a new optimizer');
    if (!Array.isArray(params) || !Array.isArray(grads)) {
      fail(path, `step(params, grads) takes two arrays (got ${describe(params)} and ${describe(grads)})`);
    }
    if (params.length !== grads.length) {
      throw new ReactNNError(
        'shape',
        path,
        `step got ${params.length} parameters but ${grads.length} gradients — pass one gradient per parameter, in the same order`,
      );
    }
    const seen = new Set<string>();
    params.forEach((p, i) => {
      const g = grads[i];
      if (!p || typeof p.key !== 'string' || !(p.variable instanceof tf.Variable)) {
        fail(
          path,
          `parameter ${i} must be { key: string, variable: tf.Variable, decay: boolean } (got ${describe(p)})`,
        );
      }
      if (seen.has(p.key)) fail(path, `two parameters share the key ${JSON.stringify(p.key)} — keys must be unique`);
      seen.add(p.key);
      if (!(g instanceof tf.Tensor))
        fail(path, `the gradient of ${JSON.stringify(p.key)} is not a tensor (got ${describe(g)})`);
      if (!sameShape(g.shape, p.variable.shape)) {
        throw new ReactNNError(
          'shape',
          path,
          `the gradient of ${JSON.stringify(p.key)} has shape [${g.shape.join(', ')}] but the parameter has [${p.variable.shape.join(', ')}]`,
        );
      }
    });

    this.#stepCount += 1;
    const config = this.#config;
    tf.tidy(() => {
      params.forEach((p, i) => {
        const state = this.#stateFor(p, config);
        state.step += 1;
        update(config, state, p.variable, grads[i] as tf.Tensor, this.#constant);
      });
    });
  }

  /** Disposes the state of every parameter whose key is not in `liveKeys` (e.g. after a layer was removed). */
  prune(liveKeys: ReadonlySet<string>): void {
    for (const [key, state] of this.#state) {
      if (!liveKeys.has(key)) {
        disposeState(state);
        this.#state.delete(key);
      }
    }
  }

  /** The keys that have state, in the order they were first stepped. */
  stateKeys(): string[] {
    return [...this.#state.keys()];
  }

  /**
   * Steps taken per parameter key (torch's `state['step']`): shows which state survived a rebuild.
   * While a fused engine trains, its kernel holds the state, and this reports the kernel's counts.
   */
  paramSteps(): Record<string, number> {
    if (this.#external) return { ...this.#external };
    return Object.fromEntries([...this.#state].map(([k, s]) => [k, s.step]));
  }

  /**
   * The state of every parameter as plain arrays — what a fused engine starts from when it takes
   * over training from this optimizer. Only the slots the current settings read are included.
   */
  exportState(): ExportedParamState[] {
    const keep = new Set(slotsOf(this.#config));
    return [...this.#state].map(([key, st]) => {
      const slots: Partial<Record<Slot, Float32Array>> = {};
      for (const [slot, v] of st.slots) if (keep.has(slot)) slots[slot] = v.dataSync() as Float32Array;
      return { key, step: st.step, shape: [...st.shape], slots };
    });
  }

  /**
   * Replaces all state with `states` (a fused engine handing training back): the inverse of
   * {@link exportState}. Slots are created as this optimizer's own variables.
   */
  importState(states: readonly ExportedParamState[]): void {
    checkExported(states, `${this.#path} > importState`);
    for (const state of this.#state.values()) disposeState(state);
    this.#state.clear();
    this.#external = null;
    const family = familyOf(this.#config.type);
    for (const e of states) {
      const state: ParamState = { family, step: e.step, shape: [...e.shape], slots: new Map() };
      for (const [slot, values] of Object.entries(e.slots) as [Slot, Float32Array][]) {
        const initial = tf.tensor(values, e.shape);
        state.slots.set(slot, tf.variable(initial, false));
        initial.dispose();
      }
      this.#state.set(e.key, state);
    }
  }

  /**
   * @internal While a fused engine trains, the step counts its kernel reports (null: this
   * optimizer's own state is current again).
   */
  setExternalSteps(steps: Record<string, number> | null): void {
    this.#external = steps;
  }

  /** Frees every state tensor. The optimizer cannot step afterwards. Safe to call twice. */
  dispose(): void {
    for (const state of this.#state.values()) disposeState(state);
    this.#state.clear();
    this.#dropConstants();
    this.#disposed = true;
  }

  /** @internal How many constant scalars the optimizer keeps (tests count its tensors). */
  get heldConstants(): number {
    return this.#scalars.size;
  }

  #dropConstants(): void {
    for (const t of this.#scalars.values()) t.dispose();
    this.#scalars.clear();
  }

  #stateFor(p: Param, config: ResolvedOptimizerConfig): ParamState {
    const family = familyOf(config.type);
    const old = this.#state.get(p.key);
    if (old && old.family === family && sameShape(old.shape, p.variable.shape)) return old;
    // New parameter, or its shape changed in a rebuild: moments of another shape mean nothing.
    if (old) disposeState(old);
    const state: ParamState = { family, step: 0, shape: [...p.variable.shape], slots: new Map() };
    this.#state.set(p.key, state);
    return state;
  }
}

const SLOTS: readonly Slot[] = ['momentumBuffer', 'expAvg', 'expAvgSq', 'squareAvg', 'gradAvg', 'sum'];

/** Checks state for importState before anything is replaced, so a bad one changes nothing. */
function checkExported(states: unknown, path: string): void {
  if (!Array.isArray(states)) fail(path, `expected an array like exportState() returns (got ${describe(states)})`);
  const keys = new Set<string>();
  states.forEach((e: Partial<ExportedParamState> | null, i) => {
    const at = `entry ${i}${typeof e?.key === 'string' && e.key !== '' ? ` (${JSON.stringify(e.key)})` : ''}`;
    if (!e || typeof e.key !== 'string' || e.key === '') fail(path, `${at} needs a non-empty string key`);
    if (keys.has(e.key)) fail(path, `${at}: two entries share the key — keys must be unique`);
    keys.add(e.key);
    if (!Number.isInteger(e.step) || (e.step as number) < 0) {
      fail(path, `${at}: step must be an integer ≥ 0 (got ${describe(e.step)})`);
    }
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d > 0)) {
      fail(path, `${at}: shape must be an array of positive integers (got ${describe(e.shape)})`);
    }
    const size = e.shape.reduce((a, b) => a * b, 1);
    for (const [slot, values] of Object.entries(e.slots ?? {})) {
      if (!SLOTS.includes(slot as Slot)) fail(path, `${at}: unknown slot "${slot}" — slots are ${SLOTS.join(', ')}`);
      if (!(values instanceof Float32Array) || values.length !== size) {
        fail(path, `${at}: slot ${slot} must be a Float32Array of ${size} values for shape [${e.shape.join(', ')}]`);
      }
    }
  });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Writes a state slot. The first write creates a non-trainable variable (tf.variable keeps
 * its own reference, so the tidy around step() may free the initial value); later writes
 * assign, so the tensor count stays flat across steps.
 */
function setSlot(state: ParamState, slot: Slot, value: tf.Tensor): tf.Variable {
  const v = state.slots.get(slot);
  if (v) {
    v.assign(value);
    return v;
  }
  const created = tf.variable(value, false);
  state.slots.set(slot, created);
  return created;
}

function slotOr(state: ParamState, slot: Slot, init: () => tf.Tensor): tf.Tensor {
  return state.slots.get(slot) ?? init();
}

/** An exponential moving average slot, starting from zeros: s ← decay·s + (1 − decay)·x. */
function emaSlot(
  state: ParamState,
  slot: Slot,
  p: tf.Tensor,
  x: tf.Tensor,
  decay: number,
  k: (value: number) => tf.Scalar,
): tf.Variable {
  const prev = slotOr(state, slot, () => tf.zerosLike(p));
  return setSlot(state, slot, tf.add(tf.mul(prev, k(decay)), tf.mul(x, k(1 - decay))));
}

/**
 * One parameter's update; runs inside the tidy of step(), so temporaries are freed. `k` gives a
 * config constant as a kept scalar (SGD's and Adam's fixed factors; per-step ones stay numbers).
 */
function update(
  config: ResolvedOptimizerConfig,
  state: ParamState,
  p: tf.Variable,
  grad: tf.Tensor,
  k: (value: number) => tf.Scalar,
): void {
  const { lr, weightDecay: wd } = config;
  switch (config.type) {
    case 'sgd': {
      // g ← g + λθ;  b ← μb + (1−τ)g (b₁ = g);  g ← g + μb (nesterov) or b;  θ ← θ − γg
      let g = wd !== 0 ? tf.add(grad, tf.mul(p, k(wd))) : grad;
      const mu = config.momentum;
      if (mu !== 0) {
        const old = state.slots.get('momentumBuffer');
        const b = setSlot(
          state,
          'momentumBuffer',
          old ? tf.add(tf.mul(old, k(mu)), tf.mul(g, k(1 - config.dampening))) : g,
        );
        g = config.nesterov ? tf.add(g, tf.mul(b, k(mu))) : b;
      }
      p.assign(tf.sub(p, tf.mul(g, k(lr))));
      return;
    }
    case 'adam':
    case 'adamw': {
      // adamw: θ ← θ(1 − γλ) first; adam: g ← g + λθ.  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
      // θ ← θ − γ·m̂/(√v̂ + ε), with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
      const [b1, b2] = config.betas;
      const t = state.step;
      let theta: tf.Tensor = p;
      let g = grad;
      if (config.type === 'adamw') {
        if (wd !== 0) theta = tf.mul(p, k(1 - lr * wd));
      } else if (wd !== 0) {
        g = tf.add(grad, tf.mul(p, k(wd)));
      }
      const m = emaSlot(state, 'expAvg', p, g, b1, k);
      const v = emaSlot(state, 'expAvgSq', p, tf.square(g), b2, k);
      // The bias corrections change every step: numbers.
      const mHat = tf.div(m, 1 - b1 ** t);
      const vHat = tf.div(v, 1 - b2 ** t);
      p.assign(tf.sub(theta, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), k(config.eps))), k(lr))));
      return;
    }
    case 'rmsprop': {
      // g ← g + λθ;  v ← αv + (1−α)g²;  centered: ḡ ← αḡ + (1−α)g, ṽ = v − ḡ²;
      // momentum: b ← μb + g/(√ṽ + ε), θ ← θ − γb;  else θ ← θ − γg/(√ṽ + ε)
      const { alpha, eps, momentum: mu } = config;
      const g = wd !== 0 ? tf.add(grad, tf.mul(p, wd)) : grad;
      const v = emaSlot(state, 'squareAvg', p, tf.square(g), alpha, k);
      let vTilde: tf.Tensor = v;
      if (config.centered) {
        const gAvg = emaSlot(state, 'gradAvg', p, g, alpha, k);
        vTilde = tf.sub(v, tf.square(gAvg));
      }
      const scaled = tf.div(g, tf.add(tf.sqrt(vTilde), eps));
      if (mu > 0) {
        const b = setSlot(
          state,
          'momentumBuffer',
          tf.add(
            tf.mul(
              slotOr(state, 'momentumBuffer', () => tf.zerosLike(p)),
              mu,
            ),
            scaled,
          ),
        );
        p.assign(tf.sub(p, tf.mul(b, lr)));
      } else {
        p.assign(tf.sub(p, tf.mul(scaled, lr)));
      }
      return;
    }
    case 'adagrad': {
      // γ̃ ← γ/(1 + (t−1)η);  g ← g + λθ;  s ← s + g²;  θ ← θ − γ̃ g/(√s + ε)
      const t = state.step;
      const clr = lr / (1 + (t - 1) * config.lrDecay);
      const g = wd !== 0 ? tf.add(grad, tf.mul(p, wd)) : grad;
      const init = config.initialAccumulatorValue;
      const s = setSlot(
        state,
        'sum',
        tf.add(
          slotOr(state, 'sum', () => tf.fill(p.shape, init)),
          tf.square(g),
        ),
      );
      p.assign(tf.sub(p, tf.mul(tf.div(g, tf.add(tf.sqrt(s), config.eps)), clr)));
      return;
    }
  }
}

/**
 * Creates an {@link Optimizer}, validating the config: `lr` a positive number, `betas` in
 * [0, 1), `eps` > 0, `momentum` ≥ 0, `nesterov` only with momentum > 0 and dampening 0, and a
 * known `type`. Defaults are torch.optim's.
 *
 * @param path prefix for error messages, e.g. `createTrainer > optimizer`.
 * @example createOptimizer({ type: 'adam', lr: 0.001 })
 * @see https://pytorch.org/docs/stable/optim.html#algorithms
 */
export function createOptimizer(config: OptimizerConfig, path = 'createOptimizer'): Optimizer {
  return new Optimizer(config, path);
}
