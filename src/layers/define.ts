import type * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../errors';
import type { RuleContext, ShapeContext, ShapeRule } from '../graph/rules';
import type { ParamCount, Shape } from '../graph/types';
import type { Initializer } from './init';
import { type InitSpec, type Prop, prop } from './props';

/** Props every layer takes. */
export interface CommonProps {
  /** A stable name: shown in summaries and keeps the layer's weights across reorders, like a key. */
  name?: string;
  /** `false` freezes this layer (or every layer inside a container): its weights stop training. */
  trainable?: boolean;
}

/** Props of every layer with weights. */
export interface WeightProps extends CommonProps {
  /** Weight initialiser. Default: PyTorch's U(−1/√fanIn, 1/√fanIn). */
  weightInit?: InitSpec;
  /** Bias initialiser. Default: PyTorch's U(−1/√fanIn, 1/√fanIn). */
  biasInit?: InitSpec;
}

/** A layer's own props: P without the common ones defineLayer adds itself. */
export type OwnProps<P> = Omit<P, keyof WeightProps>;

/** Props after validation: defaults filled, so every declared own prop has a value. */
export type Resolved<P> = { [K in keyof OwnProps<P>]-?: Exclude<OwnProps<P>[K], undefined> } & WeightProps;

/** Validators for a layer's own props (common props are added by defineLayer). */
export type PropSchema<P> = { [K in keyof OwnProps<P>]-?: Prop<Exclude<OwnProps<P>[K], undefined>> };

/** What `build` gets: names, shapes and seeded initialisers for the tfjs layers it creates. */
export interface BuildContext {
  readonly path: string;
  /** Stable identity of this node, e.g. `Sequential/Linear_1`. */
  readonly id: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly trainable: boolean;
  /**
   * Name for a tfjs layer made by this node; pass a suffix when it makes more than one.
   * Weights are carried over edits by these names, so they must not depend on anything but identity.
   */
  name(suffix?: string): string;
  /**
   * A seeded tfjs initialiser for a weight (`role: 'weight'`, default prop `weightInit`) or bias
   * (`role: 'bias'`, prop `biasInit`). `spec` overrides the prop; the PyTorch default applies when neither is set.
   */
  initializer(role: 'weight' | 'bias', fans: { fanIn: number; fanOut: number }, spec?: InitSpec): Initializer;
  /** A seed for anything else random in this layer (dropout masks). */
  readonly seed: number;
  /**
   * Layers that declare `fusesActivation`: the activation to compute inside this node's tfjs layer (its
   * `activation` arg), because the compiler folded the activation layer right after it into this one —
   * `'linear'` (none) otherwise. The folded node still gets a tfjs layer of its own name, a pass-through
   * of this layer's (already activated) output.
   */
  readonly activation: FusedActivation;
  /** Containers: applies the children in order. */
  chain(x: tf.SymbolicTensor): tf.SymbolicTensor;
  /** Containers: applies each child to `x` separately. */
  branches(x: tf.SymbolicTensor): tf.SymbolicTensor[];
}

export type Apply = (x: tf.SymbolicTensor) => tf.SymbolicTensor;

/**
 * Element-wise activations a tfjs Dense or Conv2D layer computes itself (its `activation` arg), so that
 * the compiler can fold an activation layer into the Linear/Conv2d before it. `relu` and `elu` run fused
 * with the matMul/conv kernel in inference; in training tfjs runs every one of them unfused, with the
 * gradient ops a hand-written `activation: 'relu'` layer gets.
 */
export type FusedActivation = 'linear' | 'relu' | 'elu' | 'sigmoid' | 'tanh';

/** Element-wise activations the fused training engines compute (their formulas: one table in training/). */
export type FusedActivationFn =
  | 'relu'
  | 'leakyRelu'
  | 'prelu'
  | 'elu'
  | 'gelu'
  | 'geluTanh'
  | 'tanh'
  | 'sigmoid'
  | 'bentIdentity';

