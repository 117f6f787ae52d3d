// Test helpers for trainer lifecycles: owned objects disposed after each test (with the tensor
// count checked back at its start), and waits that fail instead of hanging.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, expect } from 'vitest';

/**
 * Registers hooks that dispose what `own` was given after each test, newest first, and — unless
 * `checkTensors` is false — require the tensor count back where the test started.
 */
export function ownership(checkTensors = true): {
  own: <T extends { dispose(): void }>(x: T) => T;
  /** Tensors alive when the current test started. */
  start(): number;
} {
  let start = 0;
  const owned: { dispose(): void }[] = [];
  beforeEach(() => {
    start = tf.memory().numTensors;
  });
  afterEach(() => {
    for (const c of owned.splice(0).reverse()) c.dispose();
    if (checkTensors) expect(tf.memory().numTensors).toBe(start);
  });
  return {
    own: (x) => {
      owned.push(x);
      return x;
    },
    start: () => start,
  };
}

/** Settles `p` or fails after `ms`: a promise that never settles is the bug. */
export const settles = <T>(p: Promise<T>, ms = 20_000): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms)),
  ]);

/** Polls `cond` every 5 ms; fails after `ms` (generous: the machine may be loaded). */
export async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
