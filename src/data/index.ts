/**
 * react-nn data: Datasets (tensors they own), generators, CSV and array loaders, MNIST and
 * small embedded real data sets. Knows tfjs, never React.
 */
import { breastCancer, iris, penguins, wine } from './builtin';
import { circles, gaussians, housePrices, moons, multiLabel, spiral, xor } from './generators';
import { mnist } from './mnist';
import { sentiment, sineWave } from './sequences';

/**
 * Every built-in data set, synthetic and real. All are seeded (default seed 0) and return
 * a Dataset, except `mnist`, which loads its package on demand and returns a Promise.
 * @example
 * const ds = datasets.moons({ n: 1000, noise: 0.3, seed: 1 });
 */
export const datasets = /* @__PURE__ */ Object.freeze({
  moons,
  circles,
  xor,
  gaussians,
  housePrices,
  spiral,
  multiLabel,
  mnist,
  iris,
  penguins,
  wine,
  breastCancer,
  sineWave,
  sentiment,
});

export type { PenguinsOptions } from './builtin';
export type { FromCSVOptions } from './csv';
export { fromCSV } from './csv';
export type { Batch, BatchOptions, DatasetArrays, DatasetInit, SplitOptions } from './dataset';
export { Dataset } from './dataset';
export type { ArrayInput, FromArraysOptions, NestedNumbers, ShapedArray } from './fromArrays';
export { fromArrays } from './fromArrays';
export type {
  CirclesOptions,
  GaussiansOptions,
  MoonsOptions,
  MultiLabelOptions,
  SpiralOptions,
  XorOptions,
} from './generators';
export { MULTI_LABEL_NAMES } from './generators';
export type { MnistOptions } from './mnist';
export type { NormalizerKind } from './normalize';
export { Normalizer } from './normalize';
// Sequence data: windows over series, next-token text, sine-wave and sentiment generators.
export type {
  NextTokenOptions,
  SentimentOptions,
  Series,
  SineWaveOptions,
  SlidingWindowOptions,
  VocabularyOptions,
} from './sequences';
export { nextToken, SENTIMENT_VOCABULARY, sentiment, sineWave, slidingWindows, Vocabulary } from './sequences';
export type { TargetFormat, Task } from './targets';
