// The helpers that several layers share, written once: shape equality, the output leaf of a graph, the
// software-adapter test, is-this-a-Dataset and the Net of a model handle.
import { describe, expect, it } from 'vitest';
import { isDataset } from '../data/dataset';
import { fromArrays } from '../data/fromArrays';
import { outputLeaf } from '../graph/analyze';
import { sameShape } from '../graph/shape';
import type { GraphNode } from '../graph/types';
import { isSoftwareAdapter } from '../runtime/adapter';
import '../layers/index';
import { analyze } from '../runtime/compile';
import { netOf } from '../runtime/handle';
import { Net } from '../runtime/net';

const node = (type: string, props: Record<string, unknown> = {}, children: GraphNode[] = []): GraphNode => ({
  type,
  props,
  key: null,
  children,
});

describe('sameShape', () => {
  it('compares rank and every dimension; null only equals null', () => {
    expect(sameShape([2, 3], [2, 3])).toBe(true);
    expect(sameShape([2, 3], [3, 2])).toBe(false);
    expect(sameShape([2], [2, 1])).toBe(false);
    expect(sameShape([], [])).toBe(true);
    expect(sameShape([null, 4], [null, 4])).toBe(true);
    expect(sameShape([null, 4], [1, 4])).toBe(false);
  });
});

describe('outputLeaf', () => {
  it('is the last leaf, through nested containers', () => {
    const graph = analyze(
      node('Sequential', {}, [
        node('Linear', { outFeatures: 4 }),
        node('Sequential', {}, [node('Linear', { outFeatures: 2 }), node('Softmax')]),
      ]),
      [3],
    );
    const leaf = outputLeaf(graph.root);
    expect(leaf.node.type).toBe('Softmax');
    expect(leaf.children).toEqual([]);
    // A leaf is its own output leaf.
    expect(outputLeaf(leaf)).toBe(leaf);
  });
});

describe('isSoftwareAdapter', () => {
  it('believes isFallbackAdapter, new (info) or legacy (adapter), and knows software rasterisers by name', () => {
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true })).toBe(true);
    // Chromium before isFallbackAdapter moved to info.
    expect(isSoftwareAdapter({ vendor: 'x' }, { isFallbackAdapter: true })).toBe(true);
    // Dawn in Node on SwiftShader reports no flag; the name tells.
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader' })).toBe(true);
    expect(isSoftwareAdapter({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', description: 'Lavapipe' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'apple', architecture: 'metal-3' })).toBe(false);
  });
});

describe('isDataset and netOf', () => {
  it('tell a Dataset and a model handle from look-alikes', () => {
    const ds = fromArrays({ x: [[0], [1]], y: [[0], [1]] });
    expect(isDataset(ds)).toBe(true);
    expect(isDataset({ x: 1, y: 2, size: 2 })).toBe(false);
    expect(isDataset({ train: ds })).toBe(false);
    expect(isDataset(null)).toBe(false);
    ds.dispose();

    const net = new Net();
    expect(netOf(net)).toBe(net);
    expect(netOf({ net })).toBe(net);
    expect(netOf(null)).toBeNull();
    expect(netOf(undefined)).toBeNull();
    expect(netOf({ net: {} } as never)).toBeNull();
    net.dispose();
  });
});
