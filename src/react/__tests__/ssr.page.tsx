// A page as an app would server-render it: the model, its data and trainer from hooks, and views of all three.
import { moons } from '../../data/generators';
import { ReLU, Sigmoid } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Linear } from '../../layers/core';
import type { Net } from '../../runtime/net';
import type { Trainer } from '../../training/trainer';
import { ModelSummary } from '../../viz/architecture';
import { DecisionBoundary } from '../../viz/boundary';
import { LossChart } from '../../viz/charts';
import { TrainingControls } from '../../viz/controls';
import { Model } from '../Model';
import { useDataset } from '../useDataset';
import { useMetrics } from '../useMetrics';
import { useModel } from '../useModel';
import { usePredict } from '../usePredict';
import { useTrainer } from '../useTrainer';

const PROBE = [
  [0, 0],
  [1, 0.5],
];

export function Page({ onHandles }: { onHandles?: (model: Net, trainer: Trainer | null) => void }) {
  const data = useDataset(() => moons({ n: 200, noise: 0.2, seed: 1 }), { validationSplit: 0.2 });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: { type: 'adam', lr: 0.02 },
    epochs: 3,
    batchSize: 32,
    seed: 1,
    engine: 'tfjs',
    autoStart: true,
  });
  const { status, epoch, history } = useMetrics(trainer);
  const predictions = usePredict(model, PROBE, { trainer });
  onHandles?.(model, trainer);
  return (
    <main>
      <h1>Moons</h1>
      <p data-testid="status">
        {status} at epoch {epoch}, {history.loss.length} losses, {predictions ? predictions.length : 'no'} predictions
      </p>
      <Model handle={model} inputShape={[2]} backend="cpu" seed={1}>
        <Sequential>
          <Linear outFeatures={8} />
          <ReLU />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <TrainingControls trainer={trainer} />
      <LossChart trainer={trainer} width={300} />
      <DecisionBoundary model={model} data={data} trainer={trainer} resolution={10} />
      <ModelSummary model={model} />
    </main>
  );
}
