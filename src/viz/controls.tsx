/**
 * Driving and watching a trainer: `TrainingControls` (train / pause / step / reset, epoch
 * and step counters, learning rate and batch size, all real buttons and labelled fields)
 * and `ProgressBar` (epoch and in-epoch step progress with an ETA).
 */
import { useId, useRef, useState } from 'react';
import { ReactNNError } from '../errors';
import type { Trainer, TrainerOptions, TrainerSnapshot } from '../training/trainer';
import { fmt, fmtInt, useReportError, VizFrame, type VizProps, viz } from './common';
import { useStore } from './useStore';

/** Props of {@link TrainingControls}. */
export interface TrainingControlsProps extends VizProps {
  /** The trainer to drive; null renders disabled controls. */
  trainer: Trainer | null | undefined;
  /** Learning rates offered (the current one is added). Default 10 values from 3 to 1e-5. */
  learningRates?: readonly number[];
  /** Batch sizes offered; 'full' is full-batch gradient descent. */
  batchSizes?: readonly (number | 'full')[];
  /** The batch size the trainer was created with (a trainer does not report it). Default 32. */
  batchSize?: number | 'full';
  /** Hide the learning-rate and batch-size fields. */
  hideOptions?: boolean;
  /** Called with errors from the trainer's methods (also shown). */
  onError?: (error: ReactNNError) => void;
}

/**
 * The buttons' icons, drawn inline: the ⏸ and ⏭ characters are missing from common system fonts (empty boxes
 * with Debian's in Chromium), and an SVG needs no font. 16×16, in the text colour.
 */
const ICONS = {
  play: <path d="M4 2.5v11l9-5.5z" />,
  pause: <path d="M4 2.5h3v11H4zm5 0h3v11H9z" />,
  step: <path d="M3 2.5v11l7.5-5.5zm8 0h2v11h-2z" />,
  reset: (
    <g fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinecap="round" strokeLinejoin="round">
      <path d="M3.5 8A4.5 4.5 0 1 0 8 3.5H5.5" />
      <path d="M7 1.5l-2 2 2 2" />
    </g>
  ),
};

/** Decorative (aria-hidden): the button's own text names it, so screen readers hear "Pause", not a symbol. */
function Icon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg
      aria-hidden="true"
      focusable="false"
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      fill="currentColor"
      style={{ verticalAlign: '-0.125em', marginRight: '0.35em' }}
    >
      {ICONS[name]}
    </svg>
  );
}

const LEARNING_RATES = [3, 1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001, 0.00001];
const BATCH_SIZES: readonly (number | 'full')[] = [1, 8, 16, 32, 64, 128, 256, 'full'];

/**
 * Buttons to train, pause or resume, run one step and reset; counters for the epoch and
 * step; fields that change the learning rate and batch size live (`trainer.setOptions`).
 * @example <TrainingControls trainer={trainer} />
 */
