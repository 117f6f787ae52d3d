import type { GraphNode } from '../graph/types';

/**
 * The reconciler's mutable instances. They hold only props and children — no tfjs — so
 * creating, updating and abandoning them costs nothing; the runtime compiles a frozen
 * snapshot of them once per commit.
 */
export interface NNInstance {
  readonly kind: 'layer' | 'text';
  readonly type: string;
  props: Record<string, unknown>;
  readonly key: string | null;
  text: string;
  children: NNInstance[];
  parent: NNInstance | NNContainer | null;
  hidden: boolean;
  readonly container: NNContainer;
}

/** The root a model renders into. `onCommit` receives the new node tree after each commit that changed it. */
export interface NNContainer {
  children: NNInstance[];
  dirty: boolean;
  onCommit: (root: GraphNode | null) => void;
}

export function createContainerInfo(onCommit: NNContainer['onCommit']): NNContainer {
  return { children: [], dirty: false, onCommit };
}

const RESERVED = new Set(['children', 'key', 'ref']);

/** Props without React's own keys. */
export function stripProps(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(props)) if (!RESERVED.has(k)) out[k] = props[k];
  return out;
}

export function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.is(a[k], b[k]) || sameArray(a[k], b[k]));
}

// inputShape={[2]} and kernelSize={[3, 3]} are new arrays on every render; equal contents are no edit.
function sameArray(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

/** Adds `child` to `list` before `before` (or at the end), moving it if it is already there. */
export function insert(list: NNInstance[], child: NNInstance, before: NNInstance | null): void {
  const at = list.indexOf(child);
  if (at !== -1) list.splice(at, 1);
  const idx = before ? list.indexOf(before) : -1;
  if (idx === -1) list.push(child);
  else list.splice(idx, 0, child);
}

export function remove(list: NNInstance[], child: NNInstance): void {
  const at = list.indexOf(child);
  if (at !== -1) list.splice(at, 1);
}

const isBlank = (n: NNInstance) => n.kind === 'text' && n.text.trim() === '';

/**
 * Freezes instances into the pure node tree the runtime compiles. Whitespace between
 * elements (`<Conv2d/> <ReLU/>` on one line) is dropped; other text is kept so validation
 * can name it. Several top-level layers form an implicit Sequential.
 */
export function snapshot(container: NNContainer): GraphNode | null {
  const top = container.children.filter((c) => !c.hidden && !isBlank(c)).map(freeze);
  if (top.length === 0) return null;
  if (top.length === 1) return top[0] as GraphNode;
  return { type: 'Sequential', props: {}, key: null, children: top };
}

function freeze(n: NNInstance): GraphNode {
  if (n.kind === 'text') return { type: '#text', props: {}, key: null, children: [], text: n.text };
  return {
    type: n.type,
    props: n.props,
    key: n.key,
    children: n.children.filter((c) => !c.hidden && !isBlank(c)).map(freeze),
  };
}

/** True when two node trees are the same model: types, keys, text, props (arrays by contents) and children. */
export function sameTree(a: GraphNode | null, b: GraphNode | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.type !== b.type || a.key !== b.key || a.text !== b.text || a.children.length !== b.children.length)
    return false;
  if (!shallowEqual(a.props as Record<string, unknown>, b.props as Record<string, unknown>)) return false;
  return a.children.every((c, i) => sameTree(c, b.children[i] as GraphNode));
}
