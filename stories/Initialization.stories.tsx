import type { Meta, StoryObj } from '@storybook/react-vite';
import * as tf from '@tensorflow/tfjs';
import { Fragment, useEffect, useState } from 'react';
import {
  type Dataset,
  datasets,
  type InitFunction,
  type InitName,
  type InitSpec,
  Linear,
  LossChart,
  Model,
  type Net,
  resolveLoss,
  Sequential,
  Sigmoid,
  useDataset,
  useModel,
  useTrainer,
  WeightHistogram,
} from 'react-nn';
import { expect, waitFor, within } from 'storybook/test';
import {
  ACTIVATION_NAMES,
  ACTIVATIONS,
  type ActivationName,
  type OptimizerName,
  optimizer,
  readNumber,
  TrainingReadout,
  trainingArgTypes,
  useAutoFit,
} from './shared';

const INITS = ['xavierUniform', 'heNormal', 'normal'] as const satisfies readonly InitName[];

interface InitArgs {
  weightInit: (typeof INITS)[number];
  /** Hidden layers (each Linear + activation), before the output Linear. */
  depth: number;
  hidden: number;
  activation: ActivationName;
  lr: number;
  optimizer: OptimizerName;
  epochs: number;
}

/** `depth` hidden Linear–activation pairs of `hidden` units, then Linear(1)–Sigmoid; every Linear from `init`. */
function DeepNet({
  depth,
  hidden,
  activation,
  init,
  biasInit,
}: {
  depth: number;
  hidden: number;
  activation: ActivationName;
  init: (layer: number) => InitSpec;
  biasInit?: InitSpec;
}) {
  const Activation = ACTIVATIONS[activation];
  return (
    <Sequential>
      {Array.from({ length: depth }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: layers are positional.
        <Fragment key={i}>
          <Linear outFeatures={hidden} weightInit={init(i)} biasInit={biasInit} />
          <Activation />
        </Fragment>
      ))}
      <Linear outFeatures={1} weightInit={init(depth)} biasInit={biasInit} />
      <Sigmoid />
    </Sequential>
  );
}

/** The same net from three initialisers: the weights' histogram and how the loss starts. */
function Initialization(args: InitArgs) {
  const data = useDataset(() => datasets.circles({ n: 400, noise: 0.1, seed: 2 }));
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: optimizer(args.optimizer, args.lr),
    epochs: args.epochs,
  });
  useAutoFit(trainer);
  return (
    <div className="story">
      <Model handle={model} inputShape={[2]} seed={2}>
        <DeepNet depth={args.depth} hidden={args.hidden} activation={args.activation} init={() => args.weightInit} />
      </Model>
      <div className="story-col">
        <TrainingReadout trainer={trainer} />
        <LossChart className="story-chart" trainer={trainer} height={180} />
      </div>
      <WeightHistogram model={model} trainer={trainer} title={`Weights (${args.weightInit})`} />
    </div>
  );
}

// ---- Gradients at initialisation ----

/**
 * The textbook naive init, N(0, 0.01²) ("0.01 · randn"), seeded per layer. One function per layer,
 * made once: a new `weightInit` function on every render would be a new prop, and a rebuild.
 */
const naiveInits: InitFunction[] = [];
const naive = (layer: number): InitFunction => {
  naiveInits[layer] ??= (shape) => tf.tidy(() => tf.randomNormal(shape, 0, 0.01, 'float32', 100 + layer).dataSync());
  return naiveInits[layer];
};
const GRADIENT_INITS = {
  naive: { label: 'naive N(0, 0.01²)', init: naive },
  xavier: { label: 'Xavier uniform', init: () => 'xavierUniform' },
  he: { label: 'He normal', init: () => 'heNormal' },
} as const satisfies Record<string, { label: string; init: (layer: number) => InitSpec }>;
type GradientInit = keyof typeof GRADIENT_INITS;

interface LayerNorms {
  /** ‖∂L/∂W‖ per Linear layer, input side first. */
  weight: number[];
  /** ‖∂L/∂h‖ per Linear layer, h its input over the whole batch: the error signal that reaches it. */
  input: number[];
}

/** 2-norm computed on the host with scaling, so that norms near 1e-20 do not underflow in float32. */
function norm(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] as number));
  if (max === 0) return 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += ((values[i] as number) / max) ** 2;
  return max * Math.sqrt(sum);
}

