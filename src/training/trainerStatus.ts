/**
 * The trainer's state machine as one pure transition function, like TanStack Query's
 * `#dispatch(action)`: every change of status, pending request, stop reason and error goes
 * through `transition`, so the rules live in one place and a state can be saved and reasoned about.
 *
 *   idle ─fit→ running ⇄ paused ─→ done | stopped | error ─fit→ running …
 *   any ─reset→ idle (the loop, if alive, ends there)
 */
import type { ReactNNError } from '../errors';

export type TrainerStatus = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

export interface RunState {
  status: TrainerStatus;
  /**
   * What the loop must do at its next check: end the run ('stop'), end it where reset() left
   * everything ('reset'), or end it because the trainer was disposed ('dispose').
   */
  ending: 'stop' | 'reset' | 'dispose' | null;
  /** A callback asked to stop (early stopping): the loop stops after the epoch, with this reason. */
  callbackStop: string | null;
  /** Callbacks were told the run began (onTrainBegin); false makes the next start a fresh run. */
  began: boolean;
  stopReason: string | null;
  error: ReactNNError | null;
}

export type RunAction =
  | { type: 'fit' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'reset' }
  | { type: 'dispose' }
  | { type: 'begin' }
  /** A hand-made step() ran: the trainer rests at 'paused' unless it is mid-run. */
  | { type: 'stepped' }
  | { type: 'callbackStop'; reason: string }
  | { type: 'fail'; error: ReactNNError }
  /** The loop ended: with `status`, or, for an ending request, the status that request implies. */
  | { type: 'finish'; status: 'done' | 'stopped' | 'error' };

export const INITIAL_RUN: RunState = {
  status: 'idle',
  ending: null,
  callbackStop: null,
  began: false,
  stopReason: null,
  error: null,
};

const STOPPED_BY_USER = 'stopped by stop()';

/** The next state. Actions that do not apply in a state leave it as it is (the same object). */
export function transition(s: RunState, a: RunAction): RunState {
  switch (a.type) {
    case 'fit':
      if (s.status === 'running' || s.ending === 'dispose') return s;
      if (s.status === 'paused') return { ...s, status: 'running' };
      return { ...s, status: 'running', ending: null, callbackStop: null, stopReason: null, error: null };
    case 'pause':
      return s.status === 'running' ? { ...s, status: 'paused' } : s;
    case 'resume':
      return s.status === 'paused' ? { ...s, status: 'running' } : s;
    case 'stop':
      return s.status === 'running' || s.status === 'paused' ? { ...s, ending: 'stop' } : s;
    case 'reset':
      return { ...INITIAL_RUN, ending: s.ending === 'dispose' ? 'dispose' : 'reset' };
    case 'dispose':
      return { ...s, ending: 'dispose' };
    case 'begin':
      return s.began ? s : { ...s, began: true };
    case 'stepped':
      return s.status === 'idle' || s.status === 'done' || s.status === 'stopped' ? { ...s, status: 'paused' } : s;
    case 'callbackStop':
      return { ...s, callbackStop: a.reason };
    case 'fail':
      return { ...s, status: 'error', error: a.error };
    case 'finish': {
      if (s.ending === 'reset') return { ...s, ending: null };
      if (s.ending === 'dispose') {
        // No callbacks any more, but the last snapshot must not say 'running'.
        return { ...s, status: a.status, stopReason: s.stopReason ?? 'disposed' };
      }
      const status = s.callbackStop && a.status === 'done' ? 'stopped' : a.status;
      const stopReason = s.callbackStop ?? s.stopReason ?? (status === 'stopped' ? STOPPED_BY_USER : null);
      // A run stop() ended continues on the next fit(); anything else starts afresh.
      const began = status === 'stopped' && stopReason === STOPPED_BY_USER;
      return { ...s, status, stopReason, began, ending: null, callbackStop: null };
    }
  }
}

/** Whether the loop must end now (before its next step). */
export function mustEnd(s: RunState): boolean {
  return s.ending !== null || s.callbackStop !== null || s.status === 'error';
}
