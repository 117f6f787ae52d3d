import { describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import { INITIAL_RUN, mustEnd, type RunAction, type RunState, transition } from '../trainerStatus';

const run = (...actions: RunAction[]): RunState => actions.reduce(transition, INITIAL_RUN);
const error = new ReactNNError('numeric', 'Trainer', 'the loss became NaN');

describe('trainer state machine (pure transitions)', () => {
  it('idle → running ⇄ paused → done', () => {
    expect(run({ type: 'fit' }).status).toBe('running');
    expect(run({ type: 'fit' }, { type: 'pause' }).status).toBe('paused');
    expect(run({ type: 'fit' }, { type: 'pause' }, { type: 'resume' }).status).toBe('running');
    expect(run({ type: 'fit' }, { type: 'pause' }, { type: 'fit' }).status).toBe('running');
    const done = run({ type: 'fit' }, { type: 'finish', status: 'done' });
    expect(done).toMatchObject({ status: 'done', stopReason: null, began: false, ending: null });
  });

  it('actions that do not apply leave the very same state object', () => {
    const idle = INITIAL_RUN;
    for (const type of ['pause', 'resume', 'stop'] as const) expect(transition(idle, { type })).toBe(idle);
    const running = run({ type: 'fit' });
    expect(transition(running, { type: 'fit' })).toBe(running);
    expect(transition(running, { type: 'resume' })).toBe(running);
  });

  it('stop() asks the loop to end; it ends stopped "by stop()", and the next fit continues the run', () => {
    const asked = run({ type: 'fit' }, { type: 'begin' }, { type: 'stop' });
    expect(asked.status).toBe('running');
    expect(asked.ending).toBe('stop');
    expect(mustEnd(asked)).toBe(true);
    const ended = transition(asked, { type: 'finish', status: 'stopped' });
    expect(ended).toMatchObject({ status: 'stopped', stopReason: 'stopped by stop()', began: true, ending: null });
    expect(transition(ended, { type: 'fit' })).toMatchObject({ status: 'running', stopReason: null, began: true });
  });

  it('a callback stop ends the run stopped with its reason, and the next fit starts afresh', () => {
    const s = run({ type: 'fit' }, { type: 'begin' }, { type: 'callbackStop', reason: 'early stopping' });
    expect(mustEnd(s)).toBe(true);
    expect(transition(s, { type: 'finish', status: 'stopped' })).toMatchObject({
      status: 'stopped',
      stopReason: 'early stopping',
      began: false,
      callbackStop: null,
    });
  });

  it('reset() during a run: the run ends at idle, never stopped', () => {
    const s = run({ type: 'fit' }, { type: 'begin' }, { type: 'reset' });
    expect(s).toMatchObject({ status: 'idle', ending: 'reset', began: false });
    expect(transition(s, { type: 'finish', status: 'stopped' })).toMatchObject({ status: 'idle', ending: null });
  });

  it('a failure sets error; fit() clears it', () => {
    const failed = run({ type: 'fit' }, { type: 'fail', error }, { type: 'finish', status: 'error' });
    expect(failed).toMatchObject({ status: 'error', error });
    expect(transition(failed, { type: 'fit' })).toMatchObject({ status: 'running', error: null });
  });

  it('dispose: the run ends with stopReason "disposed", fit never restarts it, reset keeps it disposed', () => {
    const s = run({ type: 'fit' }, { type: 'dispose' });
    expect(mustEnd(s)).toBe(true);
    expect(transition(s, { type: 'finish', status: 'stopped' })).toMatchObject({
      status: 'stopped',
      stopReason: 'disposed',
    });
    expect(transition(s, { type: 'fit' })).toBe(s);
    expect(transition(s, { type: 'reset' }).ending).toBe('dispose');
  });

  it('a hand-made step rests at paused, except mid-run', () => {
    expect(run({ type: 'stepped' }).status).toBe('paused');
    expect(run({ type: 'fit' }, { type: 'finish', status: 'done' }, { type: 'stepped' }).status).toBe('paused');
    expect(run({ type: 'fit' }, { type: 'stepped' }).status).toBe('running');
  });
});
