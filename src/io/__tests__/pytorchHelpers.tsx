// Shared by the PyTorch and ONNX tests: the four models of the hand-off, run Python, compare numbers.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ReactElement } from 'react';
import { expect } from 'vitest';
import {
  Add,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  BentIdentity,
  Concat,
  Conv2d,
  Dropout,
  ELU,
  Embedding,
  Flatten,
  GELU,
  GRU,
  Identity,
  LeakyReLU,
  Linear,
  LSTM,
  MaxPool2d,
  Parallel,
  PReLU,
  ReLU,
  Residual,
  RNN,
  Sequential,
  Sigmoid,
  SoftExponential,
  Softmax,
  Tanh,
} from '../../layers/index';
import { createRng } from '../../random';
import { type RenderedModel, renderModel } from '../../react/renderModel';

export const PYTHON = '/usr/bin/python3';
export const SCRIPTS = join(process.cwd(), 'test/python');

/** Runs a repo script with /usr/bin/python3; resolves with stdout, rejects with stderr. */
export function python(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      [join(SCRIPTS, script), ...args],
      { env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${script} failed: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'react-nn-pytorch-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ParityModel {
  name: 'mlp' | 'cnn' | 'lstm' | 'gru';
  element: ReactElement;
  inputShape: number[];
  /** A batch of inputs as react-nn takes them (images NHWC; token ids as floats). */
  input: () => tf.Tensor;
}

/** The four models of the hand-off — the same architectures as test/python/make_weights.py builds. */
export const MODELS: ParityModel[] = [
  {
    name: 'mlp',
    element: (
      <Sequential>
        <Linear outFeatures={8} />
        <ReLU />
        <Linear outFeatures={8} />
        <Tanh />
        <Linear outFeatures={3} />
      </Sequential>
    ),
    inputShape: [4],
    input: () => tf.tensor2d(values(6 * 4, 1), [6, 4]),
  },
  {
    // The course CNN: Conv2d stride 2 padding 1, BatchNorm2d, MaxPool2d, Flatten of a 2×2×4 map, Linear.
    name: 'cnn',
    element: (
      <Sequential>
        <Conv2d outChannels={4} kernelSize={3} stride={2} padding={1} />
        <BatchNorm2d />
        <ReLU />
        <MaxPool2d kernelSize={2} />
        <Flatten />
        <Linear outFeatures={5} />
      </Sequential>
    ),
    inputShape: [8, 8, 3],
    input: () => tf.tensor4d(values(6 * 8 * 8 * 3, 2), [6, 8, 8, 3]),
  },
  {
    name: 'lstm',
    element: (
      <Sequential>
        <Embedding name="embed" numEmbeddings={20} embeddingDim={6} />
        <LSTM name="rnn" hiddenSize={5} numLayers={2} bidirectional />
        <Linear name="head" outFeatures={3} />
      </Sequential>
    ),
    inputShape: [7],
    input: () => tf.tensor2d(ids(6 * 7, 20, 3), [6, 7]),
  },
  {
    name: 'gru',
    element: (
      <Sequential>
        <GRU name="rnn" hiddenSize={5} />
        <Linear name="head" outFeatures={3} />
      </Sequential>
    ),
    inputShape: [6, 3],
    input: () => tf.tensor3d(values(6 * 6 * 3, 4), [6, 6, 3]),
  },
];

/**
 * Every other mapping: each activation, Residual/Concat/Parallel/Add, BatchNorm1d, per-channel PReLU,
 * 'same' padding with stride 2 (asymmetric), dilation, AvgPool2d padding, Softmax over channels, a
 * stacked bidirectional relu RNN with every step's output, a root layer that is not a Sequential.
 */
export const EXTRA: ParityModel[] = [
  {
    name: 'mlp',
    element: (
      <Sequential>
        <Linear outFeatures={6} />
        <LeakyReLU negativeSlope={0.2} />
        <Linear outFeatures={6} />
        <ELU alpha={0.7} />
        <Residual>
          <Linear outFeatures={6} />
          <GELU />
          <Dropout p={0.3} />
        </Residual>
        <GELU approximate="tanh" />
        <BatchNorm1d />
        <PReLU numParameters={6} />
        <Concat>
          <Sequential>
            <Linear outFeatures={3} />
            <Sigmoid />
          </Sequential>
          <Sequential>
            <Linear outFeatures={2} />
            <BentIdentity />
          </Sequential>
        </Concat>
        <Parallel combine="mean">
          <Tanh />
          <Identity />
        </Parallel>
        <Add>
          <Linear outFeatures={4} />
          <Linear outFeatures={4} />
        </Add>
        <Softmax />
      </Sequential>
    ),
    inputShape: [5],
    input: () => tf.randomNormal([7, 5], 0, 1, 'float32', 3),
  },
  {
    name: 'cnn',
    element: (
      <Sequential>
        <Conv2d outChannels={3} kernelSize={3} padding="same" stride={2} />
        <PReLU numParameters={3} />
        <AvgPool2d kernelSize={2} stride={1} padding={1} />
        <Conv2d outChannels={2} kernelSize={[2, 3]} dilation={2} bias={false} />
        <Softmax dim={1} />
        <Flatten />
        <Linear outFeatures={3} />
      </Sequential>
    ),
    inputShape: [9, 10, 2],
    input: () => tf.randomNormal([3, 9, 10, 2], 0, 1, 'float32', 4),
  },
  {
    name: 'gru',
    element: (
      <Sequential>
        <RNN hiddenSize={4} numLayers={2} bidirectional nonlinearity="relu" returnSequences />
        <Linear outFeatures={2} />
      </Sequential>
    ),
    inputShape: [5, 3],
    input: () => tf.randomNormal([4, 5, 3], 0, 1, 'float32', 5),
  },
  {
    // A root that is not a Sequential: the model wraps it as its child 0 (keys `0.0.weight`).
    name: 'mlp',
    element: (
      <Residual>
        <Linear outFeatures={5} />
        <Tanh />
      </Residual>
    ),
    inputShape: [5],
    input: () => tf.randomNormal([3, 5], 0, 1, 'float32', 6),
  },
];

function values(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng() * 4 - 2);
}

