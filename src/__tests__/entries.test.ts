// The two entries list their names one by one (nothing becomes public by accident); each layer's index says
// what that layer offers. This keeps the two in step: every value a layer offers is public, and nothing else is.
import { describe, expect, it } from 'vitest';

const keys = (m: object) => Object.keys(m).sort();

describe('entries', () => {
  it('react-nn/core exports exactly the values of data, graph, layers, runtime, training, io and the error', async () => {
    const core = await import('../core');
    const layers = await Promise.all([
      import('../data/index'),
      import('../graph/index'),
      import('../layers/index'),
      import('../runtime/index'),
      import('../training/index'),
      import('../io/index'),
    ]);
    const expected = new Set(['ReactNNError', 'isReactNNError', ...layers.flatMap(keys)]);
    expect(keys(core)).toEqual([...expected].sort());
  });

  it('react-nn exports exactly the core plus the React adapter, the views and the Playground', async () => {
    const [index, core, react, viz, playground] = await Promise.all([
      import('../index'),
      import('../core'),
      import('../react/index'),
      import('../viz/index'),
      import('../playground/index'),
    ]);
    expect(keys(index)).toEqual(
      [...new Set([...keys(core), ...keys(react), ...keys(viz), ...keys(playground)])].sort(),
    );
  });

  it('gives each exported name one meaning: the data types behind ModelSummary and RocCurve are named apart', async () => {
    const index = await import('../index');
    expect(typeof index.ModelSummary).toBe('function');
    expect(typeof index.RocCurve).toBe('function');
    // Compile-time: the data types have their own names (a type error here if they went missing).
    const summary: import('../index').ModelSummaryData = {
      layers: [],
      inputShape: [1],
      outputShape: [1],
      totalParams: 0,
      trainableParams: 0,
      nonTrainableParams: 0,
    };
    const roc: import('../index').RocCurveData = { fpr: [0], tpr: [0], thresholds: [1] };
    expect(summary.totalParams + roc.fpr.length).toBe(1);
  });
});
