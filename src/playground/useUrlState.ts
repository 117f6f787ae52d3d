import { useCallback, useEffect, useRef, useState } from 'react';
import type { SavedWeights } from '../io/restore';
import { type Restored, readShareLink, SHARE_PARAM } from './persist';
import { decodeState, defaultState, encodeState, type PlaygroundState } from './state';

/** Changes closer together than this replace the last history entry instead of adding one (a slider drag). */
const COALESCE_MS = 600;

export interface UrlState {
  state: PlaygroundState;
  /** Applies a change; with the URL on, it becomes a history entry (back/forward walk through them). */
  update(change: Partial<PlaygroundState> | ((s: PlaygroundState) => PlaygroundState)): void;
  /** Why values of the URL were ignored (shown until dismissed). */
  notices: string[];
  dismissNotices(): void;
  /** Puts a whole state in place (an opened file), as one history entry, with its notices. */
  replace(state: PlaygroundState, notices: string[]): void;
  /** Adds a notice (a part of an opened file that could not be used after all). */
  notify(why: string): void;
  /** Trained weights of the share link the page was opened with, or null. */
  sharedWeights: SavedWeights | null;
}

/**
 * The page's query: a share link (`?share=rnn1.…`, the state and maybe weights) or the state's
 * own fields. Both go through `decodeState`, the one reader of the state fields.
 */
function readLocation(): Restored {
  if (typeof window === 'undefined') return { state: defaultState(), notices: [], weights: null };
  const share = new URLSearchParams(window.location.search).get(SHARE_PARAM);
  if (share !== null) return readShareLink(share);
  return { ...decodeState(window.location.search), weights: null };
}

/**
 * The Playground's state, kept in the page's query string (`?networkShape=4,2&learningRate=0.1`)
 * when `inUrl`: a link reproduces the page, and back/forward restore earlier states. The hash is
 * left alone (the docs site routes with it).
 */
export function useUrlState(inUrl: boolean, initial?: Partial<PlaygroundState>): UrlState {
  const [decoded] = useState(() =>
    inUrl ? readLocation() : { state: { ...defaultState(), ...initial }, notices: [] as string[], weights: null },
  );
  const [state, setState] = useState<PlaygroundState>(decoded.state);
  const [notices, setNotices] = useState<string[]>(decoded.notices);
  const lastPush = useRef(0);

  useEffect(() => {
    if (!inUrl) return;
    const onPop = () => {
      const next = readLocation();
      setState(next.state);
      setNotices(next.notices);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [inUrl]);

  const update = useCallback<UrlState['update']>(
    (change) => {
      setState((prev) => {
        const next = typeof change === 'function' ? change(prev) : { ...prev, ...change };
        if (inUrl) {
          const query = encodeState(next);
          const url = `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`;
          if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
            const now = Date.now();
            if (now - lastPush.current < COALESCE_MS) window.history.replaceState(window.history.state, '', url);
            else window.history.pushState(window.history.state, '', url);
            lastPush.current = now;
          }
        }
        return next;
      });
    },
    [inUrl],
  );

  const replace = useCallback<UrlState['replace']>(
    (next, why) => {
      update(() => next);
      setNotices(why);
    },
    [update],
  );

  return {
    state,
    update,
    notices,
    dismissNotices: useCallback(() => setNotices([]), []),
    replace,
    notify: useCallback((why: string) => setNotices((n) => (n.includes(why) ? n : [...n, why])), []),
    sharedWeights: decoded.weights,
  };
}
