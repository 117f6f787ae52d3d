/**
 * What a trainer trains on, and whether a model fits it: resolving `data` / `validationSplit`
 * into training and validation sets (made, not installed — so a refused change costs nothing),
 * and checking a graph's input and output against the data and the loss.
 */
import type { Dataset } from '../data/dataset';
import { describe, ReactNNError } from '../errors';
import type { AnalyzedGraph, AnalyzedNode } from '../graph/types';
import { deriveSeed } from '../random';
import { checkTargets, lossAdvice, type ResolvedLoss } from './losses';
import { isDataset, type TrainerOptions } from './trainerOptions';

const PATH = 'createTrainer';

/** A trainer's training and validation sets, and the ones it made itself (splits) and must dispose. */
export interface ResolvedData {
  train: Dataset;
  val: Dataset | undefined;
  owned: Dataset[];
}

/** The sets `data` and `validationSplit` give (a split is seeded from `seed`), or a ReactNNError. */
export function resolveData(
  data: TrainerOptions['data'],
  validationSplit: number | undefined,
  seed: number,
): ResolvedData {
  const path = `${PATH} > data`;
  let train: Dataset;
  let val: Dataset | undefined;
  if (isDataset(data)) {
    train = data;
  } else if (data && typeof data === 'object' && isDataset((data as { train: Dataset }).train)) {
    train = (data as { train: Dataset }).train;
    val = (data as { val?: Dataset }).val;
    if (val !== undefined && !isDataset(val))
      throw new ReactNNError('option', path, `val must be a Dataset (got ${describe(val)})`);
  } else {
    throw new ReactNNError(
      'option',
      path,
      `data must be a Dataset (e.g. datasets.moons()) or { train, val } of Datasets (got ${describe(data)})`,
    );
  }
  if (train.isDisposed) throw new ReactNNError('data', path, 'the training Dataset was disposed');
  if (val?.isDisposed) throw new ReactNNError('data', path, 'the validation Dataset was disposed');
  if (val && JSON.stringify(val.inputShape) !== JSON.stringify(train.inputShape)) {
    throw new ReactNNError(
      'data',
      path,
      `validation examples have shape [${val.inputShape.join(', ')}] but training examples [${train.inputShape.join(', ')}]`,
    );
  }
  if (validationSplit !== undefined && validationSplit > 0) {
    if (val) throw new ReactNNError('option', PATH, 'give either data.val or validationSplit, not both');
    const split = train.split(validationSplit, {
      seed: deriveSeed(seed, 'split'),
      stratify: train.numClasses !== undefined,
    });
    return { train: split.train, val: split.val, owned: [split.train, split.val] };
  }
  return { train, val, owned: [] };
}

/**
 * Whether a graph fits the training data and the loss: a ReactNNError naming both shapes, or
 * null with `advice` (a final Softmax before crossEntropy…) for the trainer to warn about.
 */
export function checkGraph(
  graph: AnalyzedGraph,
  train: Dataset,
  loss: ResolvedLoss,
): { error: ReactNNError | null; advice: string | null } {
  const inShape = graph.inputShape;
  if (JSON.stringify([...inShape]) !== JSON.stringify([...train.inputShape])) {
    const error = new ReactNNError(
      'shape',
      PATH,
      `the model takes inputs of shape [${inShape.join(', ')}] but the data's examples are [${train.inputShape.join(', ')}] — set inputShape={[${train.inputShape.join(', ')}]}`,
    );
    return { error, advice: null };
  }
  const last = lastLeaf(graph.root);
  const message = checkTargets(loss, graph.outputShape, train.targetShape, train.numClasses);
  if (message) {
    return {
      error: new ReactNNError('shape', `${PATH} > loss`, `${message} (last layer: ${last.path})`),
      advice: null,
    };
  }
  return { error: null, advice: lossAdvice(loss, last.node.type, last.path) };
}

function lastLeaf(node: AnalyzedNode): AnalyzedNode {
  const last = node.children.at(-1);
  return last ? lastLeaf(last) : node;
}
