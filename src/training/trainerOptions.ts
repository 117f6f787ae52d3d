/**
 * The trainer's options, declared once: each key's check and default live in one schema entry,
 * and the type, the list of valid keys and the resolved form all come from it.
 */
import type { Dataset } from '../data/dataset';
import { describe, listChoices, ReactNNError } from '../errors';
import { randomSeed } from '../random';
import type { Callback } from './callbacks';
import type { LossSpec } from './losses';
import { type MetricName, resolveMetric } from './metrics';
import { createOptimizer, type OptimizerConfig } from './optimizers';
import type { ResumeSource } from './trainerState';

export type EngineName = 'auto' | 'tfjs' | 'fused-webgpu' | 'fused-cpu';

export const ENGINE_NAMES: readonly EngineName[] = ['auto', 'tfjs', 'fused-webgpu', 'fused-cpu'];

export interface TrainerOptions {
  /** A Dataset, or separate training and validation sets. */
  data: Dataset | { train: Dataset; val?: Dataset };
  /** Hold out this fraction of `data` for validation (seeded, stratified for classes). */
  validationSplit?: number;
  loss: LossSpec;
  optimizer: OptimizerConfig;
  /** Examples per step, or 'full' for full-batch gradient descent. Default 32. */
  batchSize?: number | 'full';
  /** Epochs to train in total (a resumed run counts the epochs it already had); default 100. */
  epochs?: number;
  metrics?: MetricName[];
  /** L1/L2 penalty added to the loss, on weights only (not biases). */
  regularization?: { l1?: number; l2?: number };
  /** Rescale gradients whose global 2-norm exceeds this (torch.nn.utils.clip_grad_norm_). */
  clipGradNorm?: number;
  /** Clamp every gradient element to ±this. */
  clipGradValue?: number;
  /** Seeds shuffling and the validation split. Seed the model (`<Model seed>`) for its weights. */
  seed?: number;
  /** Shuffle the training set every epoch; default true. */
  shuffle?: boolean;
  callbacks?: Callback[];
  /** Shorthand for a callback with only onEpochEnd. */
  onEpochEnd?: (epoch: number, logs: Record<string, number | undefined>) => void;
  /** Shorthand for a callback with only onStep. */
  onStep?: (step: number) => void;
  /** Training engine; 'auto' picks the fastest that supports the model. */
  engine?: EngineName;
  /**
   * Continue a saved run (`trainer.exportState()`, or a checkpoint carrying it): optimizer slots
   * and step counts, epoch, step, history, schedule and early-stopping state and the epoch order.
   * Read by createTrainer only; `epochs` stays the total (as Keras' `initial_epoch`).
   */
  resume?: ResumeSource;
}

/** What setOptions takes: any options but `resume`, with the optimizer given in part (`{ optimizer: { lr: 1e-3 } }`). */
export type TrainerOptionsPatch = Partial<Omit<TrainerOptions, 'optimizer' | 'resume'>> & {
  optimizer?: Partial<OptimizerConfig>;
};

/** The options with defaults filled in, as the training loop reads them. */
export interface ResolvedOptions {
  batchSize: number | 'full';
  epochs: number;
  metrics: MetricName[];
  regularization: { l1?: number; l2?: number } | undefined;
  clipGradNorm: number | undefined;
  clipGradValue: number | undefined;
  seed: number;
  shuffle: boolean;
  callbacks: Callback[];
}

const PATH = 'createTrainer';

const fail = (key: string, message: string): never => {
  throw new ReactNNError('option', `${PATH} > ${key}`, message);
};

const positive = (key: string) => (v: unknown) => {
  if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0))
    fail(key, `${key} must be a positive number (got ${describe(v)})`);
};

const fn = (key: string) => (v: unknown) => {
  if (v !== undefined && typeof v !== 'function') fail(key, `${key} must be a function (got ${describe(v)})`);
};

/**
 * One entry per option: `check` throws a ReactNNError for a bad value (undefined means "not
 * given"). `Record<keyof TrainerOptions, …>` makes a new option without an entry a type error.
 * Data, loss and optimizer are resolved by their own modules; their entries check presence.
 */
