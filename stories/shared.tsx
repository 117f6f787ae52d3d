// Pieces shared by the stories: a text read-out of the training state, controls drawn in the
// canvas that change a story's args live, and the play checks. Not a story file itself.

import { type ComponentType, useEffect, useState } from 'react';
import {
  BentIdentity,
  ELU,
  GELU,
  LeakyReLU,
  type OptimizerConfig,
  PReLU,
  ReLU,
  type ResolvedOptimizerConfig,
  Sigmoid,
  Tanh,
  type Trainer,
  useMetrics,
} from 'react-nn';
import { useArgs } from 'storybook/preview-api';
import { expect, waitFor, within } from 'storybook/test';

/** Hidden activations a story can switch between from the controls panel. */
export const ACTIVATIONS = { BentIdentity, ReLU, PReLU, LeakyReLU, ELU, GELU, Tanh, Sigmoid } as const;
export type ActivationName = keyof typeof ACTIVATIONS;
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];

export type OptimizerName = 'adam' | 'adamw' | 'sgd' | 'momentum' | 'rmsprop';
export const OPTIMIZER_NAMES: OptimizerName[] = ['adam', 'adamw', 'sgd', 'momentum', 'rmsprop'];

/** An optimizer config from a control's name and a learning rate. */
export function optimizer(name: OptimizerName, lr: number): OptimizerConfig {
  if (name === 'momentum') return { type: 'sgd', lr, momentum: 0.9, nesterov: true };
  return { type: name, lr } as OptimizerConfig;
}

/** Controls for a learning rate and an optimizer. */
export const trainingArgTypes = {
  lr: { control: { type: 'number', min: 0.0001, max: 1, step: 0.001 }, description: 'Learning rate, applied live' },
  optimizer: { control: 'select', options: OPTIMIZER_NAMES, description: 'Optimizer, applied live' },
} as const;

/** Learning rates offered by the in-canvas select (the Controls panel takes any value). */
const LR_CHOICES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3];

/** Status, epoch, the first epoch's and the last loss as text: what play functions (and screen readers) read. */
export function TrainingReadout({ trainer, id = 'loss' }: { trainer: Trainer | null; id?: string }) {
  const { status, epoch, epochs, history } = useMetrics(trainer);
  const first = history.loss[0];
  const loss = history.loss.at(-1);
  const val = history.val_loss?.at(-1);
  return (
    <p className="story-readout">
      <output data-testid={`${id}-status`}>{status}</output> · epoch{' '}
      <output data-testid={`${id}-epoch`}>{epoch}</output>/{epochs} · loss{' '}
      <output data-testid={id}>{loss === undefined ? '' : loss.toFixed(4)}</output>
      {first === undefined ? null : (
        <>
          {' '}
          (epoch 1: <output data-testid={`${id}-first`}>{first.toFixed(4)}</output>)
        </>
      )}
      {val === undefined ? null : <> · val loss {val.toFixed(4)}</>}
    </p>
  );
}

/** An optimizer in words, as the trainer resolved it: `adam`, `sgd (momentum 0.9, nesterov)`. */
export function describeOptimizer(config: Readonly<ResolvedOptimizerConfig>): string {
  if (config.type === 'sgd' && config.momentum > 0) {
    return `sgd (momentum ${config.momentum}${config.nesterov ? ', nesterov' : ''})`;
  }
  return config.type;
}

/** The optimizer and learning rate the trainer is using now (its snapshot), not the ones asked for. */
export function OptimizerReadout({ trainer }: { trainer: Trainer | null }) {
  const { lr } = useMetrics(trainer);
  return (
    <p className="story-readout">
      in use: <output data-testid="optimizer">{trainer ? describeOptimizer(trainer.optimizer.config) : ''}</output> · lr{' '}
      <output data-testid="lr">{trainer ? String(lr) : ''}</output>
    </p>
  );
}

/** Props of a story component whose canvas can change its own args. */
export interface LiveArgsProps<A> {
  /** Changes args from inside the canvas; the Controls panel follows. */
  setArgs?: (patch: Partial<A>) => void;
}

