// The Node half of `npm run bench` (tfjs' CPU backend): compile and edit timings, then training throughput.
// scripts/bench.mjs builds this file with Vite and runs it; it prints its results as one JSON line on stdout.
import * as tf from '@tensorflow/tfjs';
import { benchCheckpoint } from './checkpoint';
import { benchCompile } from './compile';
import { type BenchBackend, benchTraining, type TrainingSizes } from './training';

// tfjs' pure-JS CPU backend suggests tfjs-node on its first tensor; the bench measures the pure-JS one on purpose.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('tfjs-node')) return;
  warn(...args);
};

const backend: BenchBackend = 'cpu';
await tf.setBackend(backend);
await tf.ready();

const only = process.env.BENCH_ONLY?.split(',');
const want = (part: string) => !only || only.includes(part);

const MOONS: TrainingSizes = { n: 1000, warmupEpochs: 1, epochsPerRound: 1, rounds: 9 };
const MNIST: TrainingSizes = { n: 512, warmupEpochs: 1, epochsPerRound: 1, rounds: 3 };

const compile = want('compile') ? await benchCompile(backend, 20) : null;
const training = [];
if (want('mlp-moons')) training.push(...(await benchTraining('mlp-moons', backend, MOONS)));
if (want('cnn-mnist')) training.push(...(await benchTraining('cnn-mnist', backend, MNIST)));

const checkpoint = want('checkpoint') ? await benchCheckpoint(5) : null;

console.log(JSON.stringify({ environment: 'node', tfjs: tf.version.tfjs, compile, training, checkpoint }));
