// createNNRoot's fast path: trees of plain layer elements become nodes without a React fiber root, and
// must be exactly what React would have committed.
import { createElement, Fragment, type ReactNode, useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../graph/types';
import { createNNRoot } from '../renderer';

/** Everything a root delivers, in order. */
function recorder() {
  const graphs: (GraphNode | null)[] = [];
  const errors: unknown[] = [];
  return {
    graphs,
    errors,
    listener: { onGraph: (g: GraphNode | null) => graphs.push(g), onError: (e: unknown) => errors.push(e) },
  };
}

/** A component that renders its children: forces the React path for the same tree. */
function Pass({ children }: { children?: ReactNode }) {
  const [v] = useState(0);
  return <>{v === 0 ? children : null}</>;
}

const viaStatic = (el: ReactNode) => {
  const r = recorder();
  const root = createNNRoot(r.listener);
  root.render(el);
  root.unmount();
  return r.graphs;
};
const viaReact = (el: ReactNode) => viaStatic(<Pass>{el}</Pass>);

// Host elements by name, as the layer components are at run time (children as JSX passes them).
const h = (type: string, props: Record<string, unknown> = {}, ...children: ReactNode[]) =>
  createElement(type, props, ...children);

describe('createNNRoot without components', () => {
  const trees: [string, ReactNode][] = [
    ['one layer', h('Linear', { outFeatures: 2 })],
    [
      'nested containers, keys, names, array props, fragments, empty values',
      h(
        'Sequential',
        {},
        h('Conv2d', { outChannels: 4, kernelSize: [3, 3], padding: 'same' }),
        ' ',
        <Fragment key="f">
          {h('ReLU', { key: 'r' })}
          {null}
          {false}
          {[h('Linear', { key: 'a', outFeatures: 3 }), h('Linear', { key: 'b', outFeatures: 4, name: 'head' })]}
        </Fragment>,
        h('Residual', {}, h('Linear', { outFeatures: 4 }), h('Tanh')),
      ),
    ],
    [
      'text inside a model (kept for the error message)',
      h('Sequential', {}, h('Linear', { outFeatures: 1 }), 'oops', 0),
    ],
    [
      'several top-level layers (an implicit Sequential)',
      createElement(Fragment, null, h('Linear', { outFeatures: 1, key: 'x' }), '\n  ', h('ReLU')),
    ],
  ];
  for (const [what, tree] of trees) {
    it(`delivers what React commits: ${what}`, () => {
      const direct = viaStatic(tree);
      expect(direct).toHaveLength(1);
      expect(direct).toEqual(viaReact(tree));
    });
  }

  it('delivers only real changes, like React; an empty tree is not delivered', () => {
    const r = recorder();
    const root = createNNRoot(r.listener);
    root.render(null);
    expect(r.graphs).toEqual([]);
    const tree = (n: number) => h('Sequential', {}, h('Linear', { outFeatures: n, weightInit: [1, 2] }), h('ReLU'));
    root.render(tree(2));
    root.render(tree(2)); // new element objects, new array prop with the same contents
    expect(r.graphs).toHaveLength(1);
    root.render(tree(3));
    expect(r.graphs).toHaveLength(2);
    expect(r.graphs[1]?.children[0]?.props).toEqual({ outFeatures: 3, weightInit: [1, 2] });
    root.unmount();
    expect(r.graphs).toHaveLength(2);
  });

  it('switches to React for good once a component appears, and keeps delivering through it', () => {
    const r = recorder();
    const root = createNNRoot(r.listener);
    root.render(h('Sequential', {}, h('Linear', { outFeatures: 2 })));
    root.render(<Pass>{h('Sequential', {}, h('Linear', { outFeatures: 2 }), h('ReLU'))}</Pass>);
    root.render(h('Sequential', {}, h('Linear', { outFeatures: 5 })));
    expect(r.graphs.map((g) => g?.children.map((c) => `${c.type}${c.props.outFeatures ?? ''}`))).toEqual([
      ['Linear2'],
      ['Linear2', 'ReLU'],
      ['Linear5'],
    ]);
    const Boom = () => {
      throw new Error('boom');
    };
    expect(() => root.render(<Boom />)).toThrow('boom');
    expect(r.errors).toHaveLength(1);
    root.unmount();
  });
});
