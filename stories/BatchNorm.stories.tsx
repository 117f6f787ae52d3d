import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  BatchNorm1d,
  datasets,
  Linear,
  LossChart,
  Model,
  ReLU,
  Sequential,
  useDataset,
  useModel,
  useTrainer,
} from 'react-nn';
import { expectLossFalls, TrainingReadout, useAutoFit } from './shared';

interface BatchNormArgs {
  lr: number;
  epochs: number;
  hidden: number;
}

/** One side of the comparison: a deep MLP on the spiral, with or without BatchNorm1d after each Linear. */
function Side({ batchNorm, args, id }: { batchNorm: boolean; args: BatchNormArgs; id: string }) {
  const data = useDataset(() => datasets.spiral({ pointsPerClass: 100, classes: 3, seed: 4 }), {
    validationSplit: 0.2,
  });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'crossEntropy',
    optimizer: { type: 'sgd', lr: args.lr },
    epochs: args.epochs,
    batchSize: 32,
    seed: 4,
  });
  useAutoFit(trainer);
  const block = (i: number) => [
    <Linear key={`l${i}`} outFeatures={args.hidden} />,
    batchNorm ? <BatchNorm1d key={`b${i}`} /> : null,
    <ReLU key={`r${i}`} />,
  ];
  return (
    <div className="story-col">
      <h3>{batchNorm ? 'With BatchNorm1d' : 'Without BatchNorm'}</h3>
      <Model handle={model} inputShape={[2]} seed={4}>
        <Sequential>
          {block(0)}
          {block(1)}
          {block(2)}
          <Linear outFeatures={3} />
        </Sequential>
      </Model>
      <TrainingReadout trainer={trainer} id={id} />
      <LossChart
        className="story-chart"
        trainer={trainer}
        height={160}
        title={`Loss ${batchNorm ? 'with' : 'without'} BatchNorm`}
      />
    </div>
  );
}

/**
 * Batch norm on vs off: the same 3-hidden-layer net and plain SGD, side by side. In training mode BatchNorm
 * normalises with the batch's statistics; in eval (validation, predict) with its running statistics.
 */
function BatchNormOnOff(args: BatchNormArgs) {
  return (
    <div className="story">
      <Side batchNorm={false} args={args} id="loss-off" />
      <Side batchNorm args={args} id="loss-on" />
    </div>
  );
}

const meta = {
  title: 'Course/Batch norm on vs off',
  component: BatchNormOnOff,
  args: { lr: 0.05, epochs: 200, hidden: 32 },
  argTypes: {
    lr: { control: { type: 'number', min: 0.001, max: 1, step: 0.01 }, description: 'SGD learning rate, applied live' },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
    hidden: { control: { type: 'range', min: 4, max: 128, step: 4 } },
  },
} satisfies Meta<typeof BatchNormOnOff>;
export default meta;
type Story = StoryObj<typeof meta>;

export const SideBySide: Story = {
  play: async ({ canvasElement }) => {
    await expectLossFalls(canvasElement, 'loss-on');
    await expectLossFalls(canvasElement, 'loss-off');
  },
};