function ids(n: number, vocabulary: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => Math.floor(rng() * vocabulary));
}

/** A model with a custom (defineLayer) layer, which no exporter can translate. */
export function renderCustom(): Promise<RenderedModel> {
  return renderModel(
    <Sequential>
      <Linear outFeatures={4} />
      <SoftExponential />
      <Linear outFeatures={1} />
    </Sequential>,
    { inputShape: [3], backend: 'cpu', seed: 1 },
  );
}

export function render(m: ParityModel, seed = 7): Promise<RenderedModel> {
  return renderModel(m.element, { inputShape: m.inputShape, backend: 'cpu', seed });
}

/**
 * Gives every weight non-default values (BatchNorm running statistics included, variances positive),
 * so that a layout or permutation error cannot hide behind zeros, ones or symmetric values.
 */
export function scrambleWeights(net: RenderedModel, seed = 11): void {
  const rng = createRng(seed);
  for (const w of net.model.weights) {
    const n = w.shape.reduce((a, b) => (a as number) * (b as number), 1) as number;
    const positive = w.originalName.endsWith('moving_variance');
    const data = Float32Array.from({ length: n }, () => (positive ? 0.5 + rng() : rng() - 0.5));
    tf.tidy(() => {
      (w as tf.LayerVariable).write(tf.tensor(data, w.shape as number[]));
    });
  }
}

/** Element-wise |a − b| ≤ tol, reporting the worst element. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs((actual[i] as number) - (expected[i] as number));
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  expect(worst, `largest difference at element ${at}`).toBeLessThanOrEqual(tol);
}
