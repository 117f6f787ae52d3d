// The browser half of `npm run bench`: training throughput on the backend named in `?backend=` (webgl, webgpu),
// react-nn against hand-written tfjs in this one page. scripts/bench.mjs reads `window.benchResult`.
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs';
import { log } from '../measure';
import { type BenchBackend, benchTraining, type TrainingResult, type TrainingSizes } from '../training';

interface BrowserResult {
  backend: BenchBackend;
  tfjs: string;
  adapter: unknown;
  training: TrainingResult[];
}

declare global {
  interface Window {
    benchResult: Promise<BrowserResult>;
  }
}

// SwiftShader runs WebGPU on the CPU here, ~10× slower than WebGL: its runs stay tiny.
const SIZES: Record<'webgl' | 'webgpu', { moons: TrainingSizes; mnist: TrainingSizes }> = {
  webgl: {
    moons: { n: 1000, warmupEpochs: 1, epochsPerRound: 1, rounds: 7 },
    mnist: { n: 512, warmupEpochs: 1, epochsPerRound: 1, rounds: 5 },
  },
  webgpu: {
    moons: { n: 256, warmupEpochs: 1, epochsPerRound: 1, rounds: 3 },
    mnist: { n: 128, warmupEpochs: 1, epochsPerRound: 1, rounds: 3 },
  },
};

async function run(): Promise<BrowserResult> {
  const backend = new URLSearchParams(location.search).get('backend') as 'webgl' | 'webgpu';
  if (!(backend in SIZES)) throw new Error(`?backend= must be webgl or webgpu (got ${backend})`);
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not start its ${backend} backend here`);
  await tf.ready();
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = backend === 'webgpu' ? ((await gpu?.requestAdapter())?.info ?? null) : null;
  const only = new URLSearchParams(location.search).get('only')?.split(',');
  const training: TrainingResult[] = [];
  if (!only || only.includes('mlp-moons'))
    training.push(...(await benchTraining('mlp-moons', backend, SIZES[backend].moons)));
  if (!only || only.includes('cnn-mnist'))
    training.push(...(await benchTraining('cnn-mnist', backend, SIZES[backend].mnist)));
  log(`${backend}: done`);
  return {
    backend,
    tfjs: tf.version.tfjs,
    adapter: adapter && {
      vendor: adapter.vendor,
      architecture: adapter.architecture,
      isFallbackAdapter: (adapter as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter,
    },
    training,
  };
}

window.benchResult = run();