const SCHEMA: Record<keyof TrainerOptions, (value: unknown) => void> = {
  data: () => {},
  validationSplit: (v) => {
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v < 1))
      fail('validationSplit', `validationSplit must be a number in [0, 1) (got ${describe(v)})`);
  },
  loss: (v) => {
    if (v === undefined)
      throw new ReactNNError(
        'option',
        PATH,
        "loss is required — e.g. 'mse' (regression), 'bce' (binary), 'crossEntropy' (classes)",
      );
  },
  optimizer: (v) => {
    if (v === undefined)
      throw new ReactNNError('option', PATH, "optimizer is required — e.g. { type: 'adam', lr: 0.001 }");
  },
  batchSize: (v) => {
    if (v !== undefined && v !== 'full' && !(Number.isInteger(v) && (v as number) > 0))
      fail('batchSize', `batchSize must be a positive integer or 'full' (got ${describe(v)})`);
  },
  epochs: (v) => {
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0))
      fail('epochs', `epochs must be an integer ≥ 0 (got ${describe(v)})`);
  },
  metrics: (v) => {
    if (v === undefined) return;
    if (!Array.isArray(v)) fail('metrics', `metrics must be an array (got ${describe(v)})`);
    (v as unknown[]).forEach((m, i) => {
      resolveMetric(m as MetricName, `${PATH} > metrics[${i}]`);
    });
  },
  regularization: (v) => {
    if (v === undefined) return;
    if (v === null || typeof v !== 'object')
      fail('regularization', `regularization must be { l1?, l2? } (got ${describe(v)})`);
    for (const k of ['l1', 'l2'] as const) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined && !(typeof x === 'number' && Number.isFinite(x) && x >= 0))
        fail('regularization', `${k} must be a number ≥ 0 (got ${describe(x)})`);
    }
  },
  clipGradNorm: positive('clipGradNorm'),
  clipGradValue: positive('clipGradValue'),
  seed: (v) => {
    if (v !== undefined && !Number.isInteger(v)) fail('seed', `seed must be an integer (got ${describe(v)})`);
  },
  shuffle: (v) => {
    if (v !== undefined && typeof v !== 'boolean')
      fail('shuffle', `shuffle must be true or false (got ${describe(v)})`);
  },
  callbacks: (v) => {
    if (v !== undefined && (!Array.isArray(v) || v.some((c) => !c || typeof c !== 'object')))
      fail('callbacks', 'callbacks must be an array of callback objects such as earlyStopping({ patience: 10 })');
  },
  onEpochEnd: fn('onEpochEnd'),
  onStep: fn('onStep'),
  resume: (v) => {
    if (v !== undefined && (v === null || typeof v !== 'object'))
      fail('resume', `resume must be a TrainerState from trainer.exportState() (got ${describe(v)})`);
  },
  engine: (v) => {
    if (v !== undefined && !ENGINE_NAMES.includes(v as EngineName))
      fail('engine', `unknown engine ${describe(v)} — use ${listChoices(ENGINE_NAMES)}`);
  },
};

/** Every option createTrainer and setOptions accept. */
export const TRAINER_OPTION_KEYS = Object.keys(SCHEMA) as (keyof TrainerOptions)[];

/**
 * Checks every option and fills in the defaults. `seed`, when not given, is `keepSeed` (the one
 * a trainer already drew) or a new random one — drawn once, so epoch orders do not change with
 * every setOptions.
 */
export function checkOptions(o: TrainerOptions, keepSeed?: number): ResolvedOptions {
  if (o === null || typeof o !== 'object') {
    throw new ReactNNError(
      'option',
      PATH,
      `options must be an object with data, loss and optimizer (got ${describe(o)})`,
    );
  }
  for (const k of Object.keys(o)) {
    if (!(k in SCHEMA)) {
      throw new ReactNNError(
        'option',
        PATH,
        `unknown option "${k}" — valid options are ${TRAINER_OPTION_KEYS.join(', ')}`,
      );
    }
  }
  for (const k of TRAINER_OPTION_KEYS) SCHEMA[k](o[k]);
  return {
    batchSize: o.batchSize ?? 32,
    epochs: o.epochs ?? 100,
    metrics: o.metrics ?? [],
    regularization: o.regularization,
    clipGradNorm: o.clipGradNorm,
    clipGradValue: o.clipGradValue,
    seed: o.seed ?? keepSeed ?? randomSeed(),
    shuffle: o.shuffle ?? true,
    callbacks: o.callbacks ?? [],
  };
}

/** Validates an optimizer config the way createOptimizer does, without touching a live optimizer. */
export function checkOptimizer(config: OptimizerConfig): void {
  createOptimizer(config, `${PATH} > optimizer`).dispose();
}

/** Whether `x` is a Dataset (duck-typed: Datasets may come from another copy of the library). */
export function isDataset(x: unknown): x is Dataset {
  return (
    !!x && typeof x === 'object' && 'x' in x && 'y' in x && 'size' in x && typeof (x as Dataset).split === 'function'
  );
}
