// The CNN parity cases shared by the Node engine tests (fused-cpu in fused-cnn.test.tsx, fused-webgpu
// through Dawn in webgpu-cnn.test.tsx), as cases.tsx is for the MLPs: the trees, the optimizer choices,
// the table of image-layer cases and the engine hand-off run. Each test file trains the cases on its own
// images (rows, size, channels) and keeps the cases only it has.
import type { ReactNode } from 'react';
import { expect } from 'vitest';
import { ReLU, Tanh } from '../../../layers/activation';
import { Sequential } from '../../../layers/containers';
import { Conv2d } from '../../../layers/conv';
import { Dropout, Flatten, Linear } from '../../../layers/core';
import { BatchNorm1d, BatchNorm2d } from '../../../layers/norm';
import { AvgPool2d, MaxPool2d } from '../../../layers/pool';
import { type RenderedModel, renderModel } from '../../../react/renderModel';
import type { BackendName } from '../../../runtime/backend';
import type { OptimizerConfig } from '../../optimizers';
import { createTrainer, type EngineName } from '../../trainer';
import { images } from './images';
import { type EngineRun, type RunOptions, runOf } from './parity';

/** `layers`, then Flatten and a Linear to the 3 classes of `images`. */
export const head = (...layers: ReactNode[]) => (
  <Sequential>
    {layers}
    <Flatten />
    <Linear outFeatures={3} />
  </Sequential>
);

/** The course CNN of the benchmarks: Conv2d 8 k3 · ReLU · MaxPool2d 2 · Flatten · Linear. */
export const courseCnn = () =>
  head(<Conv2d key="c" outChannels={8} kernelSize={3} />, <ReLU key="r" />, <MaxPool2d key="p" kernelSize={2} />);

/**
 * The deeper CNN of the benchmarks: Conv2d 16 · BatchNorm2d · ReLU · MaxPool · Conv2d 32 · ReLU · MaxPool.
 *
 * BIAS_BEFORE_BN: a conv bias right before a BatchNorm has a true gradient of 0 (the normalisation
 * subtracts it again): each engine computes rounding noise of ~1e-9 there, and Adam divides by √v,
 * turning that noise into full lr-sized steps in directions no two implementations share (measured:
 * the bias and the running mean that follows it 2e-2 apart, and the noise reaching the next conv's
 * weights at 1.5e-5). With SGD the noise stays noise-sized and the deeper net is compared exactly as
 * benchmarked; with Adam its first conv has no bias (as usual before a BatchNorm).
 */
export const deeperCnn = (bias = true) =>
  head(
    <Conv2d key="c1" outChannels={16} kernelSize={3} padding={1} bias={bias} />,
    <BatchNorm2d key="bn" />,
    <ReLU key="r1" />,
    <MaxPool2d key="p1" kernelSize={2} />,
    <Conv2d key="c2" outChannels={32} kernelSize={3} padding={1} />,
    <ReLU key="r2" />,
    <MaxPool2d key="p2" kernelSize={2} />,
  );

/** Conv2d (no bias) · BatchNorm2d · ReLU · MaxPool2d: what the engine hand-off tests switch engines under. */
export const convBnReluPool = () =>
  head(
    <Conv2d key="c1" outChannels={3} kernelSize={3} bias={false} />,
    <BatchNorm2d key="bn" />,
    <ReLU key="r" />,
    <MaxPool2d key="p" kernelSize={2} />,
  );

/** The two optimizers the cases train with. */
export const sgdMomentum: OptimizerConfig = { type: 'sgd', lr: 0.05, momentum: 0.9 };
export const adam: OptimizerConfig = { type: 'adam', lr: 0.005 };

/** Every parity run is this many seeded steps. */
export const STEPS = 100;

/** Options for `rows` of data: 4 batches an epoch × 25 epochs = 100 steps of cross-entropy. */
export const hundredSteps = (optimizer: OptimizerConfig, rows: number): RunOptions => ({
  loss: 'crossEntropy',
  optimizer,
  batchSize: rows / 4,
  epochs: 25,
});

export interface CnnCase {
  name: string;
  tree: () => ReactNode;
  optimizer: OptimizerConfig;
  /** Rows of data, in 4 batches an epoch (default: the test file's). */
  rows?: number;
  /** Input channels, where the test file lets a case choose (fused-cnn; webgpu-cnn always has 2). */
  channels?: number;
}

