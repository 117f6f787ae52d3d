import type * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../../errors';
import type { AnalyzedGraph } from '../../graph/types';
import { Net } from '../../runtime/net';
import { Trainer } from '../../training/trainer';

/** What the hand-off functions take: a live model, a `renderModel` result, or a trainer (its model and settings). */
export type ExportSource = Net | { readonly net: Net } | Trainer;

/** A source resolved to the pieces every exporter reads. */
export interface ResolvedSource {
  readonly net: Net;
  readonly model: tf.LayersModel;
  readonly graph: AnalyzedGraph;
  readonly trainer: Trainer | null;
}

/** Resolves a source, refusing anything without a built model with a ReactNNError naming `api`. */
export function resolveSource(source: ExportSource, api: string): ResolvedSource {
  const trainer = source instanceof Trainer ? source : null;
  const net =
    source instanceof Net
      ? source
      : source && typeof source === 'object' && (source as { net?: unknown }).net instanceof Net
        ? (source as { net: Net }).net
        : null;
  if (!net) {
    throw new ReactNNError(
      'option',
      api,
      `expected a model (a renderModel result, a useModel() handle or a Net) or a Trainer (got ${describe(source)})`,
    );
  }
  const { model, graph } = net.getSnapshot();
  if (!model || !graph) {
    throw new ReactNNError('state', api, 'the model has not been built yet — await net.ready() (or renderModel) first');
  }
  return { net, model, graph, trainer };
}
