import * as tf from '@tensorflow/tfjs';
import { cleanup, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Dataset } from '../../data/dataset';
import { ReLU } from '../../layers/activation';
import { Sequential } from '../../layers/containers';
import { Conv2d } from '../../layers/conv';
import { Flatten, Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { createTrainer } from '../../training/trainer';
import {
  ActivationPlot,
  ConfusionMatrix,
  DecisionBoundary,
  FilterGrid,
  FitPlot,
  LossChart,
  MetricsChart,
  ModelGraph,
  ModelSummary,
  ParamsView,
  PredictionScatter,
  ProgressBar,
  RocCurve,
  TrainingControls,
  WeightHistogram,
} from '../index';
import { moonsData, moonsMlp, settle, textAlternative, until } from './helpers';

const owned: { dispose(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const o of owned.splice(0).reverse()) o.dispose();
});

describe('viz components together', () => {
  it('return the tensor count to its baseline after mounting, training and unmounting (StrictMode)', async () => {
    const net = await moonsMlp(8);
    const cnn = await renderModel(
      <Sequential>
        <Conv2d outChannels={2} kernelSize={3} />
        <ReLU />
        <Flatten />
        <Linear outFeatures={1} />
      </Sequential>,
      { inputShape: [5, 5, 1], backend: 'cpu', seed: 1 },
    );
    const data = moonsData(160);
    const split = data.split(0.25, { seed: 1 });
    const images = new Dataset({
      x: tf.tensor4d(
        Array.from({ length: 25 }, (_, i) => i / 25),
        [1, 5, 5, 1],
      ),
      y: tf.tensor2d([[0.5]]),
    });
    const trainer = createTrainer(net, {
      data: split,
      loss: 'bce',
      optimizer: { type: 'adam', lr: 0.05 },
      epochs: 2,
      metrics: ['accuracy'],
      seed: 1,
    });
    owned.push(net, cnn, data, split.train, split.val, images, trainer);
    // Optimizer state exists after the first run; from here the count is stable.
    await trainer.fit();
    await settle();
    const baseline = tf.memory().numTensors;

    const view = render(
      <StrictMode>
        <LossChart trainer={trainer} />
        <MetricsChart trainer={trainer} />
        <DecisionBoundary model={net} data={split} trainer={trainer} resolution={24} />
        <FitPlot model={net} data={split} trainer={trainer} variant="truePred" />
        <ConfusionMatrix model={net} data={split} trainer={trainer} />
        <RocCurve model={net} data={split} trainer={trainer} />
        <ModelGraph model={net} />
        <ModelSummary model={net} />
        <WeightHistogram model={net} trainer={trainer} />
        <ParamsView model={net} trainer={trainer} />
        <FilterGrid model={cnn} input={images} />
        <ActivationPlot activation="GELU" />
        <PredictionScatter
          x={[
            [0, 0],
            [1, 1],
          ]}
          labels={[0, 1]}
          predicted={[1, 1]}
        />
        <TrainingControls trainer={trainer} />
        <ProgressBar trainer={trainer} />
      </StrictMode>,
    );
    const figures = () => view.getAllByRole('figure').filter((f) => f.classList.contains('rnn-viz'));
    expect(figures()).toHaveLength(15);
    // Every component exposes a name and a text alternative.
    for (const f of figures()) {
      expect(f.getAttribute('aria-labelledby')).toBeTruthy();
      expect(textAlternative(f).length).toBeGreaterThan(10);
    }
    await until(
      () =>
        /Predicted classes/.test(textAlternative(view.getByRole('figure', { name: 'Decision boundary' }))) &&
        view.getByRole('figure', { name: 'Model graph' }).querySelector('svg') !== null &&
        /feature maps/.test(textAlternative(view.getByRole('figure', { name: /^Filters/ }))) &&
        /derivative/.test(textAlternative(view.getByRole('figure', { name: 'GELU' }))) &&
        /AUC/.test(textAlternative(view.getByRole('figure', { name: 'ROC curve' }))),
      30_000,
      'every view to draw',
    );

    // Train more while everything is mounted and redrawing.
    trainer.setOptions({ epochs: 6 });
    await trainer.fit();
    await settle(100);
    expect(textAlternative(view.getByRole('figure', { name: 'Loss' }))).toMatch(/at epoch 6/);

    view.unmount();
    // In-flight reads finish and free their tensors a frame or so later.
    await settle(100);
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