/** Each image layer alone (behind a conv where its input gradient is to be checked too). */
export const layerCases: CnnCase[] = [
  { name: 'Conv2d k3, bias', tree: () => head(<Conv2d key="c" outChannels={4} kernelSize={3} />), optimizer: adam },
  {
    name: 'Conv2d stride 2, padding 1, no bias (2 input channels)',
    tree: () => head(<Conv2d key="c" outChannels={4} kernelSize={3} stride={2} padding={1} bias={false} />),
    optimizer: sgdMomentum,
    channels: 2,
  },
  {
    name: "Conv2d padding 'same' with an even kernel [4, 2] (asymmetric, as tfjs)",
    tree: () => head(<Conv2d key="c" outChannels={3} kernelSize={[4, 2]} padding="same" />),
    optimizer: adam,
  },
  {
    name: 'MaxPool2d k2 after a conv and ReLU (ties at ReLU zeros)',
    tree: () =>
      head(<Conv2d key="c" outChannels={3} kernelSize={3} />, <ReLU key="r" />, <MaxPool2d key="p" kernelSize={2} />),
    optimizer: sgdMomentum,
  },
  {
    name: 'MaxPool2d k3 stride 2 padding 1 (overlapping windows)',
    tree: () =>
      head(
        <Conv2d key="c" outChannels={2} kernelSize={1} />,
        <MaxPool2d key="p" kernelSize={3} stride={2} padding={1} />,
      ),
    optimizer: adam,
  },
  {
    name: 'AvgPool2d k2, and k3 stride 2 padding 1',
    tree: () =>
      head(
        <Conv2d key="c" outChannels={2} kernelSize={3} padding={1} />,
        <AvgPool2d key="a" kernelSize={2} />,
        <AvgPool2d key="b" kernelSize={3} stride={2} padding={1} />,
      ),
    optimizer: sgdMomentum,
  },
  {
    name: 'BatchNorm2d (batch statistics, running mean and unbiased variance)',
    tree: () =>
      head(<Conv2d key="c" outChannels={3} kernelSize={3} bias={false} />, <BatchNorm2d key="bn" momentum={0.2} />),
    optimizer: adam,
  },
  {
    name: 'BatchNorm1d after a Linear',
    tree: () => (
      <Sequential>
        <Flatten />
        <Linear outFeatures={6} />
        <BatchNorm1d />
        <Tanh />
        <Linear outFeatures={3} />
      </Sequential>
    ),
    optimizer: sgdMomentum,
    // Batches of 10: normalising 6 features over 5 rows is ill-conditioned — measured, even
    // fused-cpu and tfjs drift 7.6e-6 apart there (float64 vs float32 sums), fused-webgpu 1.8e-5.
    rows: 40,
  },
  {
    name: 'Dropout over a conv output (seeded, the same masks as tfjs)',
    tree: () => head(<Conv2d key="c" outChannels={3} kernelSize={3} />, <Dropout key="d" p={0.3} />),
    optimizer: sgdMomentum,
  },
];

/** The course CNN with each optimizer. */
export const courseCases: CnnCase[] = [
  { name: 'course CNN + sgd momentum', tree: courseCnn, optimizer: sgdMomentum },
  { name: 'course CNN + adam', tree: courseCnn, optimizer: adam },
];

/** The deeper CNN with each optimizer; slow on tfjs' cpu kernels: 20 rows in batches of 5 (still 100 steps). */
export const deeperCases: CnnCase[] = [
  { name: 'deeper CNN (BatchNorm2d) + sgd momentum', tree: () => deeperCnn(), optimizer: sgdMomentum, rows: 20 },
  {
    name: 'deeper CNN (BatchNorm2d; the conv before it without bias, see BIAS_BEFORE_BN) + adam',
    tree: () => deeperCnn(false),
    // Adam's lr as benchmarked (0.001): at 0.005 rounding noise in the second conv's weights grew to 1.5e-5.
    optimizer: { type: 'adam', lr: 0.001 },
    rows: 20,
  },
];

/**
 * Trains `convBnReluPool` (seed 2) with Adam in phases of `epochsPerPhase` more epochs each, one engine
 * per phase — switched by `setOptions({ engine })` when `switches`, else tfjs throughout — and returns
 * the weights and snapshot at the end.
 */
export async function trainCnnInPhases(
  phases: readonly EngineName[],
  switches: boolean,
  setup: {
    rows: number;
    epochsPerPhase: number;
    net: { inputShape: number[]; backend?: BackendName };
  },
): Promise<EngineRun> {
  const [h, w, c] = setup.net.inputShape as [number, number, number];
  const data = images(setup.rows, h, w, c);
  const model = await renderModel(convBnReluPool(), { ...setup.net, seed: 2 });
  const t = createTrainer(model, { data, ...hundredSteps(adam, setup.rows), epochs: 0, seed: 3, engine: 'tfjs' });
  try {
    for (const [i, engine] of phases.entries()) {
      if (switches) t.setOptions({ engine });
      t.setOptions({ epochs: setup.epochsPerPhase * (i + 1) });
      const snap = await t.fit();
      if (snap.error) throw snap.error;
      expect(snap.engine.name).toBe(switches ? engine : 'tfjs');
    }
    return runOf(model.model, t.getSnapshot());
  } finally {
    t.dispose();
    model.dispose();
    data.dispose();
  }
}

/** A weight's values by its name (empty if the model has no such weight). */
export const readWeight = (model: RenderedModel, name: string): number[] =>
  Array.from(
    model.model.weights
      .find((w) => w.originalName === name)
      ?.read()
      .dataSync() ?? [],
  );