/**
 * One backward pass of BCE over the whole batch at the net's initial weights. The gradient with
 * respect to each Linear's input comes from a zero "probe" added to that input (∂L/∂probe = ∂L/∂h),
 * running the compiled tfjs layers one by one; the weight gradients from `tf.variableGrads`.
 */
async function gradientNorms(net: Net, data: Dataset): Promise<LayerNorms> {
  const model = net.model as tf.LayersModel;
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const isLinear = (l: tf.layers.Layer) => l.trainableWeights.length === 2;
  const linears = layers.filter(isLinear);
  const bce = resolveLoss('bce');
  const n = data.x.shape[0] as number;
  const forward = (probes: tf.Tensor[]) => {
    let h = data.x;
    let k = 0;
    for (const layer of layers) {
      if (isLinear(layer)) h = tf.add(h, probes[k++] as tf.Tensor);
      h = layer.apply(h, { training: true }) as tf.Tensor;
    }
    return bce.fn(data.y, h);
  };
  const probes = linears.map((l) => tf.zeros([n, l.trainableWeights[0]?.shape[0] as number]));
  const vars = linears.map((l) => l.trainableWeights[0]?.read() as tf.Variable);
  const inputGrads = tf.grads((...p: tf.Tensor[]) => forward(p))(probes);
  const { value, grads } = tf.variableGrads(() => forward(probes), vars);
  try {
    const [inputs, weights] = await Promise.all([
      Promise.all(inputGrads.map((g) => g.data())),
      Promise.all(vars.map((v) => (grads[v.name] as tf.Tensor).data())),
    ]);
    return { weight: weights.map(norm), input: inputs.map(norm) };
  } finally {
    tf.dispose([value, ...probes, ...inputGrads, ...Object.values(grads)]);
  }
}

/** The per-layer gradient norms of one net, once its model and the batch exist. */
function useGradientNorms(net: Net, data: Dataset | null): LayerNorms | null {
  const [norms, setNorms] = useState<LayerNorms | null>(null);
  const model = net.model;
  useEffect(() => {
    setNorms(null);
    if (!model || !data) return;
    let cancelled = false;
    gradientNorms(net, data).then((n) => !cancelled && setNorms(n), console.error);
    return () => {
      cancelled = true;
    };
  }, [net, model, data]);
  return norms;
}

const fmt = (v: number) => v.toExponential(2);

