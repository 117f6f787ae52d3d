// Custom layers made with the public defineLayer: the course's SoftExponential (trainable α) and
// its α, β variant — values against the formula, gradients against the derivative, training
// moves the parameters, validation, save/load.
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { fromArrays } from '../../data/fromArrays';
import { renderModel } from '../../react/renderModel';
import { analyze, compileGraph } from '../../runtime/compile';
import { createTrainer } from '../../training/trainer';
import { Sequential } from '../containers';
import { Linear } from '../core';
import { SoftExponential, SoftExponential2, softExponential } from '../examples/softExponential';
import { analyze as analyzeOnly, el, errorOf, expectClose, run, seq, tfLayer } from './util';

const cleanup: { dispose(): void }[] = [];
const own = <T extends { dispose(): void }>(x: T): T => {
  cleanup.push(x);
  return x;
};
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c.dispose();
});

/** The formula, in float64. */
function reference(a: number, x: number): number {
  if (a < 0) return -Math.log(1 - a * (x + a)) / a;
  if (a === 0) return x;
  return (Math.exp(a * x) - 1) / a + a;
}
/** ∂f/∂α, by hand: α > 0: x·e^{αx}/α − (e^{αx} − 1)/α² + 1; α < 0 (u = 1 − αx − α²): ln u/α² + (x + 2α)/(α·u); α = 0: 1 + x²/2. */
function dAlpha(a: number, x: number): number {
  if (a > 0) return (x * Math.exp(a * x)) / a - (Math.exp(a * x) - 1) / a ** 2 + 1;
  if (a < 0) {
    const u = 1 - a * x - a * a;
    return Math.log(u) / a ** 2 + (x + 2 * a) / (a * u);
  }
  return 1 + (x * x) / 2;
}

const XS = [-1, 0, 0.5, 2];

describe('SoftExponential', () => {
  it('matches the formula for α < 0, α = 0 and α > 0 (logarithmic, linear, exponential)', () => {
    // Hand values (float64): α = −0.5 → [−2.772588722239781, −0.5753641449035618, 0, 1.1192315758708453];
    // α = 0.5 → [−0.28693868057473315, 0.5, 1.0680508333754828, 3.93656365691809]
    const hand: Record<string, number[]> = {
      '-0.5': [-2.772588722239781, -0.5753641449035618, 0, 1.1192315758708453],
      '0': [-1, 0, 0.5, 2],
      '0.5': [-0.28693868057473315, 0.5, 1.0680508333754828, 3.93656365691809],
    };
    for (const [alpha, expected] of Object.entries(hand)) {
      const model = compileGraph(analyze(seq(el('SoftExponential', { alpha: Number(alpha) })), [4]), { seed: 1 });
      own(model);
      expectClose(run(model, XS), expected, 1e-5);
      expectClose(
        expected,
        XS.map((x) => reference(Number(alpha), x)),
        1e-12,
      );
    }
  });

  it('gradients reach α (non-zero, equal to the derivative) — α = 0 included', () => {
    for (const a of [-0.5, 0, 0.5]) {
      const alpha = tf.variable(tf.scalar(a));
      const x = tf.tensor1d(XS);
      const { value, grads } = tf.variableGrads(() => tf.sum(softExponential(x, alpha)) as tf.Scalar, [alpha]);
      const g = (grads[alpha.name] as tf.Tensor).dataSync()[0] as number;
      const expected = XS.reduce((s, xi) => s + dAlpha(a, xi), 0);
      expect(Math.abs(g)).toBeGreaterThan(0.1);
      expect(Math.abs(g - expected)).toBeLessThan(1e-4);
      // ∂f/∂x is e^{αx} (α ≥ 0) or 1/(1 − α(α + x)) (α < 0), finite everywhere it is defined
      const gx = tf.grad((xx: tf.Tensor) => tf.sum(softExponential(xx, alpha)))(x);
      expect(Array.from(gx.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([alpha, x, value, gx, ...Object.values(grads)]);
    }
  });

  it('unused branches cannot poison the gradient with NaN (large x with α < 0 and α > 0)', () => {
    // With α < 0, exp(α·1000) would overflow in the α > 0 branch if it were fed x.
    const alpha = tf.variable(tf.scalar(-0.01));
    const x = tf.tensor1d([1000, -50, 3]);
    const { value, grads } = tf.variableGrads(() => tf.sum(softExponential(x, alpha)) as tf.Scalar, [alpha]);
    expect(Number.isFinite((grads[alpha.name] as tf.Tensor).dataSync()[0])).toBe(true);
    tf.dispose([alpha, x, value, ...Object.values(grads)]);
  });

  it('has 1 parameter (α), 2 for SoftExponential2 (α, β), as tfjs counts them', () => {
    const graph = analyzeOnly(
      seq(el('Linear', { outFeatures: 3 }), el('SoftExponential'), el('SoftExponential2')),
      [2],
    );
    expect(graph.totalParams).toBe(9 + 1 + 2);
    const model = own(compileGraph(analyze(seq(el('SoftExponential'), el('SoftExponential2')), [2]), { seed: 1 }));
    expect(model.countParams()).toBe(3);
    expect(tfLayer(model, 'Sequential/SoftExponential2_0').weights.map((w) => w.originalName)).toEqual([
      'Sequential/SoftExponential2_0/alpha',
      'Sequential/SoftExponential2_0/beta',
    ]);
  });

  it('validates its props', () => {
    expect(errorOf(() => analyzeOnly(seq(el('SoftExponential', { alpha: 'big' })), [2])).message).toBe(
      'Sequential > SoftExponential[0]: alpha must be a finite number (got "big")',
    );
    const beta = errorOf(() => analyzeOnly(seq(el('SoftExponential2', { beta: 0 })), [2]));
    expect(beta.message).toContain('beta={0} makes the output a constant');
    expect(errorOf(() => analyzeOnly(seq(el('SoftExponential', { weightInit: 1 })), [2])).message).toContain(
      'has no prop "weightInit"',
    );
  });

  it('saves and loads (registered tfjs class) with its trained α', async () => {
    const model = own(compileGraph(analyze(seq(el('SoftExponential2', { alpha: 0.3, beta: -2 })), [3]), { seed: 1 }));
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = own(await tf.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts)));
    expectClose(run(loaded, [1, -1, 0.25]), run(model, [1, -1, 0.25]), 1e-6);
    expectClose(
      run(model, [1, -1, 0.25]),
      [1, -1, 0.25].map((x) => reference(0.3, -2 * x)),
      1e-5,
    );
  });
});

