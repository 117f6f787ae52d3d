import { CodeBlock } from '../../components/CodeBlock';
import { Api, Note, Page, Section } from '../../components/Page';
import { adamExample, momentumExample, sgdExample } from '../../live/examples';
import { LiveExample } from '../../live/LiveExample';

const P = '/guides/optimizers';

export function Optimizers() {
  return (
    <Page
      title="Optimizers"
      lead="Same gradients, different steps. react-nn's optimizers follow torch.optim exactly — defaults, weight decay and all — and can be changed while training runs."
    >
      <Section page={P} id="choices" title="The choices">
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <code>type</code>
                </th>
                <th scope="col">Options (defaults)</th>
                <th scope="col">Good for</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <code>'sgd'</code>
                </td>
                <td>
                  <code>lr</code>, <code>momentum</code> (0), <code>dampening</code> (0), <code>nesterov</code> (false),{' '}
                  <code>weightDecay</code> (0)
                </td>
                <td>understanding; with momentum, well-tuned vision models</td>
              </tr>
              <tr>
                <td>
                  <code>'adam'</code>
                </td>
                <td>
                  <code>lr</code>, <code>betas</code> ([0.9, 0.999]), <code>eps</code> (1e-8), <code>weightDecay</code>{' '}
                  (0, added to the gradient)
                </td>
                <td>the default choice; forgiving about the learning rate</td>
              </tr>
              <tr>
                <td>
                  <code>'adamw'</code>
                </td>
                <td>
                  as Adam, <code>weightDecay</code> (0.01, decoupled from the gradient)
                </td>
                <td>Adam with weight decay that actually regularises</td>
              </tr>
              <tr>
                <td>
                  <code>'rmsprop'</code>
                </td>
                <td>
                  <code>lr</code>, <code>alpha</code> (0.99), <code>eps</code> (1e-8), <code>momentum</code> (0),{' '}
                  <code>centered</code> (false)
                </td>
                <td>recurrent networks, non-stationary problems</td>
              </tr>
              <tr>
                <td>
                  <code>'adagrad'</code>
                </td>
                <td>
                  <code>lr</code>, <code>lrDecay</code> (0), <code>eps</code> (1e-10),{' '}
                  <code>initialAccumulatorValue</code> (0)
                </td>
                <td>sparse features</td>
              </tr>
            </tbody>
          </table>
        </div>
        <p>
          Pass one as the trainer's <code>optimizer</code>: <code>{"{ type: 'adam', lr: 0.01 }"}</code>. See{' '}
          <Api name="OptimizerConfig" /> for every option.
        </p>
      </Section>

      <Section page={P} id="race" title="Three optimizers, one problem">
        <p>
          The same network on the same spiral, three ways. Start them one after another (or together — they share the
          page's backend and take turns) and compare how fast the loss falls. Plain SGD creeps; momentum builds up speed
          along consistent directions; Adam scales each weight's step by its own gradient history.
        </p>
        <LiveExample spec={sgdExample} />
        <LiveExample spec={momentumExample} />
        <LiveExample spec={adamExample} />
      </Section>

      <Section page={P} id="live-changes" title="Change them while training">
        <p>
          <Api name="useTrainer" /> applies changed options on the next step, keeping the weights and — when the type
          stays the same — the optimizer's state. Drive the learning rate from a slider:
        </p>
        <CodeBlock
          code={`const [lr, setLr] = useState(0.01);
const trainer = useTrainer(model, data, { loss: 'crossEntropy', optimizer: { type: 'adam', lr }, epochs: 200 });

<input type="range" min={0.0005} max={0.1} step={0.0005} value={lr} onChange={(e) => setLr(+e.target.value)} />`}
        />
        <p>
          Without React, call <code>{'trainer.setOptions({ optimizer: { lr: 0.001 } })'}</code>. Changing the{' '}
          <code>type</code> mid-run is allowed too: the weights stay, and optimizer state the new type cannot use
          (momentum buffers when switching to Adam, say) is dropped.
        </p>
      </Section>

      <Section page={P} id="schedules" title="Learning-rate schedules">
        <p>
          The PyTorch schedulers, run at the end of every epoch by the <Api name="lrSchedule" /> callback:{' '}
          <Api name="stepLR" />, <Api name="exponentialLR" />, <Api name="cosineAnnealingLR" /> and{' '}
          <Api name="reduceLROnPlateau" />. The learning rate in effect is <code>snapshot.lr</code>.
        </p>
        <CodeBlock
          code={`const callbacks = useMemo(() => [lrSchedule(cosineAnnealingLR({ tMax: 100, etaMin: 1e-5 }))], []);
const trainer = useTrainer(model, data, { loss: 'mse', optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 }, epochs: 100, callbacks });`}
        />
        <Note>
          Gradient clipping is a trainer option, as in <code>torch.nn.utils</code>: <code>clipGradNorm</code> rescales
          gradients whose global norm is too large; <code>clipGradValue</code> clamps each element.
        </Note>
      </Section>
    </Page>
  );
}