/** One initialiser: its net (not trained), and a column of gradient norms per layer. */
function GradientColumn({ name, data, args }: { name: GradientInit; data: Dataset | null; args: InitArgs }) {
  const model = useModel();
  const norms = useGradientNorms(model, data);
  const { label, init } = GRADIENT_INITS[name];
  const first = norms?.input[0];
  const last = norms?.input.at(-1);
  // The largest bar is 1e1, the smallest drawn 1e-20: a log scale over 21 decades.
  const bar = (v: number) => `${Math.max(0, Math.min(1, (Math.log10(v || 1e-30) + 20) / 21)) * 100}%`;
  return (
    <section className="story-col" aria-label={label} data-testid={`grad-${name}`}>
      <h3>{label}</h3>
      <Model handle={model} inputShape={[2]} seed={5}>
        <DeepNet depth={args.depth} hidden={args.hidden} activation={args.activation} init={init} biasInit={0} />
      </Model>
      <p className="story-readout">
        ‖∂L/∂h‖ at the first / last Linear:{' '}
        <output data-testid={`grad-${name}-ratio`}>{first !== undefined && last ? fmt(first / last) : ''}</output>
      </p>
      <table className="story-grads">
        <thead>
          <tr>
            <th scope="col">Linear</th>
            <th scope="col">‖∂L/∂W‖</th>
            <th scope="col">‖∂L/∂h‖</th>
            <th scope="col">log scale</th>
          </tr>
        </thead>
        <tbody>
          {norms?.weight.map((w, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: layers are positional.
            <tr key={i}>
              <th scope="row">{i + 1}</th>
              <td data-testid={`grad-${name}-w-${i}`}>{fmt(w)}</td>
              <td data-testid={`grad-${name}-h-${i}`}>{fmt(norms.input[i] as number)}</td>
              <td>
                <span className="story-bar" style={{ width: bar(norms.input[i] as number) }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The vanishing gradient, measured: the same deep net (default 9 Tanh layers of 32, then the output)
 * from three initialisers, one backward pass over 256 points of the two moons, and for each Linear
 * layer the norm of the gradient reaching its input and of its weights' gradient — real tfjs
 * gradients. Biases start at 0, as in Glorot & Bengio (2010).
 */
function GradientsAtInit(args: InitArgs) {
  const data = useDataset(() => datasets.moons({ n: 256, noise: 0.1, seed: 3 }));
  return (
    <div className="story">
      <p className="story-note">
        With N(0, 0.01²) each {args.activation} layer passes back only a few percent of the gradient, so the first
        layers barely learn; Xavier (made for Tanh) and He (made for ReLU) keep it within a small factor from layer to
        layer. Switch the activation to Sigmoid: its slope of at most ¼ makes the gradient vanish whatever the
        initialisation. A weight gradient shown as 0 is below float32's reach: the naive net's activations shrink ~20×
        per layer until tfjs' tanh rounds them to 0.
      </p>
      {(Object.keys(GRADIENT_INITS) as GradientInit[]).map((name) => (
        <GradientColumn key={name} name={name} data={data} args={args} />
      ))}
    </div>
  );
}

const meta = {
  title: 'Course/Initialisation',
  component: Initialization,
  // A new initialiser starts a fresh model: the demo is keyed on it.
  render: (args) => <Initialization key={args.weightInit} {...args} />,
  args: {
    weightInit: 'heNormal',
    depth: 2,
    hidden: 32,
    activation: 'ReLU',
    lr: 0.01,
    optimizer: 'adam',
    epochs: 200,
  },
  argTypes: {
    weightInit: { control: 'select', options: INITS },
    depth: { control: { type: 'range', min: 1, max: 20, step: 1 }, description: 'Hidden layers' },
    hidden: { control: { type: 'range', min: 2, max: 128, step: 1 } },
    activation: { control: 'select', options: ACTIVATION_NAMES },
    epochs: { control: { type: 'number', min: 1, max: 2000 } },
    ...trainingArgTypes,
  },
} satisfies Meta<typeof Initialization>;
export default meta;
type Story = StoryObj<typeof meta>;

export const HeNormal: Story = {};
export const XavierUniform: Story = { args: { weightInit: 'xavierUniform' } };
export const Normal: Story = { args: { weightInit: 'normal' } };

/** Reads a column's per-layer norms from the table. */
function readNorms(canvasElement: HTMLElement, name: GradientInit, kind: 'w' | 'h', depth: number): number[] {
  return Array.from({ length: depth + 1 }, (_, i) => readNumber(canvasElement, `grad-${name}-${kind}-${i}`));
}

export const VanishingGradients: Story = {
  render: (args) => <GradientsAtInit {...args} />,
  args: { depth: 9, hidden: 32, activation: 'Tanh' },
  parameters: { controls: { include: ['depth', 'hidden', 'activation'] } },
  play: async ({ canvasElement, args, step }) => {
    const canvas = within(canvasElement);
    for (const name of Object.keys(GRADIENT_INITS)) {
      await waitFor(() => expect(canvas.getByTestId(`grad-${name}-ratio`).textContent).not.toBe(''), {
        timeout: 30_000,
      });
    }
    const ratio = (name: GradientInit) => readNumber(canvasElement, `grad-${name}-ratio`);
    await step('naive N(0, 0.01²): the error signal fades by orders of magnitude on its way back', () => {
      const signal = readNorms(canvasElement, 'naive', 'h', args.depth);
      // Each Tanh layer passes back about 0.01·√32 ≈ 0.06 of it: ~1e-11 over 9 layers. Assert < 1e-6.
      expect(ratio('naive')).toBeLessThan(1e-6);
      expect(signal[0]).toBeGreaterThan(0);
      expect(signal[0]).toBeLessThan((signal.at(-1) as number) * 1e-6);
      // Every step back shrinks it.
      for (let i = 1; i < signal.length; i++) expect(signal[i - 1]).toBeLessThan(signal[i] as number);
    });
    await step('Xavier and He keep the first layer within a factor of 100 of the last', () => {
      for (const name of ['xavier', 'he'] as const) {
        expect(ratio(name)).toBeGreaterThan(1 / 100);
        expect(ratio(name)).toBeLessThan(100);
      }
    });
    await step("the naive net's first-layer weights get a vanishing gradient next to Xavier's", () => {
      const naiveW = readNorms(canvasElement, 'naive', 'w', args.depth);
      const xavierW = readNorms(canvasElement, 'xavier', 'w', args.depth);
      expect(naiveW[0]).toBeGreaterThan(0);
      expect(naiveW[0]).toBeLessThan((xavierW[0] as number) * 1e-6);
    });
  },
};
