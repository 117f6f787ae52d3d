// The parity cases shared by the Node (fused-cpu, fused-webgpu via Dawn) and Chromium engine tests.
import type { ReactNode } from 'react';
import type { Dataset } from '../../../data/dataset';
import { moons, multiLabel, spiral } from '../../../data/generators';
import { BentIdentity, ELU, GELU, LeakyReLU, PReLU, ReLU, Sigmoid, Tanh } from '../../../layers/activation';
import { Sequential } from '../../../layers/containers';
import { Dropout, Identity, Linear } from '../../../layers/core';
import { type RunOptions, regression } from './parity';

export const mlp = (out: number, last?: 'sigmoid') => (
  <Sequential>
    <Linear outFeatures={8} />
    <Tanh />
    <Linear outFeatures={6} />
    <ReLU />
    <Linear outFeatures={out} />
    {last === 'sigmoid' ? <Sigmoid /> : null}
  </Sequential>
);

export interface Case {
  name: string;
  tree: () => ReactNode;
  data: () => Dataset;
  options: RunOptions;
}

// 100 rows, batch 10 → 10 steps per epoch × 50 epochs = 500 steps.
export const base = { batchSize: 10, epochs: 50 } as const;

export const cases: Case[] = [
  {
    name: 'mse + sgd',
    tree: () => mlp(1),
    data: () => regression(100),
    options: { ...base, loss: 'mse', optimizer: { type: 'sgd', lr: 0.05 } },
  },
  {
    name: 'mae + sgd momentum, dampening',
    tree: () => mlp(2),
    data: () => regression(100, 2),
    options: { ...base, loss: 'mae', optimizer: { type: 'sgd', lr: 0.02, momentum: 0.9, dampening: 0.1 } },
  },
  {
    name: 'huber + adam',
    tree: () => mlp(1),
    data: () => regression(100),
    options: { ...base, loss: { type: 'huber', delta: 0.5 }, optimizer: { type: 'adam', lr: 0.01 } },
  },
  {
    name: 'bce + sgd nesterov, weight decay',
    tree: () => mlp(1, 'sigmoid'),
    data: () => moons({ n: 100, noise: 0.2, seed: 2 }),
    options: {
      ...base,
      loss: 'bce',
      // Nesterov at lr 0.1 makes steps of ~1: float32 rounding then grows past 1e-5 between any
      // two implementations (fused-webgpu vs fused-cpu measured 1.01e-5); 0.05 keeps the run tame.
      optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 },
    },
  },
  {
    name: 'bceWithLogits + adam, weight decay',
    tree: () => mlp(1),
    data: () => moons({ n: 100, noise: 0.2, seed: 3 }),
    options: { ...base, loss: 'bceWithLogits', optimizer: { type: 'adam', lr: 0.01, weightDecay: 1e-3 } },
  },
  {
    name: 'crossEntropy (class ids) + adamw',
    tree: () => mlp(4),
    data: () => spiral({ pointsPerClass: 25, classes: 4, seed: 1 }),
    options: { ...base, loss: 'crossEntropy', optimizer: { type: 'adamw', lr: 0.01, betas: [0.8, 0.99] } },
  },
  {
    name: 'crossEntropy (label smoothing) + sgd',
    tree: () => mlp(4),
    data: () => spiral({ pointsPerClass: 25, classes: 4, seed: 2 }),
    options: { ...base, loss: { type: 'crossEntropy', labelSmoothing: 0.1 }, optimizer: { type: 'sgd', lr: 0.1 } },
  },
  {
    name: 'multiLabelBce + adam',
    tree: () => mlp(3, 'sigmoid'),
    data: () => multiLabel({ n: 100, seed: 1 }),
    options: { ...base, loss: 'multiLabelBce', optimizer: { type: 'adam', lr: 0.01 } },
  },
  {
    name: 'L2 regularization + adam',
    tree: () => mlp(1, 'sigmoid'),
    data: () => moons({ n: 100, noise: 0.2, seed: 4 }),
    options: { ...base, loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, regularization: { l2: 1e-3 } },
  },
  {
    name: 'L1 + L2 regularization + sgd',
    tree: () => mlp(1, 'sigmoid'),
    data: () => moons({ n: 100, noise: 0.2, seed: 4 }),
    options: { ...base, loss: 'bce', optimizer: { type: 'sgd', lr: 0.05 }, regularization: { l1: 1e-3, l2: 1e-3 } },
  },
  {
    name: 'clipGradNorm + clipGradValue + sgd',
    tree: () => mlp(1),
    data: () => regression(100),
    options: { ...base, loss: 'mse', optimizer: { type: 'sgd', lr: 0.1 }, clipGradNorm: 0.5, clipGradValue: 0.05 },
  },
  {
    name: 'every activation (PReLU shared and per channel, GELU erf and tanh, ELU α=0.7)',
    tree: () => (
      <Sequential>
        <Linear outFeatures={6} />
        <LeakyReLU negativeSlope={0.1} />
        <Linear outFeatures={6} />
        <PReLU />
        <Linear outFeatures={6} />
        <PReLU numParameters={6} init={0.1} />
        <Linear outFeatures={6} />
        <ELU alpha={0.7} />
        <Linear outFeatures={6} />
        <GELU />
        <Linear outFeatures={6} />
        <GELU approximate="tanh" />
        <Identity />
        <Linear outFeatures={6} />
        <BentIdentity />
        <Linear outFeatures={1} />
        <Sigmoid />
      </Sequential>
    ),
    data: () => moons({ n: 100, noise: 0.2, seed: 5 }),
    options: { ...base, loss: 'bce', optimizer: { type: 'adam', lr: 0.005 } },
  },
  {
    name: 'dropout (the same masks as tfjs) + sgd momentum',
    tree: () => (
      <Sequential>
        <Linear outFeatures={16} />
        <ReLU />
        <Dropout p={0.3} />
        <Linear outFeatures={8} />
        <Tanh />
        <Dropout p={0.1} />
        <Linear outFeatures={1} />
        <Sigmoid />
      </Sequential>
    ),
    data: () => moons({ n: 100, noise: 0.2, seed: 6 }),
    options: { ...base, loss: 'bce', optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 } },
  },
  {
    name: 'frozen layer (trainable=false), full batch',
    tree: () => (
      <Sequential>
        <Linear outFeatures={8} trainable={false} />
        <Tanh />
        <Linear outFeatures={1} />
      </Sequential>
    ),
    data: () => regression(100),
    options: { batchSize: 'full', epochs: 500, loss: 'mse', optimizer: { type: 'adam', lr: 0.01 } },
  },
];
