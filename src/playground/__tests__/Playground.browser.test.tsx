import * as tf from '@tensorflow/tfjs';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { settle, until } from '../../viz/__tests__/helpers';
import { Playground } from '../Playground';

afterEach(cleanup);

const value = (el: HTMLElement, testId: string) =>
  Number(el.querySelector<HTMLElement>(`[data-testid="${testId}"]`)?.dataset.value);

describe('<Playground>', () => {
  it('trains, takes live edits and returns the tensor count to its start on unmount (StrictMode)', async () => {
    await tf.setBackend('cpu');
    await settle();
    const start = tf.memory().numTensors;
    const view = render(
      <StrictMode>
        <Playground urlState={false} backend="cpu" />
      </StrictMode>,
    );
    const root = view.getByTestId('playground');
    const network = () => root.querySelector<HTMLElement>('.rnn-network');
    await until(() => Number(network()?.dataset.draws ?? 0) > 0, 60_000, 'the first draw');
    const play = view.getByTestId('play');
    await until(() => !(play as HTMLButtonElement).disabled, 60_000, 'a trainer');
    fireEvent.click(play);
    await until(() => value(root, 'epoch') > 5, 60_000, 'epochs');
    // Live edits while playing: a neuron more, then a feature (a new input size: trainer hand-over).
    fireEvent.click(view.getByRole('button', { name: 'Add a neuron to layer 1' }));
    await until(() => root.querySelectorAll('canvas.rnn-neuron').length === 2 + 5 + 2 + 1, 60_000, 'the new neuron');
    fireEvent.click(view.getByRole('checkbox', { name: 'x₁x₂' }));
    await until(() => root.querySelectorAll('canvas.rnn-neuron').length === 3 + 5 + 2 + 1, 60_000, 'the new input');
    const epoch = value(root, 'epoch');
    await until(() => value(root, 'epoch') > epoch, 60_000, 'training after the edits');
    expect((view.getByTestId('jsx') as HTMLTextAreaElement).value).toContain('inputShape={[3]}');
    fireEvent.click(play);
    // Initialising to zero starts again from zero weights: every link shows 0.
    fireEvent.click(view.getByRole('checkbox', { name: 'Initialize weights to zero' }));
    await until(
      () => [...root.querySelectorAll('path.rnn-link')].every((l) => Number(l.getAttribute('data-weight')) === 0),
      60_000,
      'zero weights',
    );
    expect(value(root, 'epoch')).toBe(0);
    // Step trains one whole epoch (TF Playground's step), Reset goes back to epoch 0.
    fireEvent.click(view.getByTestId('step'));
    await until(() => value(root, 'epoch') === 1, 60_000, 'one epoch');
    await settle(100);
    expect(value(root, 'epoch')).toBe(1);
    fireEvent.click(view.getByTestId('reset'));
    await until(() => value(root, 'epoch') === 0, 60_000, 'reset');
    view.unmount();
    // The model is freed after a deferral (a StrictMode remount could take it back).
    await until(() => tf.memory().numTensors <= start, 30_000, 'tensors freed');
    expect(tf.memory().numTensors).toBe(start);
  });
});