/**
 * How the fused training engines run a layer (`LayerDefinition.fused`): one of the ops they
 * implement, with its settings read from the props. Tensors are NHWC, flattened per sample with
 * the channels innermost, so a layer that only reshapes (Flatten) is `identity`.
 */
export type FusedForm =
  | { op: 'identity' }
  /** Its `kernel` [in, out] and optional `bias` weights; input must be [features]. */
  | { op: 'linear' }
  /** `alpha`: LeakyReLU's slope or ELU's alpha; `weight`: the suffix of a slope weight (PReLU's `alpha`). */
  | { op: 'activation'; fn: FusedActivationFn; alpha: number; weight?: string }
  /** Masks as `tf.dropout` draws them from the DropoutLayer's seed stream. */
  | { op: 'dropout'; rate: number }
  /** Its `kernel` [kh, kw, in, out] and optional `bias`; `padding` per side or tfjs' 'same'. */
  | {
      op: 'conv2d';
      kernel: [number, number];
      stride: [number, number];
      dilation: [number, number];
      padding: [number, number] | 'same';
    }
  /** Max pads with −∞, average with zeros counted in the mean (PyTorch's count_include_pad). */
  | { op: 'pool'; kind: 'max' | 'avg'; kernel: [number, number]; stride: [number, number]; padding: [number, number] }
  /** Its `gamma`/`beta` (when affine) and `moving_mean`/`moving_variance` weights, over the last axis. */
  | { op: 'batchNorm'; momentum: number; eps: number };

/**
 * A layer definition. `P` is the props type users write in JSX — extend `CommonProps`, or
 * `WeightProps` for layers with weights; `props` validates only the layer's own keys.
 */
export interface LayerDefinition<P> {
  /** The element name in JSX and in paths: `'Linear'`. */
  type: string;
  /** One-line description for docs and summaries. */
  description?: string;
  /** Validators for the layer's own props. */
  props: PropSchema<P>;
  /** Containers take layer children (Sequential, Residual). */
  container?: boolean;
  /** Layers with weights also take weightInit / biasInit. */
  hasWeights?: boolean;
  /** Cross-prop checks and derived defaults (e.g. pool stride = kernelSize). */
  normalize?(props: Resolved<P>, ctx: RuleContext): Resolved<P>;
  /** Output shape (batch excluded) for an input shape; call `ctx.fail` when the input does not fit. */
  outputShape(props: Resolved<P>, input: Shape, ctx: ShapeContext): Shape;
  /** Own parameter count, as PyTorch counts it. A number means all trainable. Default 0. */
  params?(props: Resolved<P>, input: Shape): ParamCount | number;
  /** Creates the tfjs layers and returns how to apply them. tfjs is only touched here. */
  build(props: Resolved<P>, ctx: BuildContext): Apply;
  /**
   * Stateless element-wise activations: the tfjs activation this layer computes with these props, when a
   * preceding `fusesActivation` layer may compute it instead (null when it cannot, e.g. ELU with alpha ≠ 1).
   * Must be exactly what `build` computes.
   */
  fusedActivation?(props: Resolved<P>): FusedActivation | null;
  /**
   * The layer's `build` honours `ctx.activation`, applying it to the output of its last tfjs layer — so
   * an activation layer directly after it in a chain can be folded in (Linear, Conv2d).
   */
  fusesActivation?: boolean;
  /**
   * How the fused training engines run this layer with these props and this input — or a
   * sentence saying why they cannot (the trainer then uses the tfjs engine and reports it).
   * Without it the layer runs only on the tfjs engine. Must compute exactly what `build` does.
   */
  fused?(props: Resolved<P>, input: Shape): FusedForm | string;
}

/**
 * What JSX sees. At run time a layer component is its type string, so React treats it as a
 * host element that the react-nn reconciler receives; the type gives JSX its props.
 */
export type LayerComponent<P> = ((props: P & { children?: unknown; key?: string | number | bigint | null }) => null) & {
  readonly __reactNNLayer?: P;
};

export interface DefinedLayer<P = Record<string, unknown>> extends ShapeRule {
  readonly definition: LayerDefinition<P>;
  readonly builtin: boolean;
}

