/**
 * react-nn: neural networks as React JSX, compiled into live TensorFlow.js models.
 * The React-free core is also published alone as `react-nn/core`.
 */

export * from './core';
export * from './playground/index';
export * from './react/index';
export * from './viz/index';
// Components named like core types (ModelSummary, RocCurve): the viz export carries both meanings.
export { ModelSummary, RocCurve } from './viz/index';
