// Pieces shared by the stories: a text read-out of the training state, and the play check
// that training starts and the loss falls. Not a story file itself.

import { useEffect } from 'react';
import {
  BentIdentity,
  ELU,
  GELU,
  LeakyReLU,
  type OptimizerConfig,
  PReLU,
  ReLU,
  Sigmoid,
  Tanh,
  type Trainer,
  useMetrics,
} from 'react-nn';
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

/** Status, epoch and the last loss as text: what play functions (and screen readers) read. */
export function TrainingReadout({ trainer, id = 'loss' }: { trainer: Trainer | null; id?: string }) {
  const { status, epoch, epochs, history } = useMetrics(trainer);
  const loss = history.loss.at(-1);
  const val = history.val_loss?.at(-1);
  return (
    <p className="story-readout">
      <output data-testid={`${id}-status`}>{status}</output> · epoch {epoch}/{epochs} · loss{' '}
      <output data-testid={id}>{loss === undefined ? '' : loss.toFixed(4)}</output>
      {val === undefined ? null : <> · val loss {val.toFixed(4)}</>}
    </p>
  );
}

/** Play check: training starts (a first loss shows) and, later, a lower loss shows. No timing asserts. */
export async function expectLossFalls(canvasElement: HTMLElement, id = 'loss') {
  const canvas = within(canvasElement);
  const output = await canvas.findByTestId(id, {}, { timeout: 30_000 });
  let first = Number.NaN;
  await waitFor(
    () => {
      const text = output.textContent ?? '';
      expect(text).not.toBe('');
      first = Number(text);
      expect(Number.isFinite(first)).toBe(true);
    },
    { timeout: 45_000, interval: 100 },
  );
  await waitFor(() => expect(Number(output.textContent)).toBeLessThan(first), { timeout: 60_000, interval: 200 });
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
