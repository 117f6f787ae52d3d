// Without React (react-nn/core alone), a checkpoint's element is the plain object React 19's
// createElement makes — which react-nn renders like any element once React is there.
import { describe, expect, it, vi } from 'vitest';
import '../../layers/index';
import { renderModel } from '../../react/renderModel';
import type { SavedNode } from '../modelFile';

const tree: SavedNode = {
  type: 'Sequential',
  props: {},
  children: [
    { type: 'Linear', props: { outFeatures: 3 }, key: 'a' },
    { type: 'ReLU', props: {} },
    { type: 'Linear', props: { outFeatures: 1, trainable: false } },
  ],
};

describe('toElement', () => {
  it('builds a plain element when React cannot be imported, and it renders to the same model', async () => {
    vi.resetModules();
    vi.doMock('react', () => {
      throw new Error('React is not installed');
    });
    const { toElement } = await import('../toJSX');
    const plain = await toElement(tree);
    vi.doUnmock('react');
    vi.resetModules();
    expect((plain as unknown as { $$typeof: symbol }).$$typeof).toBe(Symbol.for('react.transitional.element'));
    expect(plain.type).toBe('Sequential');

    const { toElement: withReact } = await import('../toJSX');
    const real = await withReact(tree);
    const a = await renderModel(plain, { inputShape: [2] });
    const b = await renderModel(real, { inputShape: [2] });
    expect(a.summary()).toEqual(b.summary());
    expect(a.summary().layers.map((l) => l.path)).toEqual([
      'Sequential',
      'Sequential > Linear#a',
      'Sequential > ReLU[0]',
      'Sequential > Linear[1]',
    ]);
    expect(a.summary().trainableParams).toBe(2 * 3 + 3);
    a.dispose();
    b.dispose();
  });
});