/**
 * A story `render` for components that change their own args from the canvas. A change shows at
 * once (local state over the args) and is sent to Storybook with `useArgs`' updateArgs, so the
 * Controls panel and the URL follow; new args from Storybook (the panel, a reset) replace the local
 * changes. Where no Storybook manager listens — a Vitest run — the local state alone carries them.
 */
export function renderWithLiveArgs<A extends object>(Component: ComponentType<A & LiveArgsProps<A>>) {
  return function Render(args: A) {
    const [, updateArgs] = useArgs<A & Record<string, unknown>>();
    return <LiveArgs args={args} updateArgs={updateArgs as (patch: Partial<A>) => void} component={Component} />;
  };
}

function LiveArgs<A extends object>({
  args,
  updateArgs,
  component: Component,
}: {
  args: A;
  updateArgs: (patch: Partial<A>) => void;
  component: ComponentType<A & LiveArgsProps<A>>;
}) {
  const [local, setLocal] = useState<{ base: A; patch: Partial<A> }>({ base: args, patch: {} });
  // New args from Storybook drop the local changes (adjusting state during render, as React's docs show).
  const current = sameArgs(local.base, args) ? local : { base: args, patch: {} };
  if (current !== local) setLocal(current);
  const setArgs = (patch: Partial<A>) => {
    setLocal((l) => ({ ...l, patch: { ...l.patch, ...patch } }));
    updateArgs(patch);
  };
  return <Component {...args} {...current.patch} setArgs={setArgs} />;
}

function sameArgs(a: object, b: object): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length &&
    ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** In-canvas controls for the learning rate and the optimizer: the same args the Controls panel sets. */
export function OptimizerInputs({
  lr,
  optimizer: name,
  setArgs,
}: {
  lr: number;
  optimizer: OptimizerName;
  setArgs?: (patch: { lr?: number; optimizer?: OptimizerName }) => void;
}) {
  const choices = [...new Set([...LR_CHOICES, lr])].sort((a, b) => a - b);
  return (
    <fieldset className="story-inputs" disabled={!setArgs}>
      <legend>Story args, applied live</legend>
      <label>
        Learning rate{' '}
        <select value={String(lr)} onChange={(e) => setArgs?.({ lr: Number(e.target.value) })}>
          {choices.map((v) => (
            <option key={v} value={String(v)}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <label>
        Optimizer{' '}
        <select value={name} onChange={(e) => setArgs?.({ optimizer: e.target.value as OptimizerName })}>
          {OPTIMIZER_NAMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

/** The number shown in an `<output data-testid>`; NaN while it is empty. */
export function readNumber(canvasElement: HTMLElement, testId: string): number {
  const text = within(canvasElement).getByTestId(testId).textContent ?? '';
  return text === '' ? Number.NaN : Number(text);
}

/**
 * Play check: training starts and the loss falls — the latest epoch's mean loss drops below the
 * first epoch's. Both come from the trainer's history, so a run that finishes before the check
 * looks (small nets train 300 epochs in under a second) is checked as well. No timing asserts.
 */
export async function expectLossFalls(canvasElement: HTMLElement, id = 'loss') {
  await within(canvasElement).findByTestId(id, {}, { timeout: 30_000 });
  await waitFor(
    () => {
      const first = readNumber(canvasElement, `${id}-first`);
      expect(Number.isFinite(first)).toBe(true);
      expect(readNumber(canvasElement, `${id}-epoch`)).toBeGreaterThanOrEqual(2);
      expect(readNumber(canvasElement, id)).toBeLessThan(first);
    },
    { timeout: 90_000, interval: 200 },
  );
}

/**
 * Starts training once the trainer exists, like the docs' examples. The returned promise is
 * caught: when a story unmounts mid-epoch, the trainer is disposed and its run may reject —
 * errors that matter show in the snapshot (`useMetrics(trainer).error`).
 */
export function useAutoFit(trainer: Trainer | null, enabled = true) {
  useEffect(() => {
    if (enabled && trainer?.status === 'idle') trainer.fit().catch(() => {});
  }, [trainer, enabled]);
}
