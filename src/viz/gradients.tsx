/**
 * GradientMagnitudes: how large the loss's gradient is at each Linear layer's weights — the view
 * that shows vanishing gradients (early layers' bars shrinking by orders of magnitude, as with
 * deep sigmoid stacks) and exploding ones. One backward pass on a sample of the data per frame.
 */
import * as tf from '@tensorflow/tfjs';
import { useEffect, useState } from 'react';
import type { Dataset } from '../data/dataset';
import { netOf } from '../runtime/handle';
import { type LossSpec, resolveLoss } from '../training/losses';
import type { Trainer } from '../training/trainer';
import { type ModelInput, useFrameTask, useRedrawOn, VizFrame, type VizProps, viz } from './common';
import { linearBlocks } from './network';
import { useStore } from './useStore';

/** Props of {@link GradientMagnitudes}. */
export interface GradientMagnitudesProps extends VizProps {
  /** A `useModel()` handle or `renderModel()` result of a Sequential of Linear blocks. */
  model: ModelInput;
  /** The data the gradient is taken on (its first `sample` rows). */
  data: Dataset | null | undefined;
  /** The loss, as the trainer's. Default 'mse'. */
  loss?: LossSpec;
  /** Redraw while this trainer trains. */
  trainer?: Trainer | null;
  /** Rows used. Default 256. */
  sample?: number;
}

/** Mean |∂loss/∂W| of one layer's weight matrix. */
export interface LayerGradient {
  path: string;
  meanAbs: number;
}

/**
 * Per-layer gradient magnitude (mean absolute gradient of each Linear weight matrix), on a log
 * scale, with the values in a table for screen readers.
 * @example <GradientMagnitudes model={model} data={train} loss="mse" trainer={trainer} />
 */
export function GradientMagnitudes(props: GradientMagnitudesProps) {
  const { sample = 256, loss = 'mse' } = props;
  const net = netOf(props.model);
  const snap = useStore(net);
  const [rows, setRows] = useState<LayerGradient[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const lossKey = typeof loss === 'function' ? loss : JSON.stringify(loss);

  const schedule = useFrameTask(
    async (alive) => {
      const model = snap?.model;
      const data = props.data;
      if (!model || !snap?.graph || !data) return;
      const blocks = linearBlocks(model, snap.graph);
      if (!blocks) throw new Error('GradientMagnitudes: the model must be a Sequential of <Linear> blocks');
      const fn = resolveLoss(loss, 'GradientMagnitudes > loss').fn;
      const n = Math.min(sample, data.size);
      const means = tf.tidy(() => {
        const x = data.x.slice(0, n);
        const y = data.y.slice(0, n);
        const vars = blocks.map((b) => b.kernel.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => fn(y, model.apply(x, { training: false }) as tf.Tensor), vars);
        return tf.stack(vars.map((v) => (grads[v.name] as tf.Tensor).abs().mean()));
      });
      let values: Float32Array;
      try {
        values = (await means.data()) as Float32Array;
      } finally {
        means.dispose();
      }
      if (!alive()) return;
      setError(null);
      setRows(blocks.map((b, i) => ({ path: b.path, meanAbs: values[i] as number })));
    },
    setError as (e: unknown) => void,
  );
  useRedrawOn(schedule, net, props.trainer ?? null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new data, loss or sample size needs a new pass.
  useEffect(schedule, [props.data, lossKey, sample]);

  // Log scale from 1e-8 to the largest value (at least 1e-2), so vanishing shows as a short bar.
  const top = Math.log10(Math.max(1e-2, ...(rows ?? []).map((r) => r.meanAbs)));
  const bottom = -8;
  const width = (v: number) => (v > 0 ? Math.max(0, (Math.log10(v) - bottom) / (top - bottom)) : 0);
  const summary = rows
    ? `Mean absolute gradient per layer: ${rows.map((r) => `${r.path} ${r.meanAbs.toExponential(2)}`).join('; ')}.`
    : 'Gradient magnitudes: not measured yet.';
  return (
    <VizFrame
      {...viz(props)}
      kind="gradients"
      defaultTitle="Gradient magnitude per layer"
      error={error}
      message={!props.data ? 'No data yet.' : !rows ? 'Measuring…' : undefined}
      summary={summary}
      attrs={{ 'data-layers': rows?.length ?? 0 }}
    >
      {rows ? (
        <table className="rnn-table" style={{ width: '100%' }}>
          <thead>
            <tr>
              <th scope="col" className="rnn-left">
                Layer
              </th>
              <th scope="col">mean |∂L/∂W|</th>
              <th scope="col" className="rnn-left" style={{ width: '45%' }}>
                <span aria-hidden="true">log scale</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.path} data-value={r.meanAbs}>
                <th scope="row">{r.path.split(' > ').at(-1)}</th>
                <td>{r.meanAbs.toExponential(2)}</td>
                <td className="rnn-left" aria-hidden="true">
                  <span
                    style={{
                      display: 'inline-block',
                      height: 8,
                      width: `${(100 * width(r.meanAbs)).toFixed(1)}%`,
                      background: 'var(--rnn-train, #0072B2)',
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </VizFrame>
  );
}
