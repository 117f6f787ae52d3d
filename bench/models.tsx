// The models the bench compares, each written twice: as react-nn JSX and as the hand-written tfjs a user would
// write instead (idiomatic: fused dense activations, Keras losses, tf.train.adam). Same shapes, same PyTorch
// initialisation bounds U(±1/√fanIn), same data, batch size and backend.
import * as tf from '@tensorflow/tfjs';
import type { ReactElement } from 'react';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, Sigmoid } from '../src/index';

/** Hidden widths of the 5-layer MLP, 2 → 64 → 64 → 64 → 64 → 1. */
export const MLP_WIDTHS: readonly number[] = [64, 64, 64, 64];

/** The MLP as JSX (four hidden layers); `sigmoid` ends it in a probability (for `bce`). */
export function mlp(widths: readonly number[] = MLP_WIDTHS, sigmoid = false): ReactElement {
  const [a, b, c, d] = widths;
  return (
    <Sequential>
      <Linear outFeatures={a as number} />
      <ReLU />
      <Linear outFeatures={b as number} />
      <ReLU />
      <Linear outFeatures={c as number} />
      <ReLU />
      <Linear outFeatures={d as number} />
      <ReLU />
      <Linear outFeatures={1} />
      {sigmoid ? <Sigmoid /> : null}
    </Sequential>
  );
}

/** torch.nn.Linear/Conv2d's default initialisation, U(−1/√fanIn, 1/√fanIn), for weights and biases. */
function torchInit(fanIn: number, seed: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
}

/** The same MLP by hand with `tf.sequential`. */
export function handMlp(inputDim: number, widths: readonly number[] = MLP_WIDTHS, sigmoid = false): tf.Sequential {
  const model = tf.sequential();
  let fanIn = inputDim;
  [...widths, 1].forEach((units, i) => {
    const last = i === widths.length;
    model.add(
      tf.layers.dense({
        ...(i === 0 ? { inputShape: [inputDim] } : {}),
        units,
        activation: last ? (sigmoid ? 'sigmoid' : 'linear') : 'relu',
        kernelInitializer: torchInit(fanIn, 2 * i),
        biasInitializer: torchInit(fanIn, 2 * i + 1),
      }),
    );
    fanIn = units;
  });
  return model;
}

/** Conv2d 8 k3 → ReLU → MaxPool2d 2 → Flatten → Linear 10 (logits), for 28×28×1 digits. */
export function cnn(): ReactElement {
  return (
    <Sequential>
      <Conv2d outChannels={8} kernelSize={3} />
      <ReLU />
      <MaxPool2d kernelSize={2} />
      <Flatten />
      <Linear outFeatures={10} />
    </Sequential>
  );
}

/** The same CNN by hand; it ends in softmax for Keras' categoricalCrossentropy, the usual tfjs idiom. */
export function handCnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 8,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: torchInit(9, 1),
      biasInitializer: torchInit(9, 2),
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: torchInit(13 * 13 * 8, 3),
      biasInitializer: torchInit(13 * 13 * 8, 4),
    }),
  );
  return model;
}
