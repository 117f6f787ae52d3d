import { kernels } from '../src/training/engines/fused/kernel';
import type { KernelSpec } from '../src/training/engines/fused/plan';
const widths = (process.env.W ?? '2,4,2,1').split(',').map(Number);
const ops: KernelSpec['ops'] = [];
const params: KernelSpec['params'] = [];
let total = 0;
for (let i = 1; i < widths.length; i++) {
  const I = widths[i - 1]!, O = widths[i]!;
  params.push({ name: `w${i}`, offset: total, size: I * O, shape: [I, O], decay: true, trainable: true }); total += I * O;
  params.push({ name: `b${i}`, offset: total, size: O, shape: [O], decay: false, trainable: true }); total += O;
  ops.push({ op: 'linear', inSize: I, outSize: O, w: params.length - 2, b: params.length - 1, path: '' });
  ops.push({ op: 'act', fn: 'tanh', size: O, alpha: 0, p: -1, channels: 1, path: '' });
}
const spec: KernelSpec = { inputSize: widths[0]!, outputSize: 1, ops, params, totalParams: total, loss: { kind: 'mse', delta: 1, labelSmoothing: 0 } };
const flat = new Float32Array(total).map(() => Math.random() - 0.5);
const k = kernels.create(spec, flat, null, null);
const n = 250;
k.setData(new Float32Array(n * 2).map(() => Math.random()), new Float32Array(n).map(() => Math.random()), n, 1);
const order = Int32Array.from({ length: n }, (_v, i) => i);
const opt = { kind: 0 as const, lr: 0.03, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, beta1: 0, beta2: 0, eps: 0, l1: 0, l2: 0, clipNorm: 0, clipValue: 0, generation: 0 };
const t0 = performance.now();
let ex = 0;
while (performance.now() - t0 < 3000) { const r = k.train({ order, offset: 0, batchSize: 10, maxSteps: 1e9, budgetMs: 1e9, opt }); ex += r.samples; }
console.log(widths.join('-'), Math.round(ex / ((performance.now() - t0) / 1000)), 'examples/s');
