// Charts and views of models, training and data: React components over the core stores.
// Styles ship with the components; theme.css holds the CSS variables (light and dark).

export type { ActivationPlotProps } from './activation';
export { ActivationPlot, activationCurves } from './activation';
export type { Dag, DagNode, ModelGraphProps, ModelSummaryProps } from './architecture';
export { ModelGraph, ModelSummary, toDag } from './architecture';
export type { DecisionBoundaryProps, FitPlotProps } from './boundary';
export { DecisionBoundary, FitPlot } from './boundary';
export type { HistoryChartProps, HistoryInput, StepSeries } from './charts';
export { LossChart, MetricsChart } from './charts';
export type { DataInput, ModelInput, VizProps } from './common';
export type { ProgressBarProps, TrainingControlsProps } from './controls';
export { ProgressBar, TrainingControls } from './controls';
export type { ConfusionMatrixProps, EvaluationSource, RocCurveProps } from './evaluation';
export { ConfusionMatrix, RocCurve } from './evaluation';
export type { FilterGridProps } from './filters';
export { FilterGrid } from './filters';
export type { GradientMagnitudesProps, LayerGradient } from './gradients';
export { GradientMagnitudes } from './gradients';
export type { NetworkPoint, NetworkViewProps } from './network';
export { NetworkView } from './network';
export type { PredictionScatterProps } from './prediction';
export { PredictionScatter } from './prediction';
export type { LossSparklineProps, SparkPoint } from './sparkline';
export { LossSparkline } from './sparkline';
export type { VizTheme } from './theme';
export { CIVIDIS, OKABE_ITO, readTheme, VIRIDIS } from './theme';
export type { BoundaryTimelineProps, TimelineFrame } from './timeline';
export { BoundaryTimeline } from './timeline';
export type { LayerParams, ParamsViewProps, ParamValues, WeightHistogramProps } from './weights';
export { ParamsView, readParams, WeightHistogram } from './weights';
