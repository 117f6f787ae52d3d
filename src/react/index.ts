// The React adapter: <Model>, headless renderModel, and thin hooks over the core stores.

export type { Store } from '../viz/useStore';
export { useStore } from '../viz/useStore';
export { NetContext } from './context';
export type { ModelProps } from './Model';
export { Model } from './Model';
export type { RenderedModel, RenderModelOptions } from './renderModel';
export { renderModel } from './renderModel';
export type { UseCheckpointResult, UseResumableTrainerResult } from './useCheckpoint';
export { useCheckpoint, useResumableTrainer } from './useCheckpoint';
export type { SplitData, UseDatasetOptions } from './useDataset';
export { useDataset } from './useDataset';
export { useMetrics } from './useMetrics';
export { useModel } from './useModel';
export { usePredict } from './usePredict';
export type { TrainerData, UseTrainerAllOptions, UseTrainerOptions } from './useTrainer';
export { useTrainer } from './useTrainer';
