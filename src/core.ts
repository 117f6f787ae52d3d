/**
 * `react-nn/core`: everything that runs without React — graph analysis, layers, compiling,
 * training, data. Use it in workers, servers and scripts (the TanStack query-core split).
 */

export * from './data/index';
export type { ReactNNErrorCode } from './errors';
export { isReactNNError, ReactNNError } from './errors';
export * from './graph/index';
export * from './io/index';
export * from './layers/index';
export * from './runtime/index';
export * from './training/index';
