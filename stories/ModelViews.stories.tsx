import type { Meta, StoryObj } from '@storybook/react-vite';
import { Linear, Model, ModelGraph, ModelSummary, ParamsView, Sequential, useModel, WeightHistogram } from 'react-nn';
import { ACTIVATION_NAMES, ACTIVATIONS, type ActivationName } from './shared';

interface ModelViewsArgs {
  hidden: number;
  activation: ActivationName;
  bins: number;
  maxValues: number;
  direction: 'DOWN' | 'RIGHT';
}

/** The views of one untrained model: summary, graph, weight histogram and the raw parameters. */
function ModelViews(args: ModelViewsArgs) {
  const model = useModel();
  const Activation = ACTIVATIONS[args.activation];
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={1}>
        <Sequential>
          <Linear outFeatures={args.hidden} />
          <Activation />
          <Linear outFeatures={1} />
        </Sequential>
      </Model>
      <ModelSummary model={model} />
      <div style={{ width: 260 }}>
        <ModelGraph model={model} direction={args.direction} />
      </div>
      <WeightHistogram model={model} bins={args.bins} />
      <ParamsView model={model} maxValues={args.maxValues} />
    </div>
  );
}

const meta = {
  title: 'Visual components/Model views',
  component: ModelViews,
  args: { hidden: 8, activation: 'ReLU', bins: 30, maxValues: 16, direction: 'DOWN' },
  argTypes: {
    hidden: { control: { type: 'range', min: 1, max: 64, step: 1 } },
    activation: { control: 'select', options: ACTIVATION_NAMES },
    bins: { control: { type: 'range', min: 5, max: 100, step: 1 } },
    maxValues: { control: { type: 'range', min: 1, max: 256, step: 1 } },
    direction: { control: 'inline-radio', options: ['DOWN', 'RIGHT'] },
  },
} satisfies Meta<typeof ModelViews>;
export default meta;
type Story = StoryObj<typeof meta>;

export const OneNet: Story = {};