export function TrainingControls(props: TrainingControlsProps) {
  const { trainer } = props;
  const snap = useStore(trainer);
  const [batchSize, setBatchSize] = useState<number | 'full'>(props.batchSize ?? 32);
  const [error, setError] = useState<ReactNNError | null>(null);
  useReportError(error, props.onError);
  const id = useId();

  const run = (action: () => unknown) => {
    setError(null);
    try {
      const result = action();
      if (result instanceof Promise) result.catch((e) => setError(asError(e)));
    } catch (e) {
      setError(asError(e));
    }
  };
  const status = snap?.status ?? 'idle';
  const running = status === 'running';
  const finished = !!snap && snap.epoch >= snap.epochs;
  const primary = running ? 'Pause' : status === 'paused' ? 'Resume' : 'Train';
  const onPrimary = () => {
    if (!trainer) return;
    if (running) run(() => trainer.pause());
    else if (status === 'paused') run(() => trainer.resume());
    else run(() => trainer.fit());
  };
  const rates = [...new Set([...(props.learningRates ?? LEARNING_RATES), ...(snap ? [snap.lr] : [])])].sort(
    (a, b) => b - a,
  );
  const sizes = [...new Set([...(props.batchSizes ?? BATCH_SIZES), batchSize])];

  return (
    <VizFrame
      {...viz(props)}
      kind="controls"
      defaultTitle="Training"
      error={snap?.error ?? error}
      message={trainer ? undefined : 'No trainer yet.'}
      summary={controlsSummary(snap)}
    >
      <div className="rnn-controls rnn-row">
        <fieldset className="rnn-row" style={{ border: 0, padding: 0, margin: 0 }} disabled={!trainer}>
          <legend style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0,0,0,0)' }}>
            Training actions
          </legend>
          <button type="button" onClick={onPrimary} disabled={!trainer || (!running && finished)}>
            <Icon name={running ? 'pause' : 'play'} />
            {primary}
          </button>
          <button
            type="button"
            onClick={() => trainer && run(() => trainer.step())}
            disabled={!trainer || running || finished}
          >
            <Icon name="step" />
            Step
          </button>
          <button type="button" onClick={() => trainer && run(() => trainer.reset())} disabled={!trainer}>
            <Icon name="reset" />
            Reset
          </button>
        </fieldset>
        <span className="rnn-counter" role="status">
          {statusText(status)}
        </span>
        <span className="rnn-counter">
          Epoch {snap?.epoch ?? 0}
          {snap ? ` / ${snap.epochs}` : ''}
        </span>
        <span className="rnn-counter">Step {fmtInt(snap?.step ?? 0)}</span>
        {props.hideOptions ? null : (
          <>
            <label htmlFor={`${id}lr`}>
              Learning rate
              <select
                id={`${id}lr`}
                value={snap ? String(snap.lr) : ''}
                disabled={!trainer}
                onChange={(e) => {
                  const lr = Number(e.target.value);
                  // The trainer merges a partial optimizer config; its type asks for a whole one.
                  if (trainer) run(() => trainer.setOptions({ optimizer: { lr } as TrainerOptions['optimizer'] }));
                }}
              >
                {snap ? null : <option value="">–</option>}
                {rates.map((r) => (
                  <option key={r} value={String(r)}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            <label htmlFor={`${id}bs`}>
              Batch size
              <select
                id={`${id}bs`}
                value={String(batchSize)}
                disabled={!trainer}
                onChange={(e) => {
                  const v = e.target.value === 'full' ? 'full' : Number(e.target.value);
                  if (!trainer) return;
                  run(() => {
                    trainer.setOptions({ batchSize: v });
                    setBatchSize(v);
                  });
                }}
              >
                {sizes.map((s) => (
                  <option key={s} value={String(s)}>
                    {s === 'full' ? 'full batch' : s}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
      </div>
    </VizFrame>
  );
}

function asError(e: unknown): ReactNNError {
  return e instanceof ReactNNError
    ? e
    : new ReactNNError('state', 'TrainingControls', (e as Error)?.message ?? String(e), { cause: e });
}

function statusText(status: TrainerSnapshot['status']): string {
  switch (status) {
    case 'running':
      return 'Training…';
    case 'paused':
      return 'Paused';
    case 'done':
      return 'Done';
    case 'stopped':
      return 'Stopped';
    case 'error':
      return 'Failed';
    default:
      return 'Ready';
  }
}

function controlsSummary(snap: TrainerSnapshot | null): string {
  if (!snap) return 'Training controls: no trainer yet.';
  const loss = snap.history.loss.at(-1);
  return `${statusText(snap.status)} Epoch ${snap.epoch} of ${snap.epochs}, step ${snap.step}, learning rate ${snap.lr}${
    loss === undefined ? '' : `, training loss ${fmt(loss)}`
  }.`;
}

/** Props of {@link ProgressBar}. */
export interface ProgressBarProps extends VizProps {
  /** The trainer to follow; null renders an empty bar. */
  trainer: Trainer | null | undefined;
  /** Steps in one epoch, when known (⌈train size / batch size⌉); otherwise measured over the first epoch. */
  stepsPerEpoch?: number;
}

interface Timing {
  epoch: number;
  step: number;
  at: number;
  msPerEpoch: number | null;
  stepsPerEpoch: number | null;
  status: string;
}

/**
 * Epoch progress and progress through the current epoch, with an estimate of the time
 * left; both bars are `role="progressbar"` with their values and a spoken text.
 * @example <ProgressBar trainer={trainer} />
 */
export function ProgressBar(props: ProgressBarProps) {
  const snap = useStore(props.trainer);
  const timing = useRef<Timing | null>(null);
  const now = performance.now();
  // Measure epoch time and steps per epoch between epoch ends seen while running.
  if (snap) {
    const t = timing.current;
    if (!t || snap.epoch < t.epoch || (t.status !== 'running' && snap.status === 'running')) {
      timing.current = {
        epoch: snap.epoch,
        step: snap.step,
        at: now,
        msPerEpoch: snap.epoch < (t?.epoch ?? 0) ? null : (t?.msPerEpoch ?? null),
        stepsPerEpoch: t?.stepsPerEpoch ?? null,
        status: snap.status,
      };
    } else if (snap.epoch > t.epoch) {
      const epochs = snap.epoch - t.epoch;
      const ms = (now - t.at) / epochs;
      timing.current = {
        epoch: snap.epoch,
        step: snap.step,
        at: now,
        msPerEpoch:
          t.status === 'running' ? (t.msPerEpoch === null ? ms : 0.7 * t.msPerEpoch + 0.3 * ms) : t.msPerEpoch,
        stepsPerEpoch: Math.round((snap.step - t.step) / epochs) || t.stepsPerEpoch,
        status: snap.status,
      };
    } else {
      t.status = snap.status;
    }
  }
  const t = timing.current;
  const epochs = snap?.epochs ?? 0;
  const epoch = snap?.epoch ?? 0;
  const perEpoch = props.stepsPerEpoch ?? t?.stepsPerEpoch ?? null;
  const inEpoch = snap && t ? Math.max(0, snap.step - t.step) : 0;
  const left =
    snap?.status === 'running' && t?.msPerEpoch ? Math.max(0, (epochs - epoch) * t.msPerEpoch - (now - t.at)) : null;
  const eta = left === null ? '' : `about ${formatDuration(left)} left`;
  const epochText = `Epoch ${epoch} of ${epochs}${eta ? `, ${eta}` : ''}`;
  const stepText = perEpoch
    ? `Step ${Math.min(inEpoch, perEpoch)} of ${perEpoch} in this epoch`
    : `Step ${inEpoch} in this epoch`;

  return (
    <VizFrame
      {...viz(props)}
      kind="progress"
      defaultTitle="Progress"
      message={props.trainer ? undefined : 'No trainer yet.'}
      summary={snap ? `${epochText}. ${stepText}.` : 'Progress: no trainer yet.'}
    >
      <div className="rnn-progress-row">
        <span>Epochs</span>
        <Bar label="Epochs" value={epoch} max={Math.max(epochs, 1)} text={epochText} />
        <span>
          {epoch} / {epochs}
        </span>
      </div>
      <div className="rnn-progress-row">
        <span>Steps</span>
        <Bar
          label="Steps in this epoch"
          value={perEpoch ? Math.min(inEpoch, perEpoch) : null}
          max={perEpoch ?? 1}
          text={stepText}
        />
        <span>{eta ? `ETA ${formatDuration(left as number)}` : perEpoch ? `${inEpoch} / ${perEpoch}` : inEpoch}</span>
      </div>
    </VizFrame>
  );
}

/** A progress bar; `value` null is indeterminate (no aria-valuenow). */
function Bar({ label, value, max, text }: { label: string; value: number | null; max: number; text: string }) {
  return (
    <div
      className="rnn-track"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value ?? undefined}
      aria-valuetext={text}
    >
      <div className="rnn-fill" style={{ width: `${value === null ? 0 : Math.min(100, (value / max) * 100)}%` }} />
    </div>
  );
}

/** 75_000 → "1:15"; 4_200 → "4 s". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}:${String(s % 60).padStart(2, '0')}`;
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
