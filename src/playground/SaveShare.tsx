import { type ChangeEvent, useId, useState } from 'react';
import type { Net } from '../runtime/net';
import type { Trainer } from '../training/trainer';
import { openPlayground, type Restored, savePlayground, shareLink, weightsLeftOut } from './persist';
import type { PlaygroundState } from './state';

export interface SaveShareProps {
  state: PlaygroundState;
  net: Net;
  trainer: Trainer | null;
  /** Pauses training (Open puts the file's run in place of the page's; Share reads the weights of one moment). */
  pause(): void;
  /** Puts an opened file's state and weights in place. */
  onOpen(restored: Restored): void;
}

/**
 * Save (a `.rnn` download), Open (a `.rnn` file) and Share (a link with the state and, when they
 * fit, the trained weights). Errors are shown here and change nothing.
 */
export function SaveShare({ state, net, trainer, pause, onOpen }: SaveShareProps) {
  const id = useId();
  const [link, setLink] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    run(async () => {
      // A paused trainer is saved with its optimizer state (a running one refuses: its state moves).
      const idle = trainer && trainer.getSnapshot().status !== 'running';
      await savePlayground(idle ? trainer : net, state);
      setNote('Saved playground.rnn to your downloads.');
    });

  const share = () =>
    run(async () => {
      // A link is of one moment: the weights are read one by one, so training pauses and a chunk
      // still in flight lands first (exportState waits for the loop to park).
      if (trainer) {
        if (trainer.getSnapshot().status === 'running') pause();
        await trainer.exportState().catch(() => {});
      }
      await net.ready();
      const made = await shareLink(state, net, window.location);
      setLink(made.url);
      let copied = false;
      try {
        await navigator.clipboard.writeText(made.url);
        copied = true;
      } catch {
        // No clipboard permission (or no clipboard): the link is in the field to copy by hand.
      }
      setNote(
        `${copied ? 'Link copied. ' : ''}${made.withWeights ? 'It holds the settings, the data and the trained weights.' : weightsLeftOut(net)}`,
      );
    });

  const open = (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.target;
    const file = input.files?.[0];
    if (!file) return;
    void run(async () => {
      const restored = await openPlayground(file, state);
      pause();
      onOpen(restored);
      setNote(`Opened ${file.name}.`);
    }).finally(() => {
      // The same file may be opened again.
      input.value = '';
    });
  };

  return (
    <fieldset className="rnn-pg-panel rnn-pg-save">
      <legend>Save and share</legend>
      <div className="rnn-row">
        <button type="button" onClick={save} disabled={busy}>
          Save
        </button>
        <label>
          Open <input type="file" accept=".rnn,application/zip" onChange={open} disabled={busy} />
        </label>
        <button type="button" onClick={share} disabled={busy}>
          Share
        </button>
      </div>
      {link ? (
        <>
          <label htmlFor={id}>Share link</label>
          <input id={id} data-testid="share-link" readOnly value={link} onFocus={(e) => e.target.select()} />
        </>
      ) : null}
      {note ? <p role="status">{note}</p> : null}
      {error ? (
        <p role="alert" className="rnn-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
