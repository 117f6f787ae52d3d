import { useCallback, useEffect, useState } from 'react';
import { readNetWeights } from '../io/netWeights';
import { loadWeights, type SavedWeights } from '../io/restore';
import type { Net } from '../runtime/net';
import type { Trainer } from '../training/trainer';

/** Whether every saved weight has a weight of the same name and shape in the net's model, and the other way round. */
function fits(net: Net, weights: SavedWeights): boolean {
  const live = readNetWeights(net, 'Playground');
  return (
    live.length === weights.size &&
    live.every((w) => {
      const saved = weights.get(w.name);
      return !!saved && saved.shape.length === w.shape.length && saved.shape.every((d, i) => d === w.shape[i]);
    })
  );
}

/**
 * Weights waiting for the network they belong to (from a share link or an opened file). The page's
 * state changes first; the model follows it a commit or two later. So the weights are written on the
 * first build whose every name and shape match — never half into the wrong network. A new start
 * (the trainer's reset, or the model's reinitialize) makes that build and starts a fresh run; the
 * views redraw on it, after the weights are in. `trainerRef` is read when the build is asked
 * for: the caller may create its trainer after this hook (useOpenedRun does, to resume a run once
 * the weights are in).
 */
export function usePendingWeights(
  net: Net,
  trainerRef: { readonly current: Trainer | null },
  initial: SavedWeights | null,
) {
  const [pending, setPending] = useState<{ weights: SavedWeights; restart: boolean } | null>(
    initial ? { weights: initial, restart: false } : null,
  );
  const [loaded, setLoaded] = useState<{ count: number; last: SavedWeights | null }>({ count: 0, last: null });

  // biome-ignore lint/correctness/useExhaustiveDependencies: trainerRef is a ref, read when a build is asked for.
  useEffect(() => {
    if (!pending) return;
    let done = false;
    const tryLoad = () => {
      if (done || net.isDisposed || !net.getSnapshot().model || !fits(net, pending.weights)) return;
      done = true;
      let written: SavedWeights | null = pending.weights;
      try {
        loadWeights(net, pending.weights, {}, 'Playground');
      } catch (e) {
        written = null;
        net.reportError(e);
      }
      setPending(null);
      setLoaded((n) => ({ count: n.count + 1, last: written }));
    };
    const off = net.subscribe(tryLoad);
    if (pending.restart && net.getSnapshot().model) {
      // A build now: the one the weights go into if the network is already the right one.
      try {
        if (!trainerRef.current) throw new Error('no trainer');
        trainerRef.current.reset();
      } catch {
        // No trainer, or one this very update replaced (disposed): the model alone starts over.
        net.reinitialize();
      }
    } else tryLoad();
    return off;
  }, [net, pending]);

  /** Loads these weights into the network the page is about to build (a fresh run). */
  const load = useCallback((weights: SavedWeights) => setPending({ weights, restart: true }), []);
  return {
    load,
    waiting: pending !== null,
    /** How many times weights were written (a new run each time). */
    loaded: loaded.count,
    /** The weights written last (which of several opened files made it in). */
    lastLoaded: loaded.last,
  };
}
