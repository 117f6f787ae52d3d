/**
 * The one React binding of react-nn's stores (Trainer, Net, anything with `subscribe` and
 * `getSnapshot`), like zustand's `useStore(api, selector)`. Every hook and view reads stores
 * through it, so "no store yet" means the same everywhere: `null`.
 *
 * It lives in viz/ rather than react/ because imports only point down (react/ → viz/ → core):
 * the views need it, and react/ re-exports it.
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';

/** A store: a snapshot that is a new object after each change, and a way to hear of changes. */
export interface Store<S> {
  subscribe(onChange: () => void): () => void;
  getSnapshot(): S;
}

const noStore = () => () => {};

/**
 * A store's snapshot, or a value selected from it; `null` while there is no store (a trainer not
 * created yet). With a selector, the component re-renders only when the selection changes by
 * `isEqual` (default `Object.is`), not at every publish — a trainer publishes about once a frame
 * while training, but a status badge changes a few times a run. The selector may be a new
 * function each render.
 * @example const snapshot = useStore(trainer);                  // TrainerSnapshot | null
 * @example const epoch = useStore(trainer, (s) => s.epoch) ?? 0; // number
 */
export function useStore<S>(store: Store<S> | null | undefined): S | null;
export function useStore<S, T>(
  store: Store<S> | null | undefined,
  selector: (snapshot: S) => T,
  isEqual?: (a: T, b: T) => boolean,
): T | null;
export function useStore<S, T>(
  store: Store<S> | null | undefined,
  selector?: (snapshot: S) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): S | T | null {
  // The last selection, reused while the snapshot is the same object or the selection is equal:
  // useSyncExternalStore needs the same value back for an unchanged store.
  const memo = useRef<{ store: Store<S>; snapshot: S; selector: (s: S) => T; selected: T } | null>(null);
  const read = (): S | T | null => {
    if (!store) return null;
    const snapshot = store.getSnapshot();
    if (!selector) return snapshot;
    const last = memo.current;
    if (last && last.store === store) {
      if (last.snapshot === snapshot && last.selector === selector) return last.selected;
      const selected = selector(snapshot);
      if (isEqual(last.selected, selected)) {
        memo.current = { store, snapshot, selector, selected: last.selected };
        return last.selected;
      }
      memo.current = { store, snapshot, selector, selected };
      return selected;
    }
    const selected = selector(snapshot);
    memo.current = { store, snapshot, selector, selected };
    return selected;
  };
  // Called as a method, so a store whose subscribe is a plain prototype method works too.
  const subscribe = useCallback((onChange: () => void) => (store ? store.subscribe(onChange) : noStore()), [store]);
  return useSyncExternalStore(subscribe, read, read);
}
