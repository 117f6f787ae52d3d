import { cleanup, render, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalyzedGraph, AnalyzedNode } from '../../graph/types';
import { ReLU } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { layoutDag, ModelGraph, ModelSummary, toDag } from '../architecture';
import { textAlternative, until } from './helpers';

const owned: { dispose(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const o of owned.splice(0).reverse()) o.dispose();
});

const mlp = () =>
  renderModel(
    <Sequential>
      <Linear outFeatures={8} />
      <ReLU />
      <Linear outFeatures={1} trainable={false} />
    </Sequential>,
    { inputShape: [2], backend: 'cpu' },
  );

describe('ModelGraph', () => {
  it('draws a box per layer with type, output shape and parameters, and arrows between them', async () => {
    const net = await mlp();
    owned.push(net);
    const view = render(<ModelGraph model={net} />);
    const fig = view.getByRole('figure', { name: 'Model graph' });
    await until(() => fig.querySelector('svg') !== null, 30_000, 'the elk layout');
    const boxes = [...fig.querySelectorAll('svg g')].map((g) =>
      [...g.querySelectorAll('text')].map((t) => t.textContent),
    );
    expect(boxes).toEqual([
      ['Input [2]'],
      ['Linear[0]', '→ [8]', '24 params'],
      ['ReLU[0]', '→ [8]'],
      ['Linear[1]', '→ [1]', '9 params (frozen)'],
    ]);
    expect(fig.querySelectorAll('svg > path')).toHaveLength(3);
    // Laid out top to bottom: each box below the previous.
    const ys = [...fig.querySelectorAll('svg g')].map((g) =>
      Number(/translate\([^,]+,([^)]+)\)/.exec(g.getAttribute('transform') ?? '')?.[1]),
    );
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    expect(textAlternative(fig)).toBe(
      '3 layers from input [2] to output [1]: Linear[0] (Linear) gives [8], 24 parameters; ReLU[0] (ReLU) gives [8]; Linear[1] (Linear) gives [1], 9 parameters. 33 parameters, 24 trainable.',
    );
    expect(fig.dataset.layers).toBe('3');
    view.unmount();
  });

  it('follows live edits of the model', async () => {
    const net = await mlp();
    owned.push(net);
    const view = render(<ModelGraph model={net} />);
    const fig = view.getByRole('figure', { name: 'Model graph' });
    await until(() => fig.dataset.layers === '3' && fig.querySelector('svg') !== null);
    await net.update(
      <Sequential>
        <Linear outFeatures={4} />
        <ReLU />
      </Sequential>,
    );
    await until(() => fig.dataset.layers === '2' && fig.querySelectorAll('svg g').length === 3);
    expect(textAlternative(fig)).toMatch(/^2 layers from input \[2\] to output \[4\]/);
    view.unmount();
  });

  it('turns branching containers into a DAG that elkjs lays out', async () => {
    const node = (
      type: string,
      id: string,
      out: number[],
      children: AnalyzedNode[] = [],
      params = 0,
    ): AnalyzedNode => ({
      node: { type, props: {}, key: null, children: [] },
      props: {},
      path: id,
      id,
      inputShape: [4],
      outputShape: out,
      params: { trainable: params, nonTrainable: 0 },
      trainable: true,
      children,
    });
    // Sequential(Concat(Linear a, Linear b), Residual(Linear c)).
    const graph: AnalyzedGraph = {
      root: node(
        'Sequential',
        'S',
        [6],
        [
          node(
            'Concat',
            'S/cat',
            [6],
            [node('Linear', 'S/cat/a', [2], [], 10), node('Linear', 'S/cat/b', [4], [], 20)],
          ),
          node('Residual', 'S/res', [6], [node('Linear', 'S/res/c', [6], [], 42)]),
        ],
      ),
      inputShape: [4],
      outputShape: [6],
      totalParams: 72,
      trainableParams: 72,
    };
    const dag = toDag(graph);
    expect(dag.nodes.map((n) => `${n.kind}:${n.id}`)).toEqual([
      'input:input',
      'layer:S/cat/a',
      'layer:S/cat/b',
      'merge:S/cat#merge',
      'layer:S/res/c',
      'merge:S/res#merge',
    ]);
    expect(dag.edges.map((e) => `${e.from}→${e.to}`)).toEqual([
      'input→S/cat/a',
      'input→S/cat/b',
      'S/cat/a→S/cat#merge',
      'S/cat/b→S/cat#merge',
      'S/cat#merge→S/res/c',
      'S/res/c→S/res#merge',
      'S/cat#merge→S/res#merge',
    ]);
    const laid = await layoutDag(dag);
    expect(laid.nodes).toHaveLength(6);
    expect(laid.edges).toHaveLength(7);
    const y = (id: string) => laid.nodes.find((n) => n.node.id === id)?.y ?? Number.NaN;
    // The two branches side by side, between the input and their merge.
    expect(y('S/cat/a')).toBe(y('S/cat/b'));
    expect(y('input')).toBeLessThan(y('S/cat/a'));
    expect(y('S/cat#merge')).toBeGreaterThan(y('S/cat/a'));
    expect(y('S/res#merge')).toBeGreaterThan(y('S/res/c'));
  });

  it('renders an empty state without a model', () => {
    const view = render(<ModelGraph model={null} />);
    view.getByRole('figure', { name: 'Model graph', description: /no model yet/ });
    view.unmount();
  });
});

describe('ModelSummary', () => {
  it('lists layers with output shapes and parameter totals, trainable and not', async () => {
    const net = await mlp();
    owned.push(net);
    const view = render(<ModelSummary model={net} />);
    const fig = view.getByRole('figure', {
      name: 'Model summary',
      description: '3 layers, input [2], output [1]; 33 parameters (24 trainable, 9 non-trainable).',
    });
    const table = within(fig).getByRole('table');
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) => c.textContent),
    );
    expect(rows).toEqual([
      ['Sequential > Linear[0]', 'Linear', '[batch, 8]', '24'],
      ['Sequential > ReLU[0]', 'ReLU', '[batch, 8]', '0'],
      ['Sequential > Linear[1]', 'Linear (frozen)', '[batch, 1]', '9'],
    ]);
    const foot = [...table.querySelectorAll('tfoot tr')].map((tr) => tr.textContent);
    expect(foot).toEqual([
      'Total params33',
      'Trainable params24',
      'Non-trainable params9',
      'Params size (MB, float32)0.00',
    ]);
    view.unmount();
  });

  it('lists containers too on request', async () => {
    const net = await mlp();
    owned.push(net);
    const view = render(<ModelSummary model={net} showContainers />);
    expect(view.getAllByRole('rowheader')[0]?.textContent).toBe('Sequential');
    view.unmount();
  });
});
