import * as tf from '@tensorflow/tfjs';
import { describe } from '../errors';
import type { ShapeContext } from '../graph/rules';
import { sameShape } from '../graph/shape';
import type { Shape } from '../graph/types';
import type { BuildContext, CommonProps } from './define';
import { defineLayer } from './define';
import { prop } from './props';

/**
 * Non-linear graphs: skip connections and branches. The compiler builds a functional tfjs
 * model, so a container that applies its children to the same input (`ctx.branches`) and
 * merges them is all it takes. These layers have no weights of their own.
 */

/** How `<Parallel>` merges its branches. */
export type Combine = 'concat' | 'add' | 'mean' | 'max';

const fmt = (s: Shape) => describe([...s]);

function needChildren(type: string, ctx: ShapeContext, example: string): void {
  if (ctx.childCount === 0) {
    ctx.fail(`<${type}> needs at least one layer inside it, e.g. ${example}`, 'structure');
  }
}

/** A PyTorch-style dim over the batched tensor (−1 = last axis) → tfjs axis; the batch axis is refused. */
function concatAxis(dim: number, rank: number, ctx: ShapeContext, type: string): number {
  const batched = rank + 1;
  if (dim < -batched || dim >= batched || dim === 0 || dim === -batched) {
    ctx.fail(
      `dim ${dim} cannot join branches of rank ${rank} (${batched} with the batch dimension) — use -1 (the last axis, default) or 1 … ${rank}; ${type} never joins along the batch (dim 0)`,
    );
  }
  return dim < 0 ? batched + dim : dim;
}

/** Output shape of merging branch outputs; names both branches when they do not fit. */
function combinedShape(type: string, combine: Combine, dim: number, shapes: Shape[], ctx: ShapeContext): Shape {
  const first = shapes[0] as Shape;
  const firstPath = ctx.childPaths[0] as string;
  if (combine !== 'concat') {
    shapes.forEach((s, i) => {
      if (!sameShape(s, first)) {
        const verb = combine === 'add' ? 'adds' : combine === 'mean' ? 'averages' : 'takes the maximum of';
        ctx.fail(
          `${type} ${verb} its branches elementwise, so they must give the same shape, but branch ${firstPath} gives ${fmt(first)} and branch ${ctx.childPaths[i]} gives ${fmt(s)} — ` +
            `make their last layers output the same size (e.g. the same outFeatures), or join them side by side with <Concat>`,
          'shape',
        );
      }
    });
    return first;
  }
  const axis = concatAxis(dim, first.length, ctx, type) - 1;
  let total = 0;
  shapes.forEach((s, i) => {
    const fits = s.length === first.length && s.every((d, k) => k === axis || d === first[k]);
    if (!fits) {
      ctx.fail(
        `${type} joins its branches along dim ${dim}, so every other axis must match, but branch ${firstPath} gives ${fmt(first)} and branch ${ctx.childPaths[i]} gives ${fmt(s)} — ` +
          `make them agree on every axis but dim ${dim} (e.g. <Flatten /> both, or choose another dim)`,
        'shape',
      );
    }
    total += s[axis] as number;
  });
  return first.map((d, k) => (k === axis ? total : d));
}

