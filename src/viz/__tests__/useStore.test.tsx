// @vitest-environment jsdom
import { act, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { Subscribable } from '../../subscribable';
import { type Store, useStore } from '../useStore';

/** A store like Trainer and Net: a Subscribable whose snapshot the test sets. */
class Counter extends Subscribable<{ n: number; label: string }> {
  constructor() {
    super({ n: 0, label: 'a' });
  }
  set(patch: Partial<{ n: number; label: string }>) {
    this.setSnapshot(patch);
  }
  listeners() {
    return this.hasListeners();
  }
}

function Whole({ store, onRender }: { store: Counter | null; onRender: (v: unknown) => void }) {
  onRender(useStore(store));
  return null;
}

function Probe<T>({
  store,
  select,
  onRender,
}: {
  store: Counter | null;
  select: (s: { n: number; label: string }) => T;
  onRender: (v: unknown) => void;
}) {
  onRender(useStore(store, select));
  return null;
}

describe('useStore', () => {
  it('is null without a store, and the snapshot with one', () => {
    const seen: unknown[] = [];
    const view = render(<Whole store={null} onRender={(v) => seen.push(v)} />);
    expect(seen).toEqual([null]);
    const store = new Counter();
    view.rerender(<Whole store={store} onRender={(v) => seen.push(v)} />);
    expect(seen.at(-1)).toBe(store.getSnapshot());
    act(() => store.set({ n: 1 }));
    expect(seen.at(-1)).toEqual({ n: 1, label: 'a' });
    view.unmount();
    expect(store.listeners()).toBe(false);
  });

  it('with a selector (a new function each render) re-renders only when the selection changes', () => {
    const store = new Counter();
    const seen: unknown[] = [];
    const view = render(<Probe store={store} select={(s) => s.label} onRender={(v) => seen.push(v)} />);
    expect(seen).toEqual(['a']);
    act(() => store.set({ n: 1 }));
    act(() => store.set({ n: 2 }));
    // The snapshot changed twice but the label did not: no re-render.
    expect(seen).toEqual(['a']);
    act(() => store.set({ label: 'b' }));
    expect(seen).toEqual(['a', 'b']);
    view.unmount();
  });

  it('keeps the previous selection object while isEqual says equal', () => {
    const store = new Counter();
    const seen: unknown[] = [];
    function Pair() {
      const pair = useStore(
        store,
        (s) => ({ even: s.n % 2 === 0 }),
        (a, b) => a.even === b.even,
      );
      seen.push(pair);
      return null;
    }
    const view = render(<Pair />);
    act(() => store.set({ n: 2 }));
    expect(seen).toHaveLength(1);
    act(() => store.set({ n: 3 }));
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual({ even: false });
    view.unmount();
  });

  it('calls subscribe as a method, so a store with prototype methods works; switches stores cleanly', () => {
    const listeners = new Set<() => void>();
    let value = 1;
    class Plain implements Store<number> {
      subscribe(l: () => void) {
        listeners.add(l);
        return () => listeners.delete(l);
      }
      getSnapshot() {
        return value;
      }
    }
    const plain = new Plain();
    const seen: unknown[] = [];
    function Read({ s }: { s: Store<number> | null }) {
      seen.push(useStore(s));
      return null;
    }
    const view = render(
      <StrictMode>
        <Read s={plain} />
      </StrictMode>,
    );
    expect(seen.at(-1)).toBe(1);
    act(() => {
      value = 2;
      for (const l of listeners) l();
    });
    expect(seen.at(-1)).toBe(2);
    view.rerender(
      <StrictMode>
        <Read s={null} />
      </StrictMode>,
    );
    expect(seen.at(-1)).toBeNull();
    expect(listeners.size).toBe(0);
    view.unmount();
  });
});
