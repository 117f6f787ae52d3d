import type { Meta, StoryObj } from '@storybook/react-vite';
import { ActivationPlot } from 'react-nn';
import { expect, within } from 'storybook/test';
import { ACTIVATION_NAMES, type ActivationName } from './shared';

interface ActivationArgs {
  activation: ActivationName;
  min: number;
  max: number;
  showDerivative: boolean;
}

/** One activation and its derivative, computed by the layer itself. */
function OneActivation({ activation, min, max, showDerivative }: ActivationArgs) {
  return <ActivationPlot activation={activation} range={[min, max]} showDerivative={showDerivative} height={220} />;
}

/** Every hidden activation side by side. */
function Gallery({ min, max, showDerivative }: Omit<ActivationArgs, 'activation'>) {
  return (
    <div className="story">
      {ACTIVATION_NAMES.map((name) => (
        <div key={name} style={{ width: 260 }}>
          <ActivationPlot activation={name} range={[min, max]} showDerivative={showDerivative} height={180} />
        </div>
      ))}
    </div>
  );
}

const meta = {
  title: 'Course/Activations',
  component: OneActivation,
  args: { activation: 'BentIdentity', min: -5, max: 5, showDerivative: true },
  argTypes: {
    activation: { control: 'select', options: ACTIVATION_NAMES },
    min: { control: { type: 'number', step: 0.5 } },
    max: { control: { type: 'number', step: 0.5 } },
  },
} satisfies Meta<typeof OneActivation>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Single: Story = {};

export const AllActivations: Story = {
  render: (args) => <Gallery min={args.min} max={args.max} showDerivative={args.showDerivative} />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    // Each plot is captioned with its activation's name.
    for (const name of ['GELU', 'BentIdentity', 'Tanh']) {
      await expect((await canvas.findAllByText(new RegExp(name), {}, { timeout: 30_000 })).length).toBeGreaterThan(0);
    }
  },
};
