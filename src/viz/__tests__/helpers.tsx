import { act } from '@testing-library/react';
import { moons } from '../../data/generators';
import { Sigmoid, Tanh } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';

/** Lets timers, frames and React updates run. */
export const settle = (ms = 30) => act(() => new Promise<void>((r) => setTimeout(r, ms)));

/** Waits (flushing React) until `cond` holds. */
export async function until(cond: () => boolean, ms = 30_000, what = 'condition'): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await settle();
  }
}

/** The text alternative of a figure (its aria-describedby target). */
export function textAlternative(el: Element): string {
  const id = el.getAttribute('aria-describedby');
  return (id && document.getElementById(id)?.textContent) || '';
}

/** A small moons classifier on tfjs' CPU backend (deterministic). */
export function moonsMlp(hidden = 6) {
  return renderModel(
    <Sequential>
      <Linear outFeatures={hidden} />
      <Tanh />
      <Linear outFeatures={1} />
      <Sigmoid />
    </Sequential>,
    { inputShape: [2], backend: 'cpu', seed: 1 },
  );
}

export const moonsData = (n = 200) => moons({ n, noise: 0.2, seed: 1 });
