/**
 * What the APIs accept as "a model": the Net itself (a `useModel()` handle) or anything carrying
 * one (a `renderModel()` result). One reading of it, so the trainer and the views agree.
 */
import type { Net } from './net';

/** A model handle: a `useModel()` Net or a `renderModel()` result. */
export type NetLike = Net | { readonly net: Net };

/**
 * The Net behind a model handle; null for null or undefined. Anything else that is not a Net
 * (no `subscribe`/`getSnapshot` pair) is returned as null too; callers that require a model say so.
 */
export function netOf(model: NetLike | null | undefined): Net | null {
  if (!model || typeof model !== 'object') return null;
  const net = 'net' in model && model.net ? model.net : (model as Net);
  return typeof net.getSnapshot === 'function' && typeof net.subscribe === 'function' ? net : null;
}
