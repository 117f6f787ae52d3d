// Timing helpers shared by the Node and the browser half of `npm run bench`.
import type * as tf from '@tensorflow/tfjs';

export const now = (): number => performance.now();

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * CPU time this process has used, in ms (user + system), or null in a browser. On a busy machine it tracks
 * the work done better than the wall clock: time spent waiting for a core does not count.
 */
export function cpuNow(): number | null {
  if (typeof process === 'undefined' || typeof process.cpuUsage !== 'function') return null;
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Waits until the backend has finished every queued op that wrote the model's first weight (the last update). */
export async function settle(model: tf.LayersModel): Promise<void> {
  const w = model.weights[0];
  if (w) await w.read().data();
}

/**
 * Ends the current task and lets whatever is queued run (timers, frames, message handlers), then resolves in a
 * fresh task. Long tasks are attributed by the time they start, and a task in which one awaited thing resolves
 * carries on through every `await` that follows in microtasks — so without this, work started right after a
 * measurement runs inside (and is counted in) the task that ended it.
 */
export function quiesce(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Progress for whoever watches (stderr in Node, the console in the page); results travel separately. */
export function log(message: string): void {
  console.error(`[bench] ${message}`);
}