describe('training moves the custom parameters', () => {
  // y = eˣ on [−1, 1]: f(1, x) = (eˣ − 1)/1 + 1 = eˣ, so a SoftExponential fits it exactly with α = 1.
  const xs = Array.from({ length: 64 }, (_v, i) => -1 + (2 * i) / 63);
  const data = () => own(fromArrays({ x: xs.map((x) => [x]), y: xs.map((x) => [Math.exp(x)]), task: 'regression' }));

  it('SoftExponential: α starts at 0, gets gradients and moves towards exponential; the loss falls', async () => {
    const net = own(
      await renderModel(
        <Sequential>
          <Linear outFeatures={1} weightInit={1} biasInit={0} trainable={false} />
          <SoftExponential />
        </Sequential>,
        { inputShape: [1], seed: 1 },
      ),
    );
    const alpha = () => tfLayer(net.model, 'Sequential/SoftExponential_0').getWeights()[0]?.dataSync()[0] as number;
    expect(alpha()).toBe(0);
    const trainer = own(
      createTrainer(net, {
        data: data(),
        loss: 'mse',
        optimizer: { type: 'adam', lr: 0.05 },
        batchSize: 'full',
        epochs: 60,
      }),
    );
    const snap = await trainer.fit();
    expect(snap.status).toBe('done');
    // α ≈ 0.97 after 60 steps (the exact fit is α = 1)
    expect(Math.abs(alpha() - 1)).toBeLessThan(0.1);
    expect(snap.history.loss.at(-1) as number).toBeLessThan((snap.history.loss[0] as number) / 10);
  });

  it('SoftExponential2: α and β both get gradients and change', async () => {
    const net = own(
      await renderModel(
        <Sequential>
          <SoftExponential2 alpha={0.1} beta={0.5} />
        </Sequential>,
        { inputShape: [1], seed: 1 },
      ),
    );
    const layer = () => tfLayer(net.model, 'Sequential/SoftExponential2_0');
    const x = tf.tensor2d(xs, [64, 1]);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(net.model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      layer().trainableWeights.map((w) => w.read() as tf.Variable),
    );
    for (const g of Object.values(grads)) expect(Math.abs(g.dataSync()[0] as number)).toBeGreaterThan(1e-3);
    tf.dispose([x, value, ...Object.values(grads)]);
    const trainer = own(
      createTrainer(net, {
        data: data(),
        loss: 'mse',
        optimizer: { type: 'adam', lr: 0.05 },
        batchSize: 'full',
        epochs: 20,
      }),
    );
    await trainer.fit();
    const [a, b] = layer()
      .getWeights()
      .map((w) => w.dataSync()[0] as number);
    expect(a).not.toBeCloseTo(0.1, 3);
    expect(b).not.toBeCloseTo(0.5, 3);
  });
});
