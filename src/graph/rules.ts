import type { ReactNNErrorCode } from '../errors';
import type { ParamCount, Shape } from './types';

/**
 * What the analyser needs to know about a layer type, without tfjs: how to check its
 * props, what shape it outputs and how many parameters it has. `layers/define.ts`
 * produces these from `defineLayer` definitions.
 */
export interface ShapeRule {
  readonly type: string;
  /** Containers (Sequential, Residual, …) take layer children; leaves must have none. */
  readonly container: boolean;
  /** Checks raw props and returns them with defaults filled in. Throws ReactNNError via `fail`. */
  normalizeProps(props: Readonly<Record<string, unknown>>, ctx: RuleContext): Record<string, unknown>;
  outputShape(props: Record<string, unknown>, input: Shape, ctx: ShapeContext): Shape;
  params(props: Record<string, unknown>, input: Shape): ParamCount;
  /** Whether the layer has weights (and so takes weightInit, biasInit, trainable). */
  readonly hasWeights: boolean;
}

export interface RuleContext {
  /** Human path of the node: `Sequential > Conv2d[0]`. */
  readonly path: string;
  /** Throws a ReactNNError at this node's path. */
  fail(message: string, code?: ReactNNErrorCode): never;
}

export interface ShapeContext extends RuleContext {
  /** Containers only: runs the children one after another from `input` and returns the last output. */
  chain(input: Shape): Shape;
  /** Containers only: applies each child to `input` separately (branches) and returns their outputs. */
  branches(input: Shape): Shape[];
  /** The layer whose output this node receives (null for the model input), so shape errors can name both layers. */
  readonly source: { readonly path: string; readonly type: string } | null;
  /** Number of layer children (containers). */
  readonly childCount: number;
  /** Containers: each layer child's path, in order — so a branch mismatch (`<Add>`) can name both branches. */
  readonly childPaths: readonly string[];
}

export type RuleLookup = (type: string) => ShapeRule | undefined;
