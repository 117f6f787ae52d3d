// Examples/s of the course CNN (Conv2d 8 k3 · ReLU · MaxPool2d 2 · Flatten · Linear 10, MNIST digits,
// batch 64, Adam) in Node through Dawn (the `webgpu` package): react-nn's fused-webgpu engine against its tfjs
// engine on tfjs' webgpu backend and hand-written tfjs (`model.fit`) there, with fused-cpu for scale. A quick
// side-by-side figure for the Training engines guide; `npm run bench` is the full benchmark. Prints the adapter.
//
//   npx esbuild scripts/cnn-webgpu-speed.tsx --bundle --platform=node --format=esm --packages=external \
//     --jsx=automatic --outfile=node_modules/.cache/cnn-webgpu-speed.mjs && node node_modules/.cache/cnn-webgpu-speed.mjs
//   (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR=/tmp on a machine without a GPU;
//    CNN_ROWS=256 the MNIST rows, CNN_SECONDS=4 the time each contender trains after its warm-up epoch.)
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const gpu = create([]);
// tfjs' webgpu backend registers itself only if navigator.gpu exists when it is imported.
Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: 'node' }, configurable: true });

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-webgpu');
const { createTrainer, datasets } = await import('../src/core');
const { renderModel } = await import('../src/react/renderModel');
// The bench's own course CNN, as JSX and by hand (imported after navigator.gpu exists, as tfjs is).
const { cnn: course, handCnn } = await import('../bench/models');

const ROWS = Number(process.env.CNN_ROWS ?? 256);
const SECONDS = Number(process.env.CNN_SECONDS ?? 4);
const adapter = await gpu.requestAdapter();
console.log(
  `adapter: ${adapter ? `${adapter.info.vendor} ${adapter.info.architecture} (${adapter.info.description || 'no description'})` : 'none'}`,
);

/** Trains whole epochs until SECONDS have passed (after one warm-up epoch); examples/s. */
async function timeEpochs(epoch: () => Promise<void>): Promise<number> {
  await epoch();
  const t0 = performance.now();
  let epochs = 0;
  while (performance.now() - t0 < SECONDS * 1000) {
    await epoch();
    epochs++;
  }
  return (epochs * ROWS) / ((performance.now() - t0) / 1000);
}

async function reactNN(engine: 'fused-webgpu' | 'fused-cpu' | 'tfjs', backend: 'cpu' | 'webgpu'): Promise<string> {
  await tf.setBackend(backend);
  const data = await datasets.mnist({ limit: ROWS, seed: 1 });
  const net = await renderModel(course(), { inputShape: [28, 28, 1], seed: 1, backend });
  const t = createTrainer(net, {
    data,
    loss: 'crossEntropy',
    optimizer: { type: 'adam', lr: 0.001 },
    batchSize: 64,
    epochs: 0,
    engine,
  });
  let epochs = 0;
  const perSecond = await timeEpochs(async () => {
    t.setOptions({ epochs: ++epochs });
    const snap = await t.fit();
    if (snap.error) throw snap.error;
  });
  const reason = t.getSnapshot().engine;
  t.dispose();
  net.dispose();
  data.dispose();
  return `react-nn ${reason.name} (model on tfjs ${backend}): ${perSecond.toFixed(0)} examples/s — ${reason.reason}`;
}

async function byHand(backend: 'cpu' | 'webgpu'): Promise<string> {
  await tf.setBackend(backend);
  const data = await datasets.mnist({ limit: ROWS, seed: 1 });
  const m = handCnn();
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  const y = tf.oneHot(tf.cast(tf.reshape(data.y, [-1]), 'int32'), 10);
  const perSecond = await timeEpochs(async () => {
    await m.fit(data.x, y, { batchSize: 64, epochs: 1, verbose: 0 });
  });
  m.dispose();
  y.dispose();
  data.dispose();
  return `tfjs by hand, model.fit on tfjs ${backend}: ${perSecond.toFixed(0)} examples/s`;
}

console.log(`course CNN, ${ROWS} MNIST rows, batch 64, Adam; ${SECONDS} s per contender after a warm-up epoch`);
for (const run of [
  () => reactNN('fused-webgpu', 'cpu'),
  () => reactNN('fused-cpu', 'cpu'),
  () => reactNN('tfjs', 'webgpu'),
  () => byHand('webgpu'),
  () => byHand('cpu'),
]) {
  console.log(await run());
}
process.exit(0);
