/**
 * Autosave: keeps a model (and its trainer's state, once the trainer exports one) in IndexedDB
 * under one key — every N epochs, whenever training pauses or ends — and restores the model from
 * it when a page opens again. Framework-agnostic; `useCheckpoint` is its React hook.
 */
import { ReactNNError } from '../errors';
import type { Net } from '../runtime/net';
import { Subscribable } from '../subscribable';
import { type Checkpoint, loadCheckpoint, restoreCheckpoint, saveCheckpoint } from './checkpoint';
import { deleteCheckpoint, listCheckpoints } from './indexedDb';
import { isTrainerLike } from './trainerState';

/** What autosave needs from a trainer: its progress, to know when to save. */
export interface TrainerProgress {
  subscribe(listener: () => void): () => void;
  getSnapshot(): { readonly epoch: number; readonly step: number; readonly status: string };
}

export interface AutosaveOptions {
  /** The IndexedDB key: saves go to `'indexeddb://KEY'`. */
  key: string;
  /** Save every this many epochs (default 1); 0 saves only on pause and at the end. */
  every?: number;
  /** Restore the model from the key when it exists (default true). */
  restore?: boolean;
}

export interface AutosaveSnapshot {
  /** 'restoring' until the stored checkpoint (if any) is back in the model; then 'idle', or 'saving'. */
  status: 'restoring' | 'idle' | 'saving';
  /** True once the restore attempt is over, found or not: the moment to create a trainer that resumes. */
  restored: boolean;
  /** The checkpoint the model was restored from (pass it to `createTrainer(net, { resume })`), or null. */
  checkpoint: Checkpoint | null;
  /** The last save: when, at which epoch and step (as the trainer reported when it began), how many bytes. */
  lastSaved: { at: string; epoch: number; step: number; size: number } | null;
  /** The last failure (no IndexedDB here, a checkpoint that no longer fits the model…); saving goes on. */
  error: ReactNNError | null;
}

const SAVE_ON = new Set(['paused', 'done', 'stopped']);

/** The autosave store behind `useCheckpoint`. */
export class Autosave extends Subscribable<AutosaveSnapshot> {
  #net: Net;
  #options: Required<AutosaveOptions>;
  #trainer: TrainerProgress | null = null;
  #unsubscribe: (() => void) | null = null;
  #last = { epoch: 0, step: 0, status: 'idle' };
  #queue: Promise<void> = Promise.resolve();
  #disposed = false;

  constructor(net: Net, options: AutosaveOptions) {
    super({ status: 'restoring', restored: false, checkpoint: null, lastSaved: null, error: null });
    if (typeof options?.key !== 'string' || options.key === '') {
      throw new ReactNNError('option', 'useCheckpoint', "key must be a non-empty string, e.g. { key: 'moons' }");
    }
    const every = options.every ?? 1;
    if (!Number.isInteger(every) || every < 0) {
      throw new ReactNNError('option', 'useCheckpoint', `every must be a whole number of epochs ≥ 0 (got ${every})`);
    }
    this.#net = net;
    this.#options = { key: options.key, every, restore: options.restore ?? true };
    void this.#restore();
  }

  async #restore(): Promise<void> {
    let checkpoint: Checkpoint | null = null;
    let error: ReactNNError | null = null;
    try {
      if (this.#options.restore && (await listCheckpoints()).some((c) => c.key === this.#options.key)) {
        await this.#net.ready();
        checkpoint = await loadCheckpoint(`indexeddb://${this.#options.key}`);
        if (!this.#disposed) restoreCheckpoint(this.#net, checkpoint);
      }
    } catch (e) {
      error = asError(e);
      checkpoint = null;
    }
    if (this.#disposed) return;
    this.setSnapshot({ status: 'idle', restored: true, checkpoint, error });
  }

  /** Follows a trainer (or none); its pauses, ends and epochs trigger saves. */
  setTrainer(trainer: TrainerProgress | null): void {
    if (trainer === this.#trainer) return;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#trainer = trainer;
    if (!trainer) return;
    const s = trainer.getSnapshot();
    this.#last = { epoch: s.epoch, step: s.step, status: s.status };
    this.#unsubscribe = trainer.subscribe(() => this.#onProgress(trainer));
  }

  #onProgress(trainer: TrainerProgress): void {
    const { epoch, step, status } = trainer.getSnapshot();
    const prev = this.#last;
    this.#last = { epoch, step, status };
    const every = this.#options.every;
    // Snapshots are batched per frame: several epochs may pass between two of them.
    const epochDue = every > 0 && epoch > prev.epoch && Math.floor(epoch / every) > Math.floor(prev.epoch / every);
    const stopped = status !== prev.status && SAVE_ON.has(status);
    // A pause takes effect after the current step (or fused chunk): progress that lands while
    // paused is saved again, so the stored state is where training really stopped.
    const settled = SAVE_ON.has(status) && (step !== prev.step || epoch !== prev.epoch);
    if (epochDue || stopped || settled) void this.save().catch(() => {});
  }

  /**
   * Saves now (the trainer with its state when it can export one, else the model). Saves run one
   * at a time; before the restore attempt is over nothing is saved, so a fresh model never
   * overwrites the checkpoint it is about to be restored from.
   */
  save(): Promise<void> {
    const run = async () => {
      if (this.#disposed || !this.getSnapshot().restored || this.#net.isDisposed) return;
      this.setSnapshot({ status: 'saving' });
      try {
        // A trainer's state can be exported only between runs (exportState refuses while one is
        // running, since a chunk in flight would split it across two moments): a save during training
        // keeps the weights, and the save on pause or stop adds the trainer state.
        const trainer = this.#trainer;
        const between = (trainer?.getSnapshot() as { status?: string } | undefined)?.status !== 'running';
        const source = between && isTrainerLike(trainer) ? trainer : this.#net;
        const { epoch = 0, step = 0 } = this.#trainer?.getSnapshot() ?? {};
        const bytes = await saveCheckpoint(source, `indexeddb://${this.#options.key}`);
        if (!this.#disposed)
          this.setSnapshot({
            status: 'idle',
            lastSaved: { at: new Date().toISOString(), epoch, step, size: bytes.length },
            error: null,
          });
      } catch (e) {
        if (!this.#disposed) this.setSnapshot({ status: 'idle', error: asError(e) });
        throw e;
      }
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Deletes the stored checkpoint (the next save writes a new one). */
  async clear(): Promise<void> {
    await this.#queue;
    await deleteCheckpoint(this.#options.key);
    if (!this.#disposed) this.setSnapshot({ lastSaved: null, checkpoint: null });
  }

  dispose(): void {
    this.#disposed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.getSnapshot().checkpoint?.dispose();
  }
}

function asError(e: unknown): ReactNNError {
  return e instanceof ReactNNError
    ? e
    : new ReactNNError('state', 'useCheckpoint', `autosave failed: ${(e as Error)?.message ?? String(e)}`, {
        cause: e,
      });
}
