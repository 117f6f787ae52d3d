import { cleanup, render, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { createTrainer } from '../../training/trainer';
import { formatDuration, ProgressBar, TrainingControls } from '../controls';
import { moonsData, moonsMlp, settle, textAlternative, until } from './helpers';

const owned: { dispose(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const o of owned.splice(0).reverse()) o.dispose();
});

async function setup(epochs = 3) {
  const net = await moonsMlp();
  const data = moonsData(128);
  const trainer = createTrainer(net, {
    data,
    loss: 'bce',
    optimizer: { type: 'adam', lr: 0.01 },
    epochs,
    batchSize: 32,
    seed: 1,
  });
  owned.push(net, data, trainer);
  return trainer;
}

describe('TrainingControls', () => {
  it('steps, trains, pauses and resets with real buttons, from the keyboard', async () => {
    // Epochs no run finishes before the test pauses it (Resume after Step trains on for real).
    const trainer = await setup(10_000_000);
    const view = render(<TrainingControls trainer={trainer} />);
    const fig = view.getByRole('figure', { name: 'Training', description: /Ready Epoch 0 of 10000000, step 0/ });
    const ui = within(fig);
    expect(ui.getByRole('status').textContent).toBe('Ready');

    // Keyboard: focus "Step" and press Enter, then Space.
    ui.getByRole('button', { name: 'Step' }).focus();
    await userEvent.keyboard('{Enter}');
    await until(() => trainer.getSnapshot().step === 1);
    await userEvent.keyboard(' ');
    await until(() => trainer.getSnapshot().step === 2);
    await settle();
    expect(ui.getByText('Step 2')).toBeTruthy();
    expect(ui.getByRole('status').textContent).toBe('Paused');

    await userEvent.click(ui.getByRole('button', { name: 'Resume' }));
    await until(() => trainer.status === 'running');
    await until(() => ui.queryByRole('button', { name: 'Pause' }) !== null);
    expect(ui.getByRole('button', { name: 'Step' })).toHaveProperty('disabled', true);
    await userEvent.click(ui.getByRole('button', { name: 'Pause' }));
    await until(() => trainer.status === 'paused');

    await userEvent.click(ui.getByRole('button', { name: 'Reset' }));
    await until(() => trainer.getSnapshot().step === 0 && trainer.status === 'idle');
    await settle();
    expect(ui.getByRole('button', { name: 'Train' })).toBeTruthy();
    expect(ui.getByText('Epoch 0 / 10000000')).toBeTruthy();
    view.unmount();
  });

  it('changes the learning rate and batch size through labelled fields', async () => {
    const trainer = await setup();
    const view = render(<TrainingControls trainer={trainer} />);
    const lr = view.getByRole('combobox', { name: 'Learning rate' }) as HTMLSelectElement;
    expect(lr.value).toBe('0.01');
    await userEvent.selectOptions(lr, '0.1');
    await until(() => trainer.getSnapshot().lr === 0.1);
    await settle();
    expect(lr.value).toBe('0.1');
    const bs = view.getByRole('combobox', { name: 'Batch size' }) as HTMLSelectElement;
    await userEvent.selectOptions(bs, 'full');
    expect(bs.value).toBe('full');
    // A full batch is one step per epoch.
    await trainer.step();
    await trainer.step();
    expect(trainer.getSnapshot().epoch).toBe(2);
    view.unmount();
  });

  it('renders disabled controls without a trainer', () => {
    const view = render(<TrainingControls trainer={null} />);
    const fig = view.getByRole('figure', { name: 'Training', description: /no trainer yet/ });
    for (const b of within(fig).getAllByRole('button')) expect(b).toHaveProperty('disabled', true);
    view.unmount();
  });

  it('names every button by its text; the icons are hidden SVGs, not font glyphs', async () => {
    const trainer = await setup(10_000_000); // more epochs than any run finishes before the pause
    const view = render(<TrainingControls trainer={trainer} />);
    const ui = within(view.getByRole('figure', { name: 'Training' }));
    // Synchronous, so it sees the running state before training ends.
    const names = () => {
      const buttons = ui.getAllByRole('button');
      for (const b of buttons) {
        const icon = b.querySelector('svg');
        expect(icon?.getAttribute('aria-hidden')).toBe('true');
        expect(icon?.getBoundingClientRect().width).toBeGreaterThan(0);
      }
      // Exact accessible names (whole-string match): the icon adds nothing to them, and no symbol is left in the text.
      expect(buttons).toEqual(buttons.map((b) => ui.getByRole('button', { name: b.textContent ?? '' })));
      return buttons.map((b) => b.textContent);
    };
    expect(names()).toEqual(['Train', 'Step', 'Reset']);
    const fitting = trainer.fit();
    await until(() => ui.queryByRole('button', { name: 'Pause' }) !== null);
    expect(names()).toEqual(['Pause', 'Step', 'Reset']);
    trainer.pause();
    await until(() => ui.queryByRole('button', { name: 'Resume' }) !== null);
    expect(names()).toEqual(['Resume', 'Step', 'Reset']);
    trainer.stop();
    await fitting;
    view.unmount();
  });
});

describe('ProgressBar', () => {
  it('reports epoch and step progress through role="progressbar"', async () => {
    const trainer = await setup(3);
    const view = render(<ProgressBar trainer={trainer} />);
    const epochs = view.getByRole('progressbar', { name: 'Epochs' });
    expect(epochs.getAttribute('aria-valuenow')).toBe('0');
    expect(epochs.getAttribute('aria-valuemax')).toBe('3');
    const steps = view.getByRole('progressbar', { name: 'Steps in this epoch' });
    // Steps per epoch unknown until one epoch has passed: indeterminate.
    expect(steps.hasAttribute('aria-valuenow')).toBe(false);
    await trainer.fit();
    await settle();
    expect(epochs.getAttribute('aria-valuenow')).toBe('3');
    expect(epochs.getAttribute('aria-valuetext')).toBe('Epoch 3 of 3');
    expect(steps.getAttribute('aria-valuemax')).toBe('4');
    view.getByRole('figure', { name: 'Progress', description: 'Epoch 3 of 3. Step 0 of 4 in this epoch.' });
    view.unmount();
  });

  it('takes steps per epoch and renders an empty state without a trainer', () => {
    const view = render(<ProgressBar trainer={null} stepsPerEpoch={10} />);
    view.getByRole('figure', { name: 'Progress', description: /no trainer yet/ });
    expect(view.getByRole('progressbar', { name: 'Steps in this epoch' }).getAttribute('aria-valuemax')).toBe('10');
    expect(textAlternative(view.getByRole('figure'))).toBe('Progress: no trainer yet.');
    expect(formatDuration(75_000)).toBe('1:15');
    view.unmount();
  });
});
