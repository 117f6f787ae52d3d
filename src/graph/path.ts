import type { GraphNode } from './types';

/**
 * Identity and naming of nodes. A layer keeps its weights across edits while its
 * identity is unchanged: its React key, else its `name` prop, else its type and its
 * index among same-type siblings — so inserting a ReLU does not renumber the Linears.
 */

/** The path segment shown to people: `Linear[1]`, `Linear#head`, or `Linear(encoder)`. */
export function segmentLabel(node: GraphNode, nthOfType: number): string {
  if (node.key != null) return `${node.type}#${node.key}`;
  const name = node.props.name;
  if (typeof name === 'string' && name !== '') return `${node.type}(${name})`;
  return `${node.type}[${nthOfType}]`;
}

/** Joins path labels the way errors print them. */
export function joinPath(parent: string, label: string): string {
  return parent ? `${parent} > ${label}` : label;
}

/**
 * A stable id that is also a valid tfjs layer/variable name (`[A-Za-z0-9._/-]`):
 * `Sequential/Linear_1`, `Sequential/Linear-head`.
 */
export function segmentId(node: GraphNode, nthOfType: number): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  if (node.key != null) return `${clean(node.type)}-k${clean(node.key)}`;
  const name = node.props.name;
  if (typeof name === 'string' && name !== '') return `${clean(node.type)}-n${clean(name)}`;
  return `${clean(node.type)}_${nthOfType}`;
}

export function joinId(parent: string, segment: string): string {
  return parent ? `${parent}/${segment}` : segment;
}

/** Index of each child among its siblings of the same type. */
export function nthOfTypeIndices(children: readonly GraphNode[]): number[] {
  const seen = new Map<string, number>();
  return children.map((c) => {
    const n = seen.get(c.type) ?? 0;
    seen.set(c.type, n + 1);
    return n;
  });
}
