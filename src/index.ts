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
  UseResumableTrainerResult,
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
  useResumableTrainer,
  useStore,
  useTrainer,
} from './react/index';
// Charts and views
export type {
  ActivationPlotProps,
  BoundaryTimelineProps,
  ConfusionMatrixProps,
  Dag,
  DagNode,
  DataInput,
  DecisionBoundaryProps,
  EvaluationSource,
  FilterGridProps,
  FitPlotProps,
  GradientMagnitudesProps,
  HistoryChartProps,
  HistoryInput,
  LayerGradient,
  LayerParams,
  LossSparklineProps,
  ModelGraphProps,
  ModelInput,
  ModelSummaryProps,
  NetworkPoint,
  NetworkViewProps,
  ParamsViewProps,
  ParamValues,
  PredictionScatterProps,
  ProgressBarProps,
  RocCurveProps,
  SparkPoint,
  StepSeries,
  TimelineFrame,
  TrainingControlsProps,
  VizProps,
  VizTheme,
  WeightHistogramProps,
} from './viz/index';
export {
  ActivationPlot,
  activationCurves,
  BoundaryTimeline,
  CIVIDIS,
  ConfusionMatrix,
  DecisionBoundary,
  FilterGrid,
  FitPlot,
  GradientMagnitudes,
  LossChart,
  LossSparkline,
  MetricsChart,
  ModelGraph,
  ModelSummary,
  NetworkView,
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
