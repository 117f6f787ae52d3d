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
  LayerComponent,
  LayerDefinition,
  OwnProps,
  PropSchema,
  Resolved,
  WeightProps,
} from './define';
export { defineLayer, getLayer, layerTypes } from './define';
export type { BatchNorm1dProps, BatchNorm2dProps, BatchNormProps } from './norm';
export { BatchNorm1d, BatchNorm2d } from './norm';
export type { AvgPool2dProps, MaxPool2dProps, Pool2dProps } from './pool';
export { AvgPool2d, MaxPool2d } from './pool';
export type { InitFunction, InitName, InitSpec, Prop } from './props';
export { prop } from './props';
