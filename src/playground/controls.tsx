/**
 * The Playground's form controls: every one a labelled native control (select, range, checkbox,
 * button), so each works with the keyboard and a screen reader. They only read the state and ask
 * for changes; the page decides what a change does.
 */
import { type ReactNode, useId } from 'react';
import {
  ACTIVATIONS,
  type Activation,
  CLASSIFY_DATASETS,
  EXTRAS,
  type Extra,
  FEATURE_LABELS,
  FEATURES,
  MAX_LAYERS,
  MAX_NEURONS,
  OPTIMIZERS,
  type OptimizerChoice,
  type PlaygroundState,
  PROBLEMS,
  type Problem,
  REGRESS_DATASETS,
  REGULARIZATIONS,
  type RegressDataset,
  type Regularization,
} from './state';

type Update = (change: Partial<PlaygroundState> | ((s: PlaygroundState) => PlaygroundState)) => void;

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const DATASET_NAMES: Record<string, string> = {
  circle: 'Circle',
  xor: 'Exclusive or',
  gauss: 'Two Gaussians',
  spiral: 'Spiral',
};
const ACTIVATION_NAMES: Record<Activation, string> = {
  relu: 'ReLU',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  linear: 'Linear',
  leakyRelu: 'LeakyReLU',
  gelu: 'GELU',
  elu: 'ELU',
};
const OPTIMIZER_NAMES: Record<OptimizerChoice, string> = { sgd: 'SGD', momentum: 'SGD + momentum 0.9', adam: 'Adam' };
const EXTRA_NAMES: Record<Extra, string> = { none: 'None', dropout: 'Dropout', batchNorm: 'BatchNorm1d' };

