/**
 * A listener set with a stable snapshot, the shape `useSyncExternalStore` wants (after
 * TanStack Query's subscribable.ts). Core stores extend it; React hooks only subscribe.
 */
export class Subscribable<S> {
  #listeners = new Set<() => void>();
  #snapshot: S;

  constructor(initial: S) {
    this.#snapshot = initial;
  }

  /** Adds a listener; returns the unsubscribe function. Bound, so it can be passed around. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** The current snapshot: the same object until something changes. Bound. */
  getSnapshot = (): S => this.#snapshot;

  protected hasListeners(): boolean {
    return this.#listeners.size > 0;
  }

  /** Replaces the snapshot with a new object and notifies listeners. */
  protected setSnapshot(patch: Partial<S>): void {
    this.replaceSnapshot({ ...this.#snapshot, ...patch });
  }

  /** Installs `next` as it is (its accessors not read, as a spread would) and notifies listeners. */
  protected replaceSnapshot(next: S): void {
    this.#snapshot = next;
    for (const l of [...this.#listeners]) l();
  }
}
