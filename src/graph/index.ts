export { analyzeGraph, walk } from './analyze';
export { joinId, joinPath, nthOfTypeIndices, segmentId, segmentLabel } from './path';
export type { RuleContext, RuleLookup, ShapeContext, ShapeRule } from './rules';
export { formatSummary, summarize } from './summary';
export type { AnalyzedGraph, AnalyzedNode, GraphNode, ModelSummaryData, ParamCount, Shape, SummaryRow } from './types';
