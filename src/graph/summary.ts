import { walk } from './analyze';
import type { AnalyzedGraph, ModelSummaryData } from './types';

/** The Keras/torchsummary table of an analysed graph: one row per layer, containers included. */
export function summarize(graph: AnalyzedGraph): ModelSummaryData {
  const layers: ModelSummaryData['layers'] = [];
  walk(graph.root, (n) => {
    layers.push({
      path: n.path,
      type: n.node.type,
      outputShape: [...n.outputShape],
      params: n.params.trainable + n.params.nonTrainable,
      trainable: n.trainable,
    });
  });
  return {
    layers,
    inputShape: [...graph.inputShape],
    outputShape: [...graph.outputShape],
    totalParams: graph.totalParams,
    trainableParams: graph.trainableParams,
    nonTrainableParams: graph.totalParams - graph.trainableParams,
  };
}

/** Fixed-width text of a summary, as `model.summary()` prints in Keras. */
export function formatSummary(s: ModelSummaryData): string {
  const rows = s.layers.map((l) => [l.path, JSON.stringify([null, ...l.outputShape]), String(l.params)]);
  const head = ['Layer', 'Output shape', 'Params'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [
    line(head),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${s.totalParams}`,
    `Trainable params: ${s.trainableParams}`,
    `Non-trainable params: ${s.nonTrainableParams}`,
  ].join('\n');
}
