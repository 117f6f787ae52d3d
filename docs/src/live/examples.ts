import type { ExampleSpec } from './LiveExample';

// The live examples, one object each: the editable layers (`code`), and the data and training
// around them (`data` and `callbacks` are JavaScript evaluated with the live scope, so the
// listing a reader sees is exactly what runs).

const MOONS = 'datasets.moons({ n: 1000, noise: 0.3, seed: 1 })';

/** The home page: two moons, Linear–ReLU–Linear–Sigmoid, BCE, Adam — training as the page opens. */
export const homeMoons: ExampleSpec = {
  id: 'home-moons',
  title: 'Two moons, trained live',
  code: `<Sequential>
  <Linear outFeatures={8} />
  <ReLU />
  <Linear outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: MOONS,
  validationSplit: 0.2,
  training: { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 1000, metrics: ['accuracy'] },
  seed: 1,
  autoStart: true,
  view: 'boundary',
};

/** Getting started: the same problem, started by the reader. */
export const firstModel: ExampleSpec = {
  ...homeMoons,
  id: 'first-model',
  title: 'Your first model',
  autoStart: false,
  training: { ...homeMoons.training, epochs: 300 },
};

/** Core concepts: named layers keep their weights whatever moves around them. */
export const identityDemo: ExampleSpec = {
  id: 'identity',
  title: 'Edits keep weights',
  code: `<Sequential>
  <Linear name="hidden" outFeatures={16} />
  <Tanh />
  <Linear name="out" outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: 'datasets.circles({ n: 1000, noise: 0.1, seed: 2 })',
  validationSplit: 0.2,
  training: { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 400 },
  seed: 2,
  view: 'boundary',
};

// ---- Activations & losses, one problem type each ----

