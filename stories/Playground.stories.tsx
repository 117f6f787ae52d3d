import type { Meta, StoryObj } from '@storybook/react-vite';
import { Playground } from 'react-nn';
import { expect, userEvent, waitFor, within } from 'storybook/test';

const meta = {
  title: 'Apps/Playground',
  component: Playground,
  // The story leaves Storybook's own URL alone: its state starts from `initialState`.
  args: { urlState: false, autoPlay: false },
} satisfies Meta<typeof Playground>;
export default meta;
type Story = StoryObj<typeof meta>;

const value = (el: HTMLElement, testId: string) => Number(within(el).getByTestId(testId).dataset.value);

/** TF Playground's default: 2-4-2-1 tanh on the circle. Play, and the training loss falls. */
export const Circle: Story = {
  play: async ({ canvasElement }) => {
    const page = within(canvasElement);
    const play = await page.findByTestId('play', {}, { timeout: 60_000 });
    await waitFor(() => expect(play).toBeEnabled(), { timeout: 60_000 });
    await userEvent.click(play);
    await waitFor(() => expect(value(canvasElement, 'epoch')).toBeGreaterThan(0), { timeout: 90_000 });
    const first = value(canvasElement, 'train-loss');
    await waitFor(() => expect(value(canvasElement, 'train-loss')).toBeLessThan(first * 0.7), {
      timeout: 120_000,
      interval: 250,
    });
    await userEvent.click(play);
    await waitFor(() => expect(play).toHaveTextContent('Play'));
  },
};

/** The spiral with every feature and three wide layers, a ReLU network and Adam. */
export const Spiral: Story = {
  args: {
    initialState: {
      dataset: 'spiral',
      networkShape: [8, 8, 6],
      activation: 'relu',
      optimizer: 'adam',
      learningRate: 0.01,
      features: {
        x: true,
        y: true,
        xSquared: true,
        ySquared: true,
        xTimesY: true,
        sinX: true,
        sinY: true,
        cosX: false,
        cosY: false,
      },
    },
  },
  play: async ({ canvasElement }) => {
    const page = within(canvasElement);
    const jsx = (await page.findByTestId('jsx', {}, { timeout: 60_000 })) as HTMLTextAreaElement;
    expect(jsx.value).toContain('inputShape={[7]}');
    expect(jsx.value).toContain('<ReLU />');
    await waitFor(() => expect(canvasElement.querySelectorAll('canvas.rnn-neuron')).toHaveLength(7 + 8 + 8 + 6 + 1), {
      timeout: 60_000,
    });
  },
};
