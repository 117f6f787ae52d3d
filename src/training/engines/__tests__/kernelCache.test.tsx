// The fused-cpu kernel caches: generated code by plan, and the kernels disposed trainers leave idle.
// Behaviour only (what is shared, what is kept, what is dropped, what a reused kernel computes); never timing.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromArrays } from '../../../data/fromArrays';
import { Tanh } from '../../../layers/activation';
import { Sequential } from '../../../layers/containers';
import { Linear } from '../../../layers/core';
import { renderModel } from '../../../react/renderModel';
import { resolveLoss } from '../../losses';
import { createTrainer } from '../../trainer';
import { fusedImageOps } from '../fused/imageOps';
import { type CpuKernel, fusedKernelFactory, kernels } from '../fused/kernel';
import { fusedPlanCache } from '../fused/kernelCache';
import { buildSpec, type KernelSpec, type OptSpec } from '../fused/plan';
import { fusedRules } from '../fused/rules';

const SGD: OptSpec = {
  kind: 0,
  lr: 0.1,
  momentum: 0.9,
  dampening: 0,
  nesterov: false,
  weightDecay: 0,
  beta1: 0,
  beta2: 0,
  eps: 0,
  l1: 0,
  l2: 0,
  clipNorm: 0,
  clipValue: 0,
  generation: 1,
  slots: { buf: true, m: false, v: false },
};

/** The plan of a tanh MLP 2-…-1 (as the fused engines build it from a rendered model). */
async function specOf(hidden: number[]): Promise<KernelSpec> {
  const net = await renderModel(
    <Sequential>
      {hidden.flatMap((h, i) => [
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of layers, never reordered.
        <Linear key={`l${i}`} outFeatures={h} />,
        // biome-ignore lint/suspicious/noArrayIndexKey: as above.
        <Tanh key={`t${i}`} />,
      ])}
      <Linear outFeatures={1} />
    </Sequential>,
    { inputShape: [2], seed: 1 },
  );
  const spec = buildSpec(net.net.graph as NonNullable<typeof net.net.graph>, net.model, resolveLoss('mse'));
  net.dispose();
  return spec;
}

const X = Float32Array.from({ length: 2 * 40 }, (_v, i) => Math.sin(i * 1.7));
const Y = Float32Array.from({ length: 40 }, (_v, i) => Math.cos(i * 0.9));
const ORDER = Int32Array.from({ length: 40 }, (_v, i) => (i * 7) % 40);

function trainOnce(k: CpuKernel): Float32Array {
  k.setData(X, Y, 40, 1);
  k.train({ order: ORDER, offset: 0, batchSize: 8, maxSteps: Number.POSITIVE_INFINITY, budgetMs: 1e9, opt: SGD });
  return k.params.slice();
}

/** A factory of its own, so the tests see its caches from empty (the module's `kernels` is shared). */
const factory = () => fusedKernelFactory(fusedRules(), fusedImageOps(), fusedPlanCache);