/** Binary classification, the course's recipe. */
export const binaryMoons: ExampleSpec = {
  id: 'binary',
  title: 'Binary: moons, Sigmoid + BCE',
  code: `<Sequential>
  <Linear outFeatures={16} />
  <BentIdentity />
  <Linear outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: MOONS,
  validationSplit: 0.2,
  training: { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 300, metrics: ['accuracy'] },
  callbacks: "[earlyStopping({ monitor: 'val_loss', patience: 15, restoreBestWeights: true })]",
  seed: 3,
  view: 'boundary',
};

/** Multi-class: the three-arm spiral, logits + cross-entropy. */
export const multiclassSpiral: ExampleSpec = {
  id: 'multiclass',
  title: 'Multi-class: spiral, logits + cross-entropy',
  code: `<Sequential>
  <Linear outFeatures={64} />
  <ReLU />
  <Linear outFeatures={3} />
</Sequential>`,
  inputShape: [2],
  data: 'datasets.spiral({ pointsPerClass: 200, classes: 3, seed: 4 })',
  validationSplit: 0.2,
  training: { loss: 'crossEntropy', optimizer: { type: 'adam', lr: 0.01 }, epochs: 300, metrics: ['accuracy'] },
  seed: 4,
  view: 'boundary',
};

/** Regression: the twelve house prices. */
export const regressionHouses: ExampleSpec = {
  id: 'regression',
  title: 'Regression: house prices, no output activation + MSE',
  code: `<Sequential>
  <Linear outFeatures={8} />
  <PReLU />
  <Linear outFeatures={1} />
</Sequential>`,
  inputShape: [1],
  // Sizes run from 30 to 140: standardised to mean 0, std 1 first, or the first steps blow up.
  data: '(() => { const raw = datasets.housePrices(); const ds = raw.standardize().apply(raw); raw.dispose(); return ds; })()',
  training: { loss: 'mse', optimizer: { type: 'adam', lr: 0.05 }, epochs: 1000, batchSize: 'full' },
  seed: 5,
  view: 'fit',
};

/** Multi-label: three independent yes/no labels per point. */
export const multiLabelExample: ExampleSpec = {
  id: 'multilabel',
  title: 'Multi-label: one Sigmoid per label + multi-label BCE',
  code: `<Sequential>
  <Linear outFeatures={32} />
  <ReLU />
  <Linear outFeatures={3} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: 'datasets.multiLabel({ n: 1000, seed: 6 })',
  validationSplit: 0.2,
  training: { loss: 'multiLabelBce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 300 },
  seed: 6,
};

// ---- Optimizers: one problem, three optimizers ----

const SPIRAL_NET = `<Sequential>
  <Linear outFeatures={32} />
  <ReLU />
  <Linear outFeatures={32} />
  <ReLU />
  <Linear outFeatures={3} />
</Sequential>`;

const optimizerRace = (id: string, title: string, optimizer: ExampleSpec['training']['optimizer']): ExampleSpec => ({
  id,
  title,
  code: SPIRAL_NET,
  inputShape: [2],
  data: 'datasets.spiral({ pointsPerClass: 150, classes: 3, seed: 7 })',
  training: { loss: 'crossEntropy', optimizer, epochs: 200, metrics: ['accuracy'] },
  seed: 7,
  view: 'boundary',
});

export const sgdExample = optimizerRace('sgd', 'Plain SGD, lr 0.1', { type: 'sgd', lr: 0.1 });
export const momentumExample = optimizerRace('momentum', 'SGD with Nesterov momentum 0.9, lr 0.05', {
  type: 'sgd',
  lr: 0.05,
  momentum: 0.9,
  nesterov: true,
});
export const adamExample = optimizerRace('adam', 'Adam, lr 0.01', { type: 'adam', lr: 0.01 });

// ---- Regularisation & early stopping: a big net on little, noisy data ----

const SMALL_NOISY = 'datasets.moons({ n: 200, noise: 0.35, seed: 8 })';

export const dropoutExample: ExampleSpec = {
  id: 'dropout',
  title: 'Dropout and weight decay against overfitting',
  code: `<Sequential>
  <Linear outFeatures={128} />
  <ReLU />
  <Dropout p={0.3} />
  <Linear outFeatures={128} />
  <ReLU />
  <Dropout p={0.3} />
  <Linear outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: SMALL_NOISY,
  validationSplit: 0.3,
  training: { loss: 'bce', optimizer: { type: 'adamw', lr: 0.01, weightDecay: 0.01 }, epochs: 300 },
  seed: 8,
  view: 'boundary',
};

export const earlyStoppingExample: ExampleSpec = {
  id: 'early-stopping',
  title: 'Early stopping with the best weights restored',
  code: `<Sequential>
  <Linear outFeatures={128} />
  <ReLU />
  <Linear outFeatures={128} />
  <ReLU />
  <Linear outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: SMALL_NOISY,
  validationSplit: 0.3,
  training: { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 500, regularization: { l2: 0.0001 } },
  callbacks: "[earlyStopping({ monitor: 'val_loss', patience: 15, restoreBestWeights: true })]",
  seed: 8,
  view: 'boundary',
};

// ---- Batch norm & initialisation ----

export const batchNormExample: ExampleSpec = {
  id: 'batchnorm',
  title: 'BatchNorm1d in a deeper network',
  code: `<Sequential>
  <Linear outFeatures={64} />
  <BatchNorm1d />
  <ReLU />
  <Linear outFeatures={64} />
  <BatchNorm1d />
  <ReLU />
  <Linear outFeatures={3} />
</Sequential>`,
  inputShape: [2],
  data: 'datasets.spiral({ pointsPerClass: 200, classes: 3, seed: 9 })',
  validationSplit: 0.2,
  training: {
    loss: 'crossEntropy',
    optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
    epochs: 200,
    metrics: ['accuracy'],
  },
  seed: 9,
  view: 'boundary',
};

export const initExample: ExampleSpec = {
  id: 'init',
  title: 'Five Sigmoid layers: the vanishing gradient',
  code: `<Sequential>
  <Linear outFeatures={32} weightInit="heNormal" />
  <Sigmoid />
  <Linear outFeatures={32} weightInit="heNormal" />
  <Sigmoid />
  <Linear outFeatures={32} weightInit="heNormal" />
  <Sigmoid />
  <Linear outFeatures={32} weightInit="heNormal" />
  <Sigmoid />
  <Linear outFeatures={32} weightInit="heNormal" />
  <Sigmoid />
  <Linear outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: 'datasets.circles({ n: 1000, noise: 0.1, seed: 10 })',
  validationSplit: 0.2,
  training: { loss: 'bce', optimizer: { type: 'sgd', lr: 0.05 }, epochs: 300 },
  seed: 10,
  view: 'boundary',
};

// ---- CNNs ----

export const mnistCnn: ExampleSpec = {
  id: 'mnist-cnn',
  title: 'A small CNN on MNIST digits',
  code: `<Sequential>
  <Conv2d outChannels={8} kernelSize={3} padding={1} />
  <BatchNorm2d />
  <ReLU />
  <MaxPool2d kernelSize={2} />
  <Conv2d outChannels={16} kernelSize={3} padding={1} />
  <ReLU />
  <MaxPool2d kernelSize={2} />
  <Flatten />
  <Linear outFeatures={10} />
</Sequential>`,
  inputShape: [28, 28, 1],
  data: 'datasets.mnist({ limit: 1000, seed: 11 })',
  validationSplit: 0.2,
  training: {
    loss: 'crossEntropy',
    optimizer: { type: 'adam', lr: 0.003 },
    epochs: 20,
    batchSize: 64,
    metrics: ['accuracy'],
  },
  seed: 11,
  autoStart: true,
};

// ---- Transfer learning: freeze a trained body, swap the head ----

export const freezeExample: ExampleSpec = {
  id: 'freeze',
  title: 'Freeze the body, retrain the head',
  code: `<Sequential>
  <Sequential name="body" trainable={true}>
    <Linear outFeatures={32} />
    <ReLU />
    <Linear outFeatures={32} />
    <ReLU />
  </Sequential>
  <Linear name="head" outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: MOONS,
  validationSplit: 0.2,
  training: { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 600, metrics: ['accuracy'] },
  seed: 12,
  view: 'boundary',
};

// ---- Recurrent networks: predict the next value of a sine wave ----

/** 600 windows of 20 steps from sine waves of varied frequency and phase; the target is the 21st value. */
const SINE_WINDOWS = `(() => {
  const steps = 20, x = [], y = [];
  for (let i = 0; i < 600; i++) {
    const freq = 0.15 + 0.3 * ((i * 0.618) % 1), phase = (i * 2.4) % (2 * Math.PI);
    const wave = Array.from({ length: steps + 1 }, (_, t) => Math.sin(phase + freq * t));
    x.push(wave.slice(0, steps).map((v) => [v]));
    y.push([wave[steps]]);
  }
  return fromArrays({ x, y, task: 'regression' });
})()`;

export const sineLstm: ExampleSpec = {
  id: 'sine-lstm',
  title: 'An LSTM predicts the next value of a sine wave',
  code: `<Sequential>
  <LSTM hiddenSize={16} />
  <Linear outFeatures={1} />
</Sequential>`,
  inputShape: [20, 1],
  data: SINE_WINDOWS,
  validationSplit: 0.2,
  training: { loss: 'mse', optimizer: { type: 'adam', lr: 0.01 }, epochs: 40, batchSize: 32 },
  seed: 13,
};

// ---- Transfer learning: a model trained on plenty of data becomes the base of one with little ----

export const pretrainExample: ExampleSpec = {
  id: 'pretrain',
  title: 'Step 1: train a base model on 1,000 points',
  code: `<Sequential>
  <Linear outFeatures={32} />
  <ReLU />
  <Linear outFeatures={32} />
  <ReLU />
  <Linear outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: MOONS,
  validationSplit: 0.2,
  training: { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 100, metrics: ['accuracy'] },
  seed: 14,
  view: 'boundary',
};

export const fineTuneExample: ExampleSpec = {
  id: 'fine-tune',
  title: 'Step 2: a new head on the frozen base, from 60 points',
  code: `<Sequential>
  <Pretrained src={base} upTo="Sequential/ReLU_1" trainable={false} />
  <Linear outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: 'datasets.moons({ n: 100, noise: 0.35, seed: 15 })',
  validationSplit: 0.4,
  training: { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 200, metrics: ['accuracy'] },
  seed: 15,
  view: 'boundary',
};

// ---- Training engines: one small MLP that every engine runs ----

/**
 * No validation, metrics or callbacks: a fused chunk may train many epochs at once, so the
 * difference between the engines shows in the epoch counter.
 */
export const enginesExample: ExampleSpec = {
  id: 'engines',
  title: 'One network, any engine',
  code: `<Sequential>
  <Linear outFeatures={8} />
  <Tanh />
  <Linear outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: MOONS,
  training: { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 3000, engine: 'auto' },
  seed: 16,
  view: 'boundary',
};

/** Saving, resuming and sharing: a moons model whose progress outlives the page. */
export const savingExample: ExampleSpec = {
  id: 'saving',
  title: 'Train, reload the page, go on',
  code: `<Sequential>
  <Linear outFeatures={16} />
  <ReLU />
  <Linear outFeatures={16} />
  <ReLU />
  <Linear outFeatures={1} />
  <Sigmoid />
</Sequential>`,
  inputShape: [2],
  data: MOONS,
  validationSplit: 0.2,
  training: { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 500, metrics: ['accuracy'], seed: 1 },
  seed: 1,
  view: 'boundary',
  autosave: { key: 'docs-saving', every: 10 },
};
