import { createContext, useContext } from 'react';
import type { Net } from '../runtime/net';

/** The Net of the nearest enclosing `<Model>`, for components rendered inside it. */
export const NetContext = createContext<Net | null>(null);

export function useNetContext(): Net | null {
  return useContext(NetContext);
}