describe('fusedPlanCache', () => {
  it('keys equal plans equally whatever the order of their fields, and different plans differently', () => {
    const c = fusedPlanCache<number>(4);
    expect(c.key({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(c.key({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(c.key({ a: 1, b: [1, 2] })).not.toBe(c.key({ a: 1, b: [2, 1] }));
    expect(c.key({ a: Number.POSITIVE_INFINITY })).not.toBe(c.key({ a: Number.NaN }));
    expect(c.key({ a: 1, b: undefined })).toBe(c.key({ a: 1 }));
  });

  it('keeps at most `limit` entries, dropping the least recently used', () => {
    const c = fusedPlanCache<string>(3);
    c.set('a', 'A');
    c.set('b', 'B');
    c.set('c', 'C');
    expect(c.get('a')).toBe('A'); // now a is the most recently used: b goes first
    c.set('d', 'D');
    expect(c.size).toBe(3);
    expect(c.keys()).toEqual(['c', 'a', 'd']);
    expect(c.get('b')).toBeUndefined();
    for (let i = 0; i < 100; i++) c.set(`k${i}`, String(i));
    expect(c.size).toBe(3);
    expect(c.keys()).toEqual(['k97', 'k98', 'k99']);
    expect(c.take('k98')).toBe('98');
    expect(c.keys()).toEqual(['k97', 'k99']);
  });

  it('refuses a limit that is not a whole number ≥ 1', () => {
    expect(() => fusedPlanCache(0)).toThrow(/limit must be a whole number ≥ 1, got 0/);
    expect(() => fusedPlanCache(2.5)).toThrow(/got 2.5/);
  });
});

describe('the fused-cpu kernel caches', () => {
  let small: KernelSpec;
  let wide: KernelSpec;
  beforeAll(async () => {
    small = await specOf([4, 2]);
    wide = await specOf([5, 2]);
  });

  it('same plan → the same compiled code; a different plan → other code', () => {
    const K = factory();
    const init = new Float32Array(small.totalParams).map((_v, i) => Math.sin(i));
    const a = K.create(small, init, null, null);
    const b = K.create(structuredClone(small), init, null, null); // an equal plan, another object
    const c = K.create(wide, new Float32Array(wide.totalParams).fill(0.1), null, null);
    expect(a.compiledCode()).not.toBeNull();
    expect(b.compiledCode()).toBe(a.compiledCode());
    expect(c.compiledCode()).not.toBeNull();
    expect(c.compiledCode()).not.toBe(a.compiledCode());
    expect(K.caches.compiled.size).toBe(2);
    // The loops (no code generation) compile nothing.
    const loops = K.create(small, init, null, null, { jit: false });
    expect(loops.compiledCode()).toBeNull();
    expect(K.caches.compiled.size).toBe(2);
  });

  it('the generated code is kept for at most 64 plans (least recently used dropped)', () => {
    const K = factory();
    for (let w = 1; w <= 70; w++) {
      // Equal but for a layer path: another key, the same source.
      const spec: KernelSpec = { ...small, ops: small.ops.map((o, i) => (i === 0 ? { ...o, path: `L${w}` } : o)) };
      K.create(spec, new Float32Array(spec.totalParams), null, null).compiledCode();
    }
    expect(K.caches.compiled.size).toBe(64);
  });

  it('a released kernel comes back for an equal plan, reset: it computes what a new kernel computes', () => {
    const K = factory();
    const init = new Float32Array(small.totalParams).map((_v, i) => 0.3 * Math.cos(i));
    const expected = trainOnce(K.create(small, init, null, null, { jit: true }));

    const used = K.create(
      small,
      init.map((v) => v * 2),
      null,
      null,
    );
    trainOnce(used);
    trainOnce(used); // momentum buffers and step counts now differ from a new kernel's
    K.release(used);
    expect(K.caches.idle.size).toBe(1);
    expect(used.hasData()).toBe(false); // it let go of the data

    const again = K.create(structuredClone(small), init, null, null);
    expect(again).toBe(used);
    expect(K.caches.idle.size).toBe(0);
    expect(Object.keys(again.paramSteps())).toEqual([]);
    const got = trainOnce(again);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBe(expected[i]); // bit for bit
  });

  it('a released kernel is not handed out for another plan or another code kind', () => {
    const K = factory();
    const used = K.create(small, new Float32Array(small.totalParams), null, null);
    K.release(used);
    expect(K.create(wide, new Float32Array(wide.totalParams), null, null)).not.toBe(used);
    expect(K.create(small, new Float32Array(small.totalParams), null, null, { jit: false })).not.toBe(used);
    expect(K.create(small, new Float32Array(small.totalParams), null, null)).toBe(used);
  });

  it('keeps at most 4 idle kernels', () => {
    const K = factory();
    for (let w = 1; w <= 9; w++) {
      const spec: KernelSpec = { ...small, ops: small.ops.map((o, i) => (i === 0 ? { ...o, path: `P${w}` } : o)) };
      K.release(K.create(spec, new Float32Array(spec.totalParams), null, null));
    }
    expect(K.caches.idle.size).toBe(4);
  });

  it('a kernel whose state was exported keeps that state when the kernel is reused', () => {
    const K = factory();
    const k = K.create(small, new Float32Array(small.totalParams).fill(0.2), null, null);
    trainOnce(k);
    const state = k.exportState();
    const steps = Object.values(state.params).map((p) => p.step);
    const bufs = Object.values(state.params).map((p) => p.buf?.slice());
    K.release(k);
    trainOnce(K.create(small, new Float32Array(small.totalParams).fill(-0.2), null, null));
    expect(Object.values(state.params).map((p) => p.step)).toEqual(steps);
    expect(Object.values(state.params).map((p) => p.buf?.slice())).toEqual(bufs);
  });
});

describe('a fresh trainer on an architecture trained before', () => {
  const start = { tensors: 0 };
  beforeAll(() => {
    start.tensors = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(start.tensors);
  });

  it('reuses the disposed trainer’s kernel and trains to the same weights as the first trainer (bit for bit)', async () => {
    const data = fromArrays({
      x: { data: X, shape: [40, 2] },
      y: Array.from(Y),
      task: 'regression',
    });
    const run = async () => {
      const net = await renderModel(
        <Sequential>
          <Linear outFeatures={4} />
          <Tanh />
          <Linear outFeatures={2} />
          <Tanh />
          <Linear outFeatures={1} />
        </Sequential>,
        { inputShape: [2], seed: 3 },
      );
      const trainer = createTrainer(net, {
        data,
        loss: 'mse',
        optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
        batchSize: 8,
        epochs: 20,
        seed: 2,
        engine: 'fused-cpu',
      });
      const snap = await trainer.fit();
      expect(snap.status).toBe('done');
      const weights = await Promise.all(net.model.weights.map((w) => w.read().data()));
      trainer.dispose();
      net.dispose();
      return weights.map((w) => Array.from(w));
    };
    const first = await run();
    expect(kernels.caches.idle.size).toBeGreaterThan(0); // the disposed trainer's kernel, waiting
    const compiled = kernels.caches.compiled.size;
    const second = await run();
    expect(kernels.caches.compiled.size).toBe(compiled); // nothing new generated
    expect(second).toEqual(first);
    data.dispose();
  });
});