/** Merges branch outputs with one tfjs layer named after the node. */
function mergeBranches(combine: Combine, dim: number, ctx: BuildContext, ys: tf.SymbolicTensor[]): tf.SymbolicTensor {
  if (ys.length === 1) return ys[0] as tf.SymbolicTensor;
  switch (combine) {
    case 'add':
      return tf.layers.add({ name: ctx.name('add') }).apply(ys) as tf.SymbolicTensor;
    case 'mean':
      return tf.layers.average({ name: ctx.name('mean') }).apply(ys) as tf.SymbolicTensor;
    case 'max':
      return tf.layers.maximum({ name: ctx.name('max') }).apply(ys) as tf.SymbolicTensor;
    case 'concat': {
      const batched = ctx.outputShape.length + 1;
      const axis = dim < 0 ? batched + dim : dim;
      return tf.layers.concatenate({ axis, name: ctx.name('concat') }).apply(ys) as tf.SymbolicTensor;
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Props of `<Residual>`: its children are f, applied in order. */
export interface ResidualProps extends CommonProps {}

/**
 * A skip connection, y = x + f(x), f being the children applied in order (as a Sequential) —
 * the `out = x + self.block(x)` of a PyTorch ResNet block. f must give back x's shape; for a
 * block that changes it, use a projection shortcut: `<Add>` with f in a `<Sequential>` as one
 * branch and a `<Linear>` (or 1×1 `<Conv2d>`) as the other.
 *
 * Input shape: any.
 * Output shape: the same.
 * @example <Residual><Linear outFeatures={16} /><ReLU /><Linear outFeatures={16} /></Residual>
 */
export const Residual = defineLayer<ResidualProps>(
  {
    type: 'Residual',
    description: 'Skip connection: x + f(x)',
    container: true,
    props: {},
    outputShape: (_p, input, ctx) => {
      needChildren(
        'Residual',
        ctx,
        '<Residual><Linear outFeatures={16} /><ReLU /></Residual> (the input must have 16 features)',
      );
      const out = ctx.chain(input);
      if (!sameShape(out, input)) {
        const last = ctx.childPaths.at(-1) as string;
        ctx.fail(
          `Residual adds its input to its layers' output, so they must have the same shape, but the input is ${fmt(input)}${ctx.source ? ` (from ${ctx.source.type}, ${ctx.source.path})` : ''} and the output is ${fmt(out)} (from ${last}) — ` +
            `make the last layer give ${fmt(input)}${input.length === 1 ? ` (outFeatures={${input[0]}})` : ''}, or use a projection shortcut: ` +
            `<Add><Sequential>…your layers…</Sequential><Linear outFeatures={${out.at(-1)}} /></Add> (a 1×1 <Conv2d> for images)`,
          'shape',
        );
      }
      return input;
    },
    build: (_p, ctx) => (x) => {
      const fx = ctx.chain(x);
      return tf.layers.add({ name: ctx.name('add') }).apply([x, fx]) as tf.SymbolicTensor;
    },
  },
  { builtin: true },
);

// ---------------------------------------------------------------------------------------------

/** Props of `<Add>`: each child is a branch applied to the same input. */
export interface AddProps extends CommonProps {}

/**
 * Sums branches: every child gets the same input and their outputs are added elementwise —
 * `a(x) + b(x)` in a PyTorch forward. Wrap several layers in a `<Sequential>` to make one
 * branch; an `<Identity />` branch is the skip connection.
 *
 * Input shape: any.
 * Output shape: the branches' (all equal).
 * @example <Add><Sequential><Linear outFeatures={8} /><ReLU /></Sequential><Linear outFeatures={8} /></Add>
 */
export const Add = defineLayer<AddProps>(
  {
    type: 'Add',
    description: 'Sums branches applied to the same input',
    container: true,
    props: {},
    outputShape: (_p, input, ctx) => {
      needChildren('Add', ctx, '<Add><Identity /><Linear outFeatures={…} /></Add>');
      return combinedShape('Add', 'add', -1, ctx.branches(input), ctx);
    },
    build: (_p, ctx) => (x) => mergeBranches('add', -1, ctx, ctx.branches(x)),
  },
  { builtin: true },
);

/** Props of `<Concat>`: each child is a branch applied to the same input. */
export interface ConcatProps extends CommonProps {
  /** Axis to join along, counted as in PyTorch over the batched tensor: −1 (default) is the last. */
  dim?: number;
}

/**
 * Joins branches side by side: every child gets the same input and their outputs are
 * concatenated along `dim` — `torch.cat([a(x), b(x)], dim=-1)`. The Inception pattern.
 *
 * Input shape: any.
 * Output shape: the branches', summed along `dim`.
 * @example <Concat><Linear outFeatures={4} /><Linear outFeatures={6} /></Concat> // → [10]
 * @see https://pytorch.org/docs/stable/generated/torch.cat.html
 */
export const Concat = defineLayer<ConcatProps>(
  {
    type: 'Concat',
    description: 'Concatenates branches applied to the same input',
    container: true,
    props: { dim: prop.integer().optional_(-1) },
    outputShape: (p, input, ctx) => {
      needChildren('Concat', ctx, '<Concat><Linear outFeatures={4} /><Linear outFeatures={6} /></Concat>');
      return combinedShape('Concat', 'concat', p.dim, ctx.branches(input), ctx);
    },
    build: (p, ctx) => (x) => mergeBranches('concat', p.dim, ctx, ctx.branches(x)),
  },
  { builtin: true },
);

/** Props of `<Parallel>`. */
export interface ParallelProps extends CommonProps {
  /** How branch outputs merge: `'concat'` (default, along `dim`), `'add'`, `'mean'` or `'max'` (elementwise). */
  combine?: Combine;
  /** For `'concat'`: the axis, as in PyTorch over the batched tensor. Default −1. */
  dim?: number;
}

/**
 * Runs its children side by side on the same input and merges them: `<Concat>` and `<Add>`
 * with the merge as a prop (`combine`), plus elementwise `'mean'` and `'max'`.
 *
 * Input shape: any.
 * Output shape: concatenated along `dim`, or the (equal) branch shape for the elementwise merges.
 * @example <Parallel combine="mean"><Linear outFeatures={4} /><Linear outFeatures={4} /></Parallel>
 */
export const Parallel = defineLayer<ParallelProps>(
  {
    type: 'Parallel',
    description: 'Applies branches to the same input and merges them',
    container: true,
    props: {
      combine: prop.oneOf<Combine>('concat', 'add', 'mean', 'max').optional_('concat'),
      dim: prop.integer().optional_(-1),
    },
    outputShape: (p, input, ctx) => {
      needChildren('Parallel', ctx, '<Parallel><Linear outFeatures={4} /><Linear outFeatures={4} /></Parallel>');
      return combinedShape('Parallel', p.combine, p.dim, ctx.branches(input), ctx);
    },
    build: (p, ctx) => (x) => mergeBranches(p.combine, p.dim, ctx, ctx.branches(x)),
  },
  { builtin: true },
);
