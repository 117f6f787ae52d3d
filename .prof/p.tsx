import * as tf from '@tensorflow/tfjs';
import { Linear, ReLU, Sequential, resolveLoss, createOptimizer } from '/work/main/src/core';
import { renderModel } from '/work/main/src/react/renderModel';
import { createTfjsEngine } from '/work/main/src/training/engines/tfjs';

async function main() {
  await tf.setBackend('cpu');
  const net = await renderModel(<Sequential><Linear outFeatures={128} /><ReLU /><Linear outFeatures={10} /></Sequential>, { inputShape: [784], backend: 'cpu', seed: 1 });
  const x = tf.randomUniform([64, 784]);
  const y = tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'float32');
  const eng = createTfjsEngine();
  const config = { loss: resolveLoss('crossEntropy'), optimizer: createOptimizer({ type: 'sgd', lr: 0.03 }), regularization: undefined, clipGradNorm: undefined, clipGradValue: undefined } as any;
  eng.step(net.model, x, y, config).dispose();
  const p1 = await tf.profile(() => { eng.step(net.model, x, y, config).dispose(); });
  console.log('react-nn step kernels', p1.kernels.length, p1.kernels.map((k) => k.name).join(' '));
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10 }));
  const yh = tf.oneHot(tf.cast(y, 'int32'), 10);
  model.compile({ optimizer: tf.train.sgd(0.03), loss: (a: tf.Tensor, b: tf.Tensor) => tf.losses.softmaxCrossEntropy(a, b) });
  await model.fit(x, yh, { batchSize: 64, epochs: 1, verbose: 0 });
  const p2 = await tf.profile(async () => { await model.fit(x, yh, { batchSize: 64, epochs: 1, verbose: 0, shuffle: false }); });
  console.log('model.fit 1 step kernels', p2.kernels.length, p2.kernels.map((k) => k.name).join(' '));
}
main();
