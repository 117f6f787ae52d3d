/**
 * uPlot, loaded when the first chart mounts rather than when react-nn is imported. uPlot reads
 * `matchMedia` and the device pixel ratio as its module loads; a static import would make every
 * importer of react-nn (a Node script, a jsdom component test) need a real browser, charts or not.
 */

import { useEffect, useState } from 'react';
import type uPlot from 'uplot';
import { ReactNNError } from '../errors';

/** The uPlot constructor (with its statics: `rangeNum`, `pxRatio`…). */
export type UPlot = typeof uPlot;

let loaded: UPlot | null = null;
let loading: Promise<UPlot> | null = null;

/**
 * Loads uPlot once; later calls share the same promise and, once it settled, the same constructor.
 * A failed load is not cached, so a page that gains what was missing (a stubbed `matchMedia` in a
 * test) can try again. Rejects with a ReactNNError naming `component`.
 * @internal
 */
export function loadUplot(component = 'chart'): Promise<UPlot> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= import('uplot').then(
    (m) => {
      loaded = m.default;
      return loaded;
    },
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading.catch((e: unknown) => {
    throw new ReactNNError(
      'backend',
      component,
      `the chart library (uPlot) could not load here: ${(e as Error)?.message ?? String(e)}. Charts need a browser ` +
        '(matchMedia and a 2-D canvas); in jsdom component tests, leave the chart out or stub window.matchMedia',
      { cause: e },
    );
  });
}

/**
 * uPlot for a component: the constructor at once when an earlier chart loaded it, otherwise null
 * until it has loaded (then the component re-renders), or the load error.
 * @internal
 */
export function useUplot(component: string): { uPlot: UPlot | null; error: ReactNNError | null } {
  const [state, setState] = useState<{ uPlot: UPlot | null; error: ReactNNError | null }>(() => ({
    uPlot: loaded,
    error: null,
  }));
  const missing = state.uPlot === null && state.error === null;
  useEffect(() => {
    if (!missing) return;
    let live = true;
    loadUplot(component).then(
      (u) => live && setState({ uPlot: u, error: null }),
      (e: ReactNNError) => live && setState({ uPlot: null, error: e }),
    );
    return () => {
      live = false;
    };
  }, [missing, component]);
  return state;
}
