/**
 * react-nn: neural networks as React JSX, compiled into live TensorFlow.js models.
 * The React-free core is also published alone as `react-nn/core`; this entry is the core (its one
 * list of names is core.ts) plus the React adapter and the views, listed here by name.
 */

export * from './core';
// The Playground app
export type { DecodedState, PlaygroundProps, PlaygroundState } from './playground/index';
export { DEFAULT_STATE, decodeState, encodeState, Playground } from './playground/index';
// The React adapter: <Model>, renderModel, hooks
export type {
  ModelProps,
  RenderedModel,
  RenderModelOptions,
  SplitData,
  Store,
  TrainerData,
  UseCheckpointResult,
  UseDatasetOptions,
  UseTrainerAllOptions,
  UseTrainerOptions,
} from './react/index';
export {
  Model,
  NetContext,
  renderModel,
  useCheckpoint,
  useDataset,
  useMetrics,
  useModel,
  usePredict,
  useStore,
  useTrainer,
} from './react/index';
// Charts and views
export type {
  ActivationPlotProps,
  ConfusionMatrixProps,
  Dag,
  DagNode,
  DataInput,
  DecisionBoundaryProps,
  EvaluationSource,
  FilterGridProps,
  FitPlotProps,
  HistoryChartProps,
  HistoryInput,
  LayerParams,
  ModelGraphProps,
  ModelInput,
  ModelSummaryProps,
  ParamsViewProps,
  ParamValues,
  PredictionScatterProps,
  ProgressBarProps,
  RocCurveProps,
  StepSeries,
  TrainingControlsProps,
  VizProps,
  VizTheme,
  WeightHistogramProps,
} from './viz/index';
export {
  ActivationPlot,
  activationCurves,
  CIVIDIS,
  ConfusionMatrix,
  DecisionBoundary,
  FilterGrid,
  FitPlot,
  LossChart,
  MetricsChart,
  ModelGraph,
  ModelSummary,
  OKABE_ITO,
  ParamsView,
  PredictionScatter,
  ProgressBar,
  RocCurve,
  readParams,
  readTheme,
  TrainingControls,
  toDag,
  VIRIDIS,
  WeightHistogram,
} from './viz/index';