const registry = new Map<string, DefinedLayer<never>>();

const COMMON: Record<string, Prop<unknown>> = {
  name: prop.string().optional_(),
  trainable: prop.boolean().optional_(),
};
const WEIGHT: Record<string, Prop<unknown>> = {
  weightInit: prop.init().optional_(),
  biasInit: prop.init().optional_(),
};

/**
 * Defines a layer type usable in JSX. Built-in layers use this same function.
 * @example
 * const Scale = defineLayer<{ factor: number }>({
 *   type: 'Scale', props: { factor: prop.number() },
 *   outputShape: (_p, input) => input,
 *   build: (p, ctx) => (x) => tf.layers.rescaling?.({ scale: p.factor, name: ctx.name() }).apply(x),
 * });
 */
export function defineLayer<P>(definition: LayerDefinition<P>, options: { builtin?: boolean } = {}): LayerComponent<P> {
  const { type } = definition;
  if (typeof type !== 'string' || !/^[A-Z][A-Za-z0-9_]*$/.test(type)) {
    throw new ReactNNError(
      'option',
      'defineLayer',
      `type must be a capitalised identifier such as "SoftExponential" (got ${describe(type)})`,
    );
  }
  const existing = registry.get(type);
  if (existing?.builtin && !options.builtin) {
    throw new ReactNNError('option', 'defineLayer', `"${type}" is a built-in layer; choose another type name`);
  }
  if (typeof definition.outputShape !== 'function' || typeof definition.build !== 'function') {
    throw new ReactNNError('option', `defineLayer(${type})`, 'a layer needs outputShape and build functions');
  }
  const schema: Record<string, Prop<unknown>> = {
    ...COMMON,
    ...(definition.hasWeights ? WEIGHT : {}),
    ...(definition.props as Record<string, Prop<unknown>>),
  };
  const entries = Object.entries(schema);
  const rule: DefinedLayer<P> = {
    type,
    definition,
    builtin: options.builtin ?? false,
    container: definition.container ?? false,
    hasWeights: definition.hasWeights ?? false,
    normalizeProps: (raw, ctx) => {
      const out = validateProps(type, schema, entries, raw, ctx);
      return (definition.normalize ? definition.normalize(out as Resolved<P>, ctx) : out) as Record<string, unknown>;
    },
    outputShape: (props, input, ctx) => definition.outputShape(props as Resolved<P>, input, ctx),
    params: (props, input) => {
      const p = definition.params?.(props as Resolved<P>, input) ?? 0;
      return typeof p === 'number' ? { trainable: p, nonTrainable: 0 } : p;
    },
  };
  // Re-defining a user layer replaces it (hot module reload re-runs defineLayer).
  registry.set(type, rule as unknown as DefinedLayer<never>);
  return type as unknown as LayerComponent<P>;
}

function validateProps(
  type: string,
  schema: Record<string, Prop<unknown>>,
  entries: readonly [string, Prop<unknown>][],
  raw: Readonly<Record<string, unknown>>,
  ctx: RuleContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in raw) {
    if (!Object.hasOwn(schema, key)) {
      ctx.fail(`<${type}> has no prop "${key}" — valid props are ${Object.keys(schema).join(', ')}`);
    }
  }
  for (const [key, p] of entries) {
    const v = raw[key];
    if (v === undefined) {
      if (!p.optional) ctx.fail(`${key} is required: ${key} must be ${p.expected}`);
      if (p.defaultValue !== undefined) out[key] = p.defaultValue;
      continue;
    }
    if (!p.test(v)) ctx.fail(`${key} must be ${p.expected} (got ${describe(v)})`);
    out[key] = v;
  }
  return out;
}

/** The registered layer for a JSX type, if any. */
export function getLayer(type: string): DefinedLayer | undefined {
  return registry.get(type) as DefinedLayer | undefined;
}

/** Names of every registered layer, built-in first. */
export function layerTypes(): string[] {
  return [...registry.values()].sort((a, b) => Number(b.builtin) - Number(a.builtin)).map((l) => l.type);
}
