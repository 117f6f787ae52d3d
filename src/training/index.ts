// The framework-agnostic training core: Trainer, losses, optimizers, metrics, callbacks, schedules.

export type {
  Callback,
  CallbackContext,
  CallbackState,
  EarlyStoppingCallback,
  EarlyStoppingOptions,
  LrScheduleCallback,
} from './callbacks';
export { earlyStopping, lrSchedule } from './callbacks';
export type { ChunkRequest, ChunkResult, EngineInfo, StepConfig, TrainingEngine } from './engines/types';
export type { LossExpects, LossFn, LossName, LossSpec, LossTargets, ResolvedLoss } from './losses';
export { checkTargets, LOSS_NAMES, resolveLoss } from './losses';
export type { ClassificationOptions, MetricInput, MetricName, ResolvedMetric, RocCurveData } from './metrics';
export {
  accuracy,
  auc,
  computeMetrics,
  confusionMatrix,
  f1,
  METRIC_NAMES,
  mae,
  precision,
  r2,
  recall,
  resolveMetric,
  rocCurve,
} from './metrics';
export type { OptimizerConfig, OptimizerType, Param, ResolvedOptimizerConfig } from './optimizers';
export {
  clipGradNorm,
  clipGradValue,
  createOptimizer,
  globalNorm,
  OPTIMIZER_TYPES,
  Optimizer,
  regularizationPenalty,
} from './optimizers';
export type { EpochLogs, LRSchedule, LrSchedule, ScheduleState } from './schedules';
export { cosineAnnealingLR, exponentialLR, reduceLROnPlateau, stepLR } from './schedules';
export type {
  EngineName,
  History,
  NetLike,
  TrainerOptions,
  TrainerOptionsPatch,
  TrainerSnapshot,
  TrainerStatus,
} from './trainer';
export { createTrainer, Trainer } from './trainer';
export { TRAINER_OPTION_KEYS } from './trainerOptions';
export type { ResumeSource, SavedNumber, TrainerState, TrainerStateJSON } from './trainerState';
export type { SavedTensor, WeightSnapshot } from './weights';
export { restoreWeights, snapshotWeights } from './weights';
