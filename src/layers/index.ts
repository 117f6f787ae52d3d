// The built-in layers, one file per family, and the public API for defining more.

export type {
  BentIdentityProps,
  ELUProps,
  GELUProps,
  LeakyReLUProps,
  PReLUProps,
  ReLUProps,
  SigmoidProps,
  SoftmaxProps,
  TanhProps,
} from './activation';
export { BentIdentity, ELU, GELU, LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Tanh } from './activation';
// Sequence models, composition, transfer learning and the custom-layer examples.
export type { AddProps, Combine, ConcatProps, ParallelProps, ResidualProps } from './composition';
export { Add, Concat, Parallel, Residual } from './composition';
export type { SequentialProps } from './containers';
export { Sequential } from './containers';
export type { Conv2dProps } from './conv';
export { Conv2d } from './conv';
export type { DropoutProps, FlattenProps, IdentityProps, LinearProps } from './core';
export { Dropout, Flatten, Identity, Linear } from './core';
export type {
  Apply,
  BuildContext,
  CommonProps,
  DefinedLayer,
  FusedActivation,
  LayerComponent,
  LayerDefinition,
  OwnProps,
  PropSchema,
  Resolved,
  WeightProps,
} from './define';
export { defineLayer, getLayer, layerTypes } from './define';
export type {
  SoftExponential2Props,
  SoftExponentialLayerArgs,
  SoftExponentialProps,
} from './examples/softExponential';
export {
  SoftExponential,
  SoftExponential2,
  SoftExponentialLayer,
  softExponential,
} from './examples/softExponential';
export type { BatchNorm1dProps, BatchNorm2dProps, BatchNormProps } from './norm';
export { BatchNorm1d, BatchNorm2d } from './norm';
export { isPendingResource, PendingResource } from './pending';
export type { AvgPool2dProps, MaxPool2dProps, Pool2dProps } from './pool';
export { AvgPool2d, MaxPool2d } from './pool';
export type { PretrainedInfo, PretrainedLayerInfo, PretrainedProps, PretrainedSource } from './pretrained';
export { clearPretrainedCache, loadPretrained, Pretrained } from './pretrained';
export type { InitFunction, InitName, InitSpec, Prop } from './props';
export { prop } from './props';
export type {
  EmbeddingProps,
  GRUProps,
  LSTMProps,
  RecurrentProps,
  RNNProps,
  TimeDistributedProps,
} from './recurrent';
export { Embedding, GRU, LSTM, RNN, recurrentParams, TimeDistributed } from './recurrent';
export type { RecurrentLayerArgs, RecurrentMode } from './tfRecurrent';
export { RecurrentLayer } from './tfRecurrent';
