import { useMetrics } from '../react/useMetrics';
import type { Trainer } from '../training/trainer';
import { srOnly } from '../viz/common';

export interface RunBarProps {
  playing: boolean;
  onPlay(): void;
  onPause(): void;
  trainer: Trainer | null;
}

/** Runs one whole epoch by hand (Playground's step), a batch at a time. */
async function stepEpoch(trainer: Trainer): Promise<void> {
  const start = trainer.getSnapshot().epoch;
  // An epoch is at most the training set in batches of one: a bound, so a stuck trainer cannot loop forever.
  for (let i = 0; i < 100_000 && trainer.getSnapshot().epoch === start; i++) {
    const s = await trainer.step();
    if (s.status === 'error') return;
  }
}

/** Play/pause, one step (an epoch), reset, and the read-outs: epoch and engine. */
export function RunBar(props: RunBarProps) {
  const { trainer } = props;
  // Only this bar re-renders per frame while training, not the page.
  const snapshot = useMetrics(trainer, []);
  return (
    <fieldset className="rnn-pg-run">
      <legend style={srOnly}>Run</legend>
      <button
        type="button"
        data-testid="play"
        aria-pressed={props.playing}
        disabled={!trainer}
        onClick={props.playing ? props.onPause : props.onPlay}
      >
        {props.playing ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        data-testid="step"
        disabled={!trainer || props.playing}
        onClick={() => trainer && stepEpoch(trainer).catch(() => {})}
      >
        Step
      </button>
      <button
        type="button"
        data-testid="reset"
        disabled={!trainer}
        onClick={() => {
          props.onPause();
          trainer?.reset();
        }}
      >
        Reset
      </button>
      <span>
        Epoch{' '}
        <output data-testid="epoch" data-value={snapshot.epoch}>
          {snapshot.epoch.toLocaleString('en-US')}
        </output>
      </span>
      <span className="rnn-pg-engine" title={snapshot.engine.reason}>
        engine: {snapshot.engine.name}
      </span>
      {snapshot.error ? <p role="alert">{snapshot.error.message}</p> : null}
    </fieldset>
  );
}
