import { CodeBlock } from '../../components/CodeBlock';
import { Api, Note, Page, Section } from '../../components/Page';
import { batchNormExample, initExample } from '../../live/examples';
import { LiveExample } from '../../live/LiveExample';

const P = '/guides/batch-norm-and-initialisation';

export function BatchNormAndInit() {
  return (
    <Page
      title="Batch norm & initialisation"
      lead="A deep network trains only if signals and gradients keep a sensible size from layer to layer. Good initial weights start it that way; batch normalisation keeps it that way."
    >
      <Section page={P} id="init" title="Initialisation">
        <p>
          Every layer with weights takes <code>weightInit</code> and <code>biasInit</code>. The default is PyTorch's for{' '}
          <code>nn.Linear</code> and <code>nn.Conv2d</code>: both drawn from U(−1/√fanIn, 1/√fanIn). Otherwise:
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Value</th>
                <th scope="col">Draws from</th>
                <th scope="col">Suits</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <code>'xavierUniform'</code>, <code>'xavierNormal'</code>
                </td>
                <td>U(±√(6/(fanIn + fanOut))), N(0, 2/(fanIn + fanOut))</td>
                <td>Tanh, Sigmoid</td>
              </tr>
              <tr>
                <td>
                  <code>'heUniform'</code>, <code>'heNormal'</code>
                </td>
                <td>U(±√(6/fanIn)), N(0, 2/fanIn)</td>
                <td>ReLU and its relatives</td>
              </tr>
              <tr>
                <td>
                  <code>'uniform'</code>, <code>'normal'</code>
                </td>
                <td>
                  U(0, 1), N(0, 1) — as PyTorch's <code>uniform_</code>, <code>normal_</code>
                </td>
                <td>demonstrating why the others exist</td>
              </tr>
              <tr>
                <td>
                  <code>'zeros'</code>, <code>'ones'</code>, a number
                </td>
                <td>a constant</td>
                <td>biases (never all the weights: every unit would stay identical)</td>
              </tr>
              <tr>
                <td>
                  <code>'orthogonal'</code>
                </td>
                <td>a random orthogonal matrix</td>
                <td>deep and recurrent networks</td>
              </tr>
              <tr>
                <td>a function</td>
                <td>
                  <code>(shape, {'{ fanIn, fanOut }'}) =&gt; values</code>
                </td>
                <td>anything else</td>
              </tr>
            </tbody>
          </table>
        </div>
        <p>
          The initialisation has to suit the activation. Below, five hidden layers use <code>Sigmoid</code>, whose slope
          is at most ¼: the gradient reaching the first layer is scaled down by at least 4⁵ ≈ 1,000 on the way back, and
          the loss sits at ln 2 ≈ 0.693 — chance — epoch after epoch. Replace the five hidden{' '}
          <code>{'<Sigmoid />'}</code> layers by <code>{'<ReLU />'}</code> (keep the last one: it turns the output into
          a probability), then press <strong>Reset</strong> and <strong>Train</strong>. He initialisation was made for
          ReLU, and the same network now learns the circles within a few epochs. (An edit alone keeps the old weights
          wherever the shapes fit; Reset re-initialises them all.)
        </p>
        <LiveExample spec={initExample} />
      </Section>

      <Section page={P} id="batchnorm" title="Batch normalisation">
        <p>
          <Api name="BatchNorm1d" /> (features, <code>[n, C]</code>) and <Api name="BatchNorm2d" /> (images,{' '}
          <code>[n, H, W, C]</code>) normalise each channel over the batch while training, then scale and shift it by a
          learned γ and β. They also keep running averages of the mean and variance, used instead in inference — so
          predictions do not depend on what else is in the batch. The defaults are PyTorch's: <code>momentum</code> 0.1
          (PyTorch's convention: the weight of the new batch), <code>eps</code> 1e-5, <code>affine</code> true.
        </p>
        <p>
          This network trains with SGD and momentum at a learning rate of 0.1. Remove both{' '}
          <code>{'<BatchNorm1d />'}</code> lines while it trains and compare.
        </p>
        <LiveExample spec={batchNormExample} />
        <Note>
          A <code>BatchNorm1d</code> over 64 features has 128 trainable parameters (γ, β) and 128 running values —
          PyTorch's buffers. The summary's per-layer count includes both (256); <code>summary().trainableParams</code>{' '}
          counts only the former.
        </Note>
        <CodeBlock
          code={`<Sequential>
  <Conv2d outChannels={16} kernelSize={3} padding={1} bias={false} />
  <BatchNorm2d momentum={0.1} eps={1e-5} />
  <ReLU />
</Sequential>`}
        />
        <p>
          A convolution or linear layer followed by batch norm needs no bias of its own (<code>bias={'{false}'}</code>
          ): β does its job.
        </p>
      </Section>
    </Page>
  );
}