/** A labelled `<select>` of fixed choices. */
export function Choice<T extends string | number>(props: {
  label: string;
  value: T;
  choices: readonly T[];
  names?: Record<string, string>;
  onChange: (v: T) => void;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="rnn-pg-field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        data-testid={props.testId}
        value={String(props.value)}
        onChange={(e) => {
          const picked = props.choices.find((c) => String(c) === e.target.value);
          if (picked !== undefined) props.onChange(picked);
        }}
      >
        {props.choices.map((c) => (
          <option key={String(c)} value={String(c)}>
            {props.names?.[String(c)] ?? String(c)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled range with its value shown. */
function Range(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  unit?: string;
  onChange: (v: number) => void;
}) {
  const id = useId();
  return (
    <div className="rnn-pg-field">
      <label htmlFor={id}>
        {props.label}: <output htmlFor={id}>{`${props.value}${props.unit ?? ''}`}</output>
      </label>
      <input
        id={id}
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
    </div>
  );
}

function Check(props: { label: ReactNode; checked: boolean; onChange: (v: boolean) => void; testId?: string }) {
  return (
    <label className="rnn-pg-check">
      <input
        type="checkbox"
        checked={props.checked}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.checked)}
      />{' '}
      {props.label}
    </label>
  );
}

/** Data: problem, dataset, ratio, noise, batch size, regenerate, test data. */
export function DataPanel(props: {
  state: PlaygroundState;
  update: Update;
  onRegenerate: () => void;
  children?: ReactNode;
}) {
  const { state, update } = props;
  return (
    <fieldset className="rnn-pg-panel">
      <legend>Data</legend>
      <Choice<Problem>
        label="Problem type"
        value={state.problem}
        choices={PROBLEMS}
        names={{ classification: 'Classification', regression: 'Regression' }}
        onChange={(problem) => update({ problem })}
      />
      {state.problem === 'classification' ? (
        <Choice
          label="Dataset"
          value={state.dataset}
          choices={CLASSIFY_DATASETS}
          names={DATASET_NAMES}
          onChange={(dataset) => update({ dataset })}
          testId="dataset"
        />
      ) : (
        <Choice<RegressDataset>
          label="Dataset"
          value={state.regDataset}
          choices={REGRESS_DATASETS}
          names={{ plane: 'Plane', gauss: 'Multi-Gaussian' }}
          onChange={(regDataset) => update({ regDataset })}
        />
      )}
      <Range
        label="Ratio of training to test data"
        value={state.percTrainData}
        min={10}
        max={90}
        step={10}
        unit="%"
        onChange={(percTrainData) => update({ percTrainData })}
      />
      <Range label="Noise" value={state.noise} min={0} max={50} step={5} onChange={(noise) => update({ noise })} />
      <Range
        label="Batch size"
        value={state.batchSize}
        min={1}
        max={30}
        step={1}
        onChange={(batchSize) => update({ batchSize })}
      />
      <button type="button" onClick={props.onRegenerate}>
        Regenerate
      </button>
      <Check
        label="Show test data"
        checked={state.showTestData}
        onChange={(showTestData) => update({ showTestData })}
        testId="show-test"
      />
      <Check
        label="Discretize output"
        checked={state.discretize}
        onChange={(discretize) => update({ discretize })}
        testId="discretize"
      />
      {props.children}
    </fieldset>
  );
}

/** Input features: one checkbox per feature; at least one stays on. */
export function FeaturesPanel(props: { state: PlaygroundState; update: Update }) {
  const { state, update } = props;
  const on = FEATURES.filter((f) => state.features[f]).length;
  return (
    <fieldset className="rnn-pg-panel">
      <legend>Features</legend>
      {FEATURES.map((f) => (
        <Check
          key={f}
          label={FEATURE_LABELS[f]}
          checked={state.features[f]}
          testId={`feature-${f}`}
          onChange={(v) => {
            if (!v && on === 1) return;
            update((s) => ({ ...s, features: { ...s.features, [f]: v } }));
          }}
        />
      ))}
    </fieldset>
  );
}

/** Hidden layers: add/remove layers, and neurons per layer. */
export function LayersPanel(props: { state: PlaygroundState; update: Update }) {
  const { state, update } = props;
  const setShape = (networkShape: number[]) => update({ networkShape });
  const shape = state.networkShape;
  return (
    <fieldset className="rnn-pg-panel">
      <legend>
        {shape.length} hidden layer{shape.length === 1 ? '' : 's'}
      </legend>
      <div className="rnn-row">
        <button type="button" disabled={shape.length >= MAX_LAYERS} onClick={() => setShape([...shape, 2])}>
          Add layer
        </button>
        <button type="button" disabled={shape.length === 0} onClick={() => setShape(shape.slice(0, -1))}>
          Remove layer
        </button>
      </div>
      <ol className="rnn-pg-layers">
        {shape.map((units, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: layers are positional.
          <li key={i}>
            <span>
              Layer {i + 1}: {units} neuron{units === 1 ? '' : 's'}
            </span>{' '}
            <button
              type="button"
              aria-label={`Add a neuron to layer ${i + 1}`}
              disabled={units >= MAX_NEURONS}
              onClick={() => setShape(shape.map((u, j) => (j === i ? u + 1 : u)))}
            >
              +
            </button>
            <button
              type="button"
              aria-label={`Remove a neuron from layer ${i + 1}`}
              disabled={units <= 1}
              onClick={() => setShape(shape.map((u, j) => (j === i ? u - 1 : u)))}
            >
              −
            </button>
          </li>
        ))}
      </ol>
    </fieldset>
  );
}

/** Training settings: learning rate, activation, extra layer, regularisation, optimizer, init. */
export function TrainingPanel(props: { state: PlaygroundState; update: Update }) {
  const { state, update } = props;
  return (
    <fieldset className="rnn-pg-panel">
      <legend>Training</legend>
      <Choice
        label="Learning rate"
        value={state.learningRate}
        choices={LEARNING_RATES.includes(state.learningRate) ? LEARNING_RATES : [...LEARNING_RATES, state.learningRate]}
        onChange={(learningRate) => update({ learningRate })}
        testId="learning-rate"
      />
      <Choice<Activation>
        label="Activation"
        value={state.activation}
        choices={ACTIVATIONS}
        names={ACTIVATION_NAMES}
        onChange={(activation) => update({ activation })}
        testId="activation"
      />
      <Choice<Extra>
        label="After each activation"
        value={state.extra}
        choices={EXTRAS}
        names={EXTRA_NAMES}
        onChange={(extra) => update({ extra })}
      />
      {state.extra === 'dropout' ? (
        <Range
          label="Dropout p"
          value={state.dropout}
          min={0}
          max={0.9}
          step={0.05}
          onChange={(dropout) => update({ dropout })}
        />
      ) : null}
      <Choice<Regularization>
        label="Regularization"
        value={state.regularization}
        choices={REGULARIZATIONS}
        names={{ none: 'None', L1: 'L1', L2: 'L2' }}
        onChange={(regularization) => update({ regularization })}
      />
      <Choice
        label="Regularization rate"
        value={state.regularizationRate}
        choices={REG_RATES.includes(state.regularizationRate) ? REG_RATES : [...REG_RATES, state.regularizationRate]}
        onChange={(regularizationRate) => update({ regularizationRate })}
      />
      <Choice<OptimizerChoice>
        label="Optimizer"
        value={state.optimizer}
        choices={OPTIMIZERS}
        names={OPTIMIZER_NAMES}
        onChange={(optimizer) => update({ optimizer })}
        testId="optimizer"
      />
      <Check
        label="Initialize weights to zero"
        checked={state.initZero}
        onChange={(initZero) => update({ initZero })}
      />
    </fieldset>
  );
}
