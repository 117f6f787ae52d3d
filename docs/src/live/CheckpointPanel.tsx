import { useState } from 'react';
import {
  loadCheckpoint,
  type Net,
  type ReactNNError,
  restoreCheckpoint,
  saveCheckpoint,
  type Trainer,
  type UseCheckpointResult,
} from '../nn';

/**
 * Checkpoint controls for a live example whose trainer autosaves (`useResumableTrainer`, the
 * example's `autosave`): where it was restored from, the last autosave, save now, download a
 * `.rnn` file, open one, forget the saved copy.
 */
export function CheckpointPanel({
  model,
  trainer,
  saved,
}: {
  model: Net;
  trainer: Trainer | null;
  saved: UseCheckpointResult;
}) {
  const [message, setMessage] = useState<string | null>(null);
  const run = (what: () => Promise<string>) =>
    what().then(setMessage, (e: ReactNNError) => setMessage(e.message ?? String(e)));

  const savedEpoch = (saved.checkpoint?.trainerState?.json as { epoch?: number } | undefined)?.epoch;
  const resumedAt = savedEpoch !== undefined ? `; training goes on from epoch ${savedEpoch}` : '';
  const restoredNote = saved.checkpoint
    ? `Restored from this browser (saved ${new Date(saved.checkpoint.meta.savedAt).toLocaleTimeString()}${resumedAt}).`
    : saved.restored
      ? 'Nothing saved in this browser yet.'
      : 'Looking for a saved copy…';
  return (
    <div className="checkpoint-panel" data-testid="checkpoint-panel">
      <p className="muted" data-testid="restored">
        {restoredNote}
      </p>
      <p
        className="muted"
        data-testid="autosaved"
        data-epoch={saved.lastSaved?.epoch ?? ''}
        data-step={saved.lastSaved?.step ?? ''}
      >
        {saved.lastSaved
          ? `Autosaved at epoch ${saved.lastSaved.epoch} (${(saved.lastSaved.size / 1024).toFixed(1)} KB).`
          : 'Autosaves every 10 epochs and when you pause.'}
      </p>
      <div className="checkpoint-buttons">
        <button type="button" onClick={() => run(() => saved.save().then(() => 'Saved to this browser.'))}>
          Save now
        </button>
        <button
          type="button"
          onClick={() =>
            run(async () => {
              const bytes = await saveCheckpoint(trainer ?? model, 'downloads://moons');
              return `Downloaded moons.rnn (${(bytes.length / 1024).toFixed(1)} KB).`;
            })
          }
        >
          Download .rnn
        </button>
        <label className="file-button">
          Open .rnn…
          <input
            type="file"
            accept=".rnn,application/zip"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (!file) return;
              run(async () => {
                const cp = await loadCheckpoint(file);
                restoreCheckpoint(model, cp);
                return `Loaded ${file.name}: ${cp.meta.totalParams} parameters.`;
              });
            }}
          />
        </label>
        <button type="button" className="link-button" onClick={() => run(() => saved.clear().then(() => 'Forgotten.'))}>
          Forget the saved copy
        </button>
      </div>
      {message ? (
        <p role="status" data-testid="checkpoint-message">
          {message}
        </p>
      ) : null}
    </div>
  );
}
