/**
 * Coalesces store notifications to one per animation frame (or ~16 ms where there are no
 * frames, as in Node), like TanStack Query's notifyManager: a loop making 1,000 steps a
 * second must not cause 1,000 React renders.
 */
export function createFrameScheduler(flush: () => void): { schedule(): void; flushNow(): void; cancel(): void } {
  let handle: number | ReturnType<typeof setTimeout> | null = null;
  let usesRaf = false;
  const run = () => {
    handle = null;
    flush();
  };
  return {
    schedule() {
      if (handle !== null) return;
      if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) {
        usesRaf = true;
        handle = requestAnimationFrame(run);
      } else {
        usesRaf = false;
        handle = setTimeout(run, 16);
      }
    },
    flushNow() {
      this.cancel();
      flush();
    },
    cancel() {
      if (handle === null) return;
      if (usesRaf) cancelAnimationFrame(handle as number);
      else clearTimeout(handle as ReturnType<typeof setTimeout>);
      handle = null;
    },
  };
}

/**
 * Yields to the event loop so rendering and input run between training steps. A
 * MessageChannel post is not clamped to 4 ms like nested setTimeout calls in browsers.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((r) => setImmediate(r));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}
