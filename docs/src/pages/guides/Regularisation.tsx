import { CodeBlock } from '../../components/CodeBlock';
import { Api, Page, Section } from '../../components/Page';
import { dropoutExample, earlyStoppingExample } from '../../live/examples';
import { LiveExample } from '../../live/LiveExample';

const P = '/guides/regularisation';

export function Regularisation() {
  return (
    <Page
      title="Regularisation & early stopping"
      lead="A big network on little, noisy data learns the noise: the training loss keeps falling while the validation loss turns back up. Regularisation makes memorising harder; early stopping quits at the right time."
    >
      <Section page={P} id="watch-it" title="Watch it overfit">
        <p>
          Both examples below train networks with two hidden layers of 128 units on 140 noisy moon points, and hold 60
          out for validation (<code>validationSplit: 0.3</code>). The dashed line is the validation loss. Delete the{' '}
          <code>{'<Dropout />'}</code> layers in the first example while it trains and watch the two curves part.
        </p>
      </Section>

      <Section page={P} id="dropout" title="Dropout and weight decay">
        <p>
          <Api name="Dropout" /> zeroes each element with probability <code>p</code> (0.5 by default) while training,
          and scales the rest by 1/(1 − p); in inference it does nothing. It is a layer, so it goes where you want it —
          usually after a hidden activation. Adding or removing it changes no weight shapes, so the edit keeps every
          weight.
        </p>
        <p>
          <strong>Weight decay</strong> pulls every weight towards zero at each step. Set it on the optimizer:{' '}
          <code>weightDecay</code> on <code>'adamw'</code> is decoupled from the gradient (0.01 by default), on the
          others it is added to the gradient — exactly as in <code>torch.optim</code>.
        </p>
        <LiveExample spec={dropoutExample} />
      </Section>

      <Section page={P} id="penalties" title="L1 and L2 penalties">
        <p>
          The trainer's <code>regularization</code> option adds λ₁·Σ|w| and λ₂·Σw² over the weights (not the biases) to
          the loss. L1 pushes weights to exactly zero; L2 keeps them small.
        </p>
        <CodeBlock
          code={`useTrainer(model, data, { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, regularization: { l1: 1e-5, l2: 1e-4 } });`}
        />
      </Section>

      <Section page={P} id="early-stopping" title="Early stopping">
        <p>
          <Api name="earlyStopping" /> watches a value (<code>'val_loss'</code> by default) and stops training after{' '}
          <code>patience</code> epochs without an improvement of at least <code>minDelta</code>. With{' '}
          <code>restoreBestWeights: true</code> it puts back the weights of the best epoch when training ends — which
          TensorFlow.js 4.22's own early stopping cannot do. The reason for stopping lands in{' '}
          <code>snapshot.stopReason</code>, shown next to the status.
        </p>
        <CodeBlock
          code={`const callbacks = useMemo(
  () => [earlyStopping({ monitor: 'val_loss', patience: 15, restoreBestWeights: true })],
  [],
);
const trainer = useTrainer(model, data, { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 500, callbacks });`}
        />
        <p>
          Create callbacks once (<code>useMemo</code>): a new <code>earlyStopping()</code> on every render would start
          counting afresh.
        </p>
        <LiveExample spec={earlyStoppingExample} />
      </Section>
    </Page>
  );
}
