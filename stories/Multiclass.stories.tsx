import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  DecisionBoundary,
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
import {
  expectLossFalls,
  type OptimizerName,
  optimizer,
  TrainingReadout,
  trainingArgTypes,
  useAutoFit,
} from './shared';

interface SpiralArgs {
  pointsPerClass: number;
  hidden: number;
  lr: number;
  optimizer: OptimizerName;
  epochs: number;
}

/** One spiral learner: a single Linear layer (straight boundaries), or Linear–ReLU–Linear. Logits + cross-entropy. */
function SpiralLearner({ deep, id, ...args }: SpiralArgs & { deep: boolean; id: string }) {
  const data = useDataset(() => datasets.spiral({ pointsPerClass: args.pointsPerClass, classes: 3, seed: 4 }), {
    deps: [args.pointsPerClass],
  });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'crossEntropy',
    optimizer: optimizer(args.optimizer, args.lr),
    epochs: args.epochs,
    metrics: ['accuracy'],
  });
  useAutoFit(trainer);
  return (
    <section className="story-col" aria-label={deep ? 'Linear–ReLU–Linear' : 'Linear only'}>
      <h3>{deep ? `Linear–ReLU(${args.hidden})–Linear` : 'Linear only'}</h3>
      <Model handle={model} inputShape={[2]} seed={4}>
        {deep ? (
          <Sequential>
            <Linear outFeatures={args.hidden} />
            <ReLU />
            <Linear outFeatures={3} />
          </Sequential>
        ) : (
          <Sequential>
            <Linear outFeatures={3} />
          </Sequential>
        )}
      </Model>
      <TrainingReadout trainer={trainer} id={id} />
      <DecisionBoundary model={model} data={data} trainer={trainer} width={240} />
      <LossChart className="story-chart" trainer={trainer} height={140} />
    </section>
  );
}

/** Multi-class: the three-arm spiral, a linear model beside one hidden ReLU layer. */
function SpiralSideBySide(args: SpiralArgs) {
  return (
    <div className="story">
      <SpiralLearner {...args} deep={false} id="loss-linear" />
      <SpiralLearner {...args} deep id="loss-deep" />
    </div>
  );
}

const meta = {
  title: 'Course/Multi-class spiral',
  component: SpiralSideBySide,
  args: { pointsPerClass: 100, hidden: 64, lr: 0.01, optimizer: 'adam', epochs: 200 },
  argTypes: {
    pointsPerClass: { control: { type: 'number', min: 20, max: 500, step: 10 } },
    hidden: { control: { type: 'range', min: 2, max: 128, step: 1 } },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof SpiralSideBySide>;
export default meta;
type Story = StoryObj<typeof meta>;

export const LinearVsHidden: Story = {
  play: async ({ canvasElement }) => expectLossFalls(canvasElement, 'loss-deep'),
};
