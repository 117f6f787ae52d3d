import { useState, useSyncExternalStore } from 'react';
import { Subscribable } from '../subscribable';
import { BoundaryTimeline, type TimelineFrame } from '../viz/timeline';

/** Boundary snapshots kept for the timeline (older ones are thinned out). */
const MAX_FRAMES = 120;

/**
 * The decision boundary's snapshots, one per epoch the output view drew. A store of its own, so a
 * new snapshot re-renders the timeline alone: kept as page state, every redraw of the output (up to
 * one a frame while training) re-rendered the whole Playground.
 */
export class FrameStore extends Subscribable<{ frames: TimelineFrame[] }> {
  constructor() {
    super({ frames: [] });
  }

  add(epoch: number, values: Float32Array): void {
    const prev = this.getSnapshot().frames;
    if (prev.at(-1)?.epoch === epoch) return;
    const next = [...prev, { epoch, values }];
    // Keep every other frame once full: the timeline spans the whole run at falling detail.
    this.setSnapshot({
      frames: next.length > MAX_FRAMES ? next.filter((_, i) => i % 2 === 0 || i === next.length - 1) : next,
    });
  }

  clear(): void {
    if (this.getSnapshot().frames.length > 0) this.setSnapshot({ frames: [] });
  }
}

export function useFrameStore(): FrameStore {
  return useState(() => new FrameStore())[0];
}

/** The boundary over time, following its store. */
export function TimelinePanel(props: { store: FrameStore; resolution: number; discretize: boolean }) {
  const { frames } = useSyncExternalStore(props.store.subscribe, props.store.getSnapshot, props.store.getSnapshot);
  return <BoundaryTimeline frames={frames} resolution={props.resolution} discretize={props.discretize} />;
}
