/**
 * A stored architecture back as something to render: JSX source text a user can paste
 * (`toJSX`), and a React element of react-nn layers (`toElement`). Layer components are their
 * type strings at run time, so an element needs nothing but React's `createElement` — imported
 * when asked for, so that `react-nn/core` never loads React by itself.
 */
import type { ReactElement } from 'react';
import type { JSONValue, SavedNode } from './modelFile';

/**
 * The architecture as JSX source, two spaces per level:
 * `<Sequential>\n  <Linear outFeatures={8} />\n  <ReLU />\n</Sequential>`.
 */
export function toJSX(tree: SavedNode, indent = ''): string {
  const attrs = [
    ...(tree.key !== undefined ? [`key=${attrValue(tree.key)}`] : []),
    ...Object.entries(tree.props).map(([k, v]) => (v === true ? k : `${k}=${attrValue(v)}`)),
  ];
  const open = `${indent}<${tree.type}${attrs.length ? ` ${attrs.join(' ')}` : ''}`;
  const children = tree.children ?? [];
  if (children.length === 0) return `${open} />`;
  return [`${open}>`, ...children.map((c) => toJSX(c, `${indent}  `)), `${indent}</${tree.type}>`].join('\n');
}

function attrValue(v: JSONValue): string {
  // A JSX string attribute has no escapes: plain strings go in quotes, the rest in braces.
  if (typeof v === 'string' && !/["\\\n{}<>]/.test(v)) return `"${v}"`;
  return `{${JSON.stringify(v)}}`;
}

type CreateElement = (type: string, props: Record<string, unknown> | null, ...children: unknown[]) => ReactElement;

/**
 * The architecture as a React element. Uses React's `createElement` when React can be imported;
 * without React (the core alone in a server) it builds the same plain element object React 19's
 * `createElement` makes in production, which is enough to hand to a renderer later.
 */
export async function toElement(tree: SavedNode): Promise<ReactElement> {
  let create: CreateElement;
  try {
    const react = (await import('react')) as unknown as { createElement: CreateElement };
    create = react.createElement;
  } catch {
    create = plainElement;
  }
  const build = (n: SavedNode): ReactElement =>
    create(n.type, { ...n.props, ...(n.key !== undefined ? { key: n.key } : {}) }, ...(n.children ?? []).map(build));
  return build(tree);
}

function plainElement(type: string, props: Record<string, unknown> | null, ...children: unknown[]): ReactElement {
  const { key, ...rest } = props ?? {};
  if (children.length > 0) rest.children = children.length === 1 ? children[0] : children;
  return {
    $$typeof: Symbol.for('react.transitional.element'),
    type,
    key: key === undefined ? null : String(key),
    props: rest,
    _owner: null,
  } as unknown as ReactElement;
}
