import { Api, Note, Page, Section } from '../../components/Page';
import { binaryMoons, multiclassSpiral, multiLabelExample, regressionHouses } from '../../live/examples';
import { LiveExample } from '../../live/LiveExample';

const P = '/guides/activations-and-losses';

export function ActivationsAndLosses() {
  return (
    <Page
      title="Activations & losses"
      lead="The last layer and the loss go together, and the problem decides both. Hidden layers need a non-linearity; which one matters less than people think."
    >
      <Section page={P} id="by-problem" title="Pick them by problem type">
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Problem</th>
                <th scope="col">Last layers</th>
                <th scope="col">Loss</th>
                <th scope="col">Labels</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>Regression</td>
                <td>
                  <code>{'<Linear outFeatures={k} />'}</code>, no activation
                </td>
                <td>
                  <code>'mse'</code>, <code>'mae'</code>, <code>'huber'</code>
                </td>
                <td>
                  values, <code>[n, k]</code>
                </td>
              </tr>
              <tr>
                <td>Binary classification</td>
                <td>
                  <code>{'<Linear outFeatures={1} /><Sigmoid />'}</code>
                </td>
                <td>
                  <code>'bce'</code>
                </td>
                <td>0 or 1</td>
              </tr>
              <tr>
                <td>Binary, from logits</td>
                <td>
                  <code>{'<Linear outFeatures={1} />'}</code>
                </td>
                <td>
                  <code>'bceWithLogits'</code>
                </td>
                <td>0 or 1</td>
              </tr>
              <tr>
                <td>Multi-class (one of C)</td>
                <td>
                  <code>{'<Linear outFeatures={C} />'}</code>, no Softmax
                </td>
                <td>
                  <code>'crossEntropy'</code>
                </td>
                <td>class ids, or one-hot rows</td>
              </tr>
              <tr>
                <td>Multi-label (any of L)</td>
                <td>
                  <code>{'<Linear outFeatures={L} /><Sigmoid />'}</code>
                </td>
                <td>
                  <code>'multiLabelBce'</code>
                </td>
                <td>
                  rows of 0/1, <code>[n, L]</code>
                </td>
              </tr>
            </tbody>
          </table>
        </div>
        <p>
          The losses follow PyTorch: <code>'bce'</code> is <code>BCELoss</code> and takes probabilities;{' '}
          <code>'bceWithLogits'</code> and <code>'crossEntropy'</code> take raw scores (logits) and apply the sigmoid or
          log-softmax themselves, which is numerically safer. So a multi-class model ends in a plain <code>Linear</code>{' '}
          — a <code>{'<Softmax />'}</code> before <code>'crossEntropy'</code> gets a warning, as does a{' '}
          <code>{'<Sigmoid />'}</code> before <code>'bceWithLogits'</code>. Before the first step the trainer checks the
          last layer against the labels and refuses, with the fix, a model that cannot fit them (three classes but one
          output unit, say).
        </p>
      </Section>

      <Section page={P} id="binary" title="Binary classification">
        <p>
          The course's recipe for two moons: a hidden <Api name="Linear" /> with a <Api name="BentIdentity" />{' '}
          activation (f(x) = (√(x² + 1) − 1)/2 + x, smooth and never flat), one output unit and a <Api name="Sigmoid" />
          , binary cross-entropy, Adam at 0.01, and early stopping that restores the best weights after 15 epochs
          without a better validation loss.
        </p>
        <LiveExample spec={binaryMoons} />
      </Section>

      <Section page={P} id="multiclass" title="Multi-class classification">
        <p>
          Three spiral arms, one class each. The model outputs three logits; <code>'crossEntropy'</code> takes them with
          integer class ids. Remove the hidden layer (keep only <code>{'<Linear outFeatures={3} />'}</code>) to see a
          linear model fail on the spiral — and put it back: the output layer is renumbered, so it starts over.
        </p>
        <LiveExample spec={multiclassSpiral} />
      </Section>

      <Section page={P} id="regression" title="Regression">
        <p>
          The twelve house prices: size in, price out, with the sizes standardised first (a Normalizer fitted by{' '}
          <code>dataset.standardize()</code>) — raw sizes from 30 to 140 would make the first steps far too big. A
          regression model ends in a <code>Linear</code> with no activation, so it can output any value.{' '}
          <Api name="PReLU" /> learns its negative slope (one shared parameter by default, starting at 0.25, as in
          PyTorch). Try <code>{'<Linear outFeatures={1} />'}</code> alone: a straight line.
        </p>
        <LiveExample spec={regressionHouses} />
      </Section>

      <Section page={P} id="multilabel" title="Multi-label classification">
        <p>
          Each point has three independent yes/no labels (<code>x &gt; 0</code>, <code>y &gt; 0</code>, and inside the
          diamond <code>|x| + |y| &lt; 1</code>). One sigmoid per label, and <code>'multiLabelBce'</code> — binary
          cross-entropy averaged over every label of every sample.
        </p>
        <LiveExample spec={multiLabelExample} />
      </Section>

      <Section page={P} id="hidden" title="Hidden-layer activations">
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Layer</th>
                <th scope="col">f(x)</th>
                <th scope="col">Props</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <Api name="ReLU" />
                </td>
                <td>max(0, x)</td>
                <td>—</td>
              </tr>
              <tr>
                <td>
                  <Api name="LeakyReLU" />
                </td>
                <td>x, or slope·x below 0</td>
                <td>
                  <code>negativeSlope</code> (0.01)
                </td>
              </tr>
              <tr>
                <td>
                  <Api name="PReLU" />
                </td>
                <td>LeakyReLU with a learned slope</td>
                <td>
                  <code>numParameters</code> (1), <code>init</code> (0.25)
                </td>
              </tr>
              <tr>
                <td>
                  <Api name="ELU" />
                </td>
                <td>x, or α(eˣ − 1) below 0</td>
                <td>
                  <code>alpha</code> (1)
                </td>
              </tr>
              <tr>
                <td>
                  <Api name="GELU" />
                </td>
                <td>x·Φ(x)</td>
                <td>
                  <code>approximate</code> ('none' | 'tanh')
                </td>
              </tr>
              <tr>
                <td>
                  <Api name="Tanh" />, <Api name="Sigmoid" />
                </td>
                <td>squash to (−1, 1), (0, 1)</td>
                <td>—</td>
              </tr>
              <tr>
                <td>
                  <Api name="BentIdentity" />
                </td>
                <td>(√(x² + 1) − 1)/2 + x</td>
                <td>—</td>
              </tr>
              <tr>
                <td>
                  <Api name="Softmax" />
                </td>
                <td>exp(xᵢ)/Σ exp(xⱼ)</td>
                <td>
                  <code>dim</code> (−1)
                </td>
              </tr>
            </tbody>
          </table>
        </div>
        <p>
          ReLU is the default choice. Sigmoid and Tanh saturate — their gradient vanishes for large inputs — which is
          why deep networks of them need care with initialisation (see{' '}
          <a href="#/guides/batch-norm-and-initialisation">batch norm &amp; initialisation</a>). Your own activation,
          with or without trainable parameters, is a <Api name="defineLayer" /> away.
        </p>
        <Note>Every example on this page waits for you: press Train on the ones you want to watch.</Note>
      </Section>
    </Page>
  );
}
