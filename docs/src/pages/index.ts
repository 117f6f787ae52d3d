import { type ComponentType, lazy } from 'react';
import { Concepts } from './Concepts';
import { GettingStarted } from './GettingStarted';
import { ActivationsAndLosses } from './guides/ActivationsAndLosses';
import { BatchNormAndInit } from './guides/BatchNormAndInit';
import { Cnns } from './guides/Cnns';
import { Engines } from './guides/Engines';
import { Guarantees } from './guides/Guarantees';
import { Optimizers } from './guides/Optimizers';
import { PyTorchGuide } from './guides/PyTorch';
import { Regularisation } from './guides/Regularisation';
import { Rnns } from './guides/Rnns';
import { Saving } from './guides/Saving';
import { TransferLearning } from './guides/TransferLearning';
import { Home } from './Home';
import { PlaygroundPage } from './PlaygroundPage';

export interface PageProps {
  /** The part of the hash after the page path, e.g. an API entry name. */
  anchor: string | null;
}

export interface PageEntry {
  path: string;
  title: string;
  section: 'Start' | 'Guides' | 'Reference';
  Component: ComponentType<PageProps>;
}

// The API reference waits for typedoc's output (a virtual module): load it only when visited.
const ApiReference = lazy(() => import('../api/ApiReference').then((m) => ({ default: m.ApiReference })));

export const PAGES: readonly PageEntry[] = [
  { path: '/playground', title: 'Playground', section: 'Start', Component: PlaygroundPage },
  { path: '/', title: 'Home', section: 'Start', Component: Home },
  { path: '/getting-started', title: 'Getting started', section: 'Start', Component: GettingStarted },
  { path: '/concepts', title: 'Core concepts', section: 'Start', Component: Concepts },
  {
    path: '/guides/activations-and-losses',
    title: 'Activations & losses',
    section: 'Guides',
    Component: ActivationsAndLosses,
  },
  { path: '/guides/optimizers', title: 'Optimizers', section: 'Guides', Component: Optimizers },
  { path: '/guides/engines', title: 'Training engines', section: 'Guides', Component: Engines },
  {
    path: '/guides/regularisation',
    title: 'Regularisation & early stopping',
    section: 'Guides',
    Component: Regularisation,
  },
  {
    path: '/guides/batch-norm-and-initialisation',
    title: 'Batch norm & initialisation',
    section: 'Guides',
    Component: BatchNormAndInit,
  },
  { path: '/guides/cnns', title: 'Convolutional networks', section: 'Guides', Component: Cnns },
  { path: '/guides/rnns', title: 'Recurrent networks', section: 'Guides', Component: Rnns },
  { path: '/guides/transfer-learning', title: 'Transfer learning', section: 'Guides', Component: TransferLearning },
  { path: '/guides/pytorch', title: 'From react-nn to PyTorch and back', section: 'Guides', Component: PyTorchGuide },
  { path: '/guides/guarantees', title: 'Guarantees', section: 'Guides', Component: Guarantees },
  { path: '/guides/saving', title: 'Saving, resuming & sharing', section: 'Guides', Component: Saving },
  { path: '/api', title: 'API reference', section: 'Reference', Component: ApiReference },
];

export const PAGE_PATHS: readonly string[] = PAGES.map((p) => p.path);
