/**
 * BoundaryTimeline: the decision boundary over time. It keeps no tensors — it is handed
 * snapshots of the output over the plane (NetworkView's `onOutput`) and lets the learner scrub
 * through epochs with a labelled slider; it follows the newest snapshot until moved.
 */
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { VizFrame, type VizProps, viz } from './common';
import { paintSigned, signedPalette } from './heatmap';
import { themeOf } from './theme';

/** The output over the plane at one epoch: resolution² values, rows from the top-left. */
export interface TimelineFrame {
  epoch: number;
  values: Float32Array;
}

/** Props of {@link BoundaryTimeline}. */
export interface BoundaryTimelineProps extends VizProps {
  frames: readonly TimelineFrame[];
  /** Cells per side of each frame. */
  resolution: number;
  /** Show each frame by its sign only. */
  discretize?: boolean;
  /** Size in px. Default 160. */
  size?: number;
}

/**
 * Scrub through the output heatmap epoch by epoch (vanishing progress, sudden jumps, overfitting
 * show up as the boundary's history). The text alternative names the epoch and the positive share.
 * @example <BoundaryTimeline frames={frames} resolution={40} />
 */
export function BoundaryTimeline(props: BoundaryTimelineProps) {
  const { frames, resolution: n, discretize = false, size = 160 } = props;
  const id = useId();
  // null: follow the newest frame.
  const [picked, setPicked] = useState<number | null>(null);
  const index = picked === null ? frames.length - 1 : Math.min(picked, frames.length - 1);
  const frame = frames[index];
  const canvas = useRef<HTMLCanvasElement>(null);
  const figure = useRef<HTMLElement>(null);

  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el || !frame) return;
    const theme = themeOf(figure.current);
    const colors = signedPalette(theme);
    const image = document.createElement('canvas');
    paintSigned(image, frame.values, 0, 1, n, colors, discretize);
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.imageSmoothingEnabled = !discretize;
    ctx.clearRect(0, 0, size, size);
    ctx.drawImage(image, 0, 0, size, size);
  });

  let positive = 0;
  if (frame) for (let i = 0; i < n * n; i++) if ((frame.values[i] as number) >= 0) positive++;
  const summary = frame
    ? `Output at epoch ${frame.epoch}: positive over ${Math.round((100 * positive) / (n * n))}% of the plane. ` +
      `${frames.length} snapshots, epochs ${frames[0]?.epoch}–${frames.at(-1)?.epoch}.`
    : 'No snapshots yet: train to record the boundary.';
  return (
    <VizFrame
      {...viz(props)}
      kind="boundary-timeline"
      defaultTitle="Decision boundary over time"
      frameRef={figure}
      summary={summary}
      message={frame ? undefined : 'No snapshots yet.'}
      attrs={{ 'data-frames': frames.length, 'data-epoch': frame?.epoch }}
    >
      <div aria-hidden="true">
        <canvas ref={canvas} width={size} height={size} className="rnn-canvas" />
      </div>
      <div className="rnn-row">
        <label htmlFor={id}>Epoch</label>
        <input
          id={id}
          type="range"
          min={0}
          max={Math.max(0, frames.length - 1)}
          step={1}
          value={Math.max(0, index)}
          disabled={frames.length < 2}
          aria-valuetext={frame ? `epoch ${frame.epoch}` : 'no snapshots'}
          onChange={(e) => {
            const i = Number(e.target.value);
            setPicked(i >= frames.length - 1 ? null : i);
          }}
        />
        <output htmlFor={id}>{frame ? frame.epoch : '–'}</output>
        {picked !== null ? (
          <button type="button" onClick={() => setPicked(null)}>
            Follow live
          </button>
        ) : null}
      </div>
    </VizFrame>
  );
}
