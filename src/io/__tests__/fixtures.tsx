// Models for the checkpoint tests: between them, every built-in layer type but <Pretrained> (which
// needs a saved tfjs model to load; its weights are named like any other layer's).
import * as tf from '@tensorflow/tfjs';
import { fromArrays } from '../../data/fromArrays';
import { BentIdentity, ELU, GELU, LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Tanh } from '../../layers/activation';
import { Add, Concat, Parallel, Residual } from '../../layers/composition';
import { Sequential } from '../../layers/containers';
import { Conv2d } from '../../layers/conv';
import { Dropout, Flatten, Identity, Linear } from '../../layers/core';
import { SoftExponential, SoftExponential2 } from '../../layers/examples/softExponential';
import { BatchNorm1d, BatchNorm2d } from '../../layers/norm';
import { AvgPool2d, MaxPool2d } from '../../layers/pool';
import { Embedding, GRU, LSTM, RNN, TimeDistributed } from '../../layers/recurrent';
import { createRng } from '../../random';

/** Token ids in, two values out: embeddings, every recurrent layer, composition, a frozen Linear, BatchNorm1d, PReLU. */
export const sequenceModel = (
  <Sequential>
    <Embedding numEmbeddings={10} embeddingDim={4} />
    <TimeDistributed>
      <Linear outFeatures={4} />
      <Tanh />
    </TimeDistributed>
    <RNN hiddenSize={3} returnSequences />
    <LSTM hiddenSize={3} numLayers={2} bidirectional returnSequences />
    <GRU hiddenSize={3} bidirectional />
    <Linear outFeatures={6} trainable={false} />
    <BatchNorm1d momentum={0.5} />
    <PReLU />
    <SoftExponential alpha={0.05} />
    <Residual>
      <Linear outFeatures={6} />
      <LeakyReLU negativeSlope={0.2} />
    </Residual>
    <Parallel combine="mean">
      <Linear outFeatures={6} />
      <Linear outFeatures={6} key="b" />
    </Parallel>
    <Concat>
      <Linear outFeatures={3} />
      <Sequential>
        <Linear outFeatures={3} />
        <GELU />
      </Sequential>
    </Concat>
    <Add>
      <Linear outFeatures={6} />
      <Identity />
    </Add>
    <Dropout p={0.1} />
    <BentIdentity />
    <ELU alpha={0.5} />
    <Sigmoid />
    <Linear outFeatures={2} name="head" />
    <Softmax />
  </Sequential>
);
export const SEQUENCE_INPUT = [5];

/** An image model: convolution, BatchNorm2d, both pools, Flatten, SoftExponential2. */
export const imageModel = (
  <Sequential>
    <Conv2d outChannels={4} kernelSize={3} padding="same" />
    <BatchNorm2d />
    <ReLU />
    <MaxPool2d kernelSize={2} />
    <AvgPool2d kernelSize={2} />
    <Flatten />
    <Linear outFeatures={3} />
    <SoftExponential2 alpha={0.1} beta={1} />
    <Tanh />
  </Sequential>
);
export const IMAGE_INPUT = [8, 8, 1];

/** `n` random examples for a model with this input shape (integer ids for the sequence model), seeded. */
export function randomExamples(inputShape: number[], n: number, outputs: number, seed: number, ids = 0) {
  const rand = createRng(seed);
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: n * size }, () => (ids ? Math.floor(rand() * ids) : rand() * 2 - 1));
  const y = Float32Array.from({ length: n * outputs }, () => rand());
  return {
    x: tf.tensor(x, [n, ...inputShape]),
    data: () =>
      fromArrays({
        x: { data: x, shape: [n, ...inputShape] },
        y: { data: y, shape: [n, outputs] },
        task: 'regression',
      }),
  };
}
