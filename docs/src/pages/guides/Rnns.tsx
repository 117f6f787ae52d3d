import { CodeBlock } from '../../components/CodeBlock';
import { Api, Note, Page, Section } from '../../components/Page';
import { sineLstm } from '../../live/examples';
import { LiveExample } from '../../live/LiveExample';

const P = '/guides/rnns';

export function Rnns() {
  return (
    <Page
      title="Recurrent networks"
      lead="A recurrent layer reads a sequence one step at a time and carries a hidden state from step to step, so what it saw earlier shapes what it makes of the present."
    >
      <Section page={P} id="layers" title="The layers">
        <p>
          <Api name="RNN" />, <Api name="LSTM" /> and <Api name="GRU" /> follow PyTorch's equations, parameter counts
          and initialisation, with <code>batch_first=True</code>: one example is <code>[time, features]</code>.
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Prop</th>
                <th scope="col">Default</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <code>hiddenSize</code>
                </td>
                <td>—</td>
                <td>features of the hidden state</td>
              </tr>
              <tr>
                <td>
                  <code>numLayers</code>
                </td>
                <td>1</td>
                <td>stacked layers, each reading the one below</td>
              </tr>
              <tr>
                <td>
                  <code>bidirectional</code>
                </td>
                <td>false</td>
                <td>also read the sequence backwards; both directions are concatenated</td>
              </tr>
              <tr>
                <td>
                  <code>returnSequences</code>
                </td>
                <td>false</td>
                <td>
                  output every step, <code>[time, hidden]</code> (many-to-many), instead of the final state{' '}
                  <code>[hidden]</code> (many-to-one)
                </td>
              </tr>
              <tr>
                <td>
                  <code>dropout</code>
                </td>
                <td>0</td>
                <td>between stacked layers (needs numLayers ≥ 2)</td>
              </tr>
              <tr>
                <td>
                  <code>recurrentInit</code>
                </td>
                <td>U(±1/√hidden)</td>
                <td>
                  initialiser of the hidden-to-hidden weights, e.g. <code>'orthogonal'</code>
                </td>
              </tr>
            </tbody>
          </table>
        </div>
        <p>
          <code>RNN</code> also takes <code>nonlinearity</code> (<code>'tanh'</code> or <code>'relu'</code>). An LSTM
          has four gates and a GRU three, so for the same <code>hiddenSize</code> an LSTM has 4× and a GRU 3× the
          parameters of a plain RNN — the summary counts them exactly as PyTorch does.
        </p>
      </Section>

      <Section page={P} id="forecast" title="Forecasting a sine wave">
        <p>
          Each example is 20 steps of a sine wave (one value per step, so <code>inputShape={'{[20, 1]}'}</code>) and the
          target is the next value. The LSTM reads the window and hands its final hidden state to a <code>Linear</code>{' '}
          that outputs the prediction. Swap <code>LSTM</code> for <code>GRU</code> or <code>RNN</code>, or stack two
          with <code>numLayers={'{2}'}</code>, and compare.
        </p>
        <LiveExample spec={sineLstm} />
      </Section>

      <Section page={P} id="tokens" title="Text and other token sequences">
        <p>
          <Api name="Embedding" /> turns integer token ids into learnt vectors — PyTorch's{' '}
          <code>nn.Embedding(numEmbeddings, embeddingDim)</code> — so a model of token sequences starts with one.{' '}
          <Api name="TimeDistributed" /> applies its children to every step of a sequence on its own.
        </p>
        <CodeBlock
          code={`<Model handle={model} inputShape={[40]}>
  <Sequential>
    <Embedding numEmbeddings={5000} embeddingDim={32} />
    <GRU hiddenSize={64} bidirectional />
    <Linear outFeatures={2} />
  </Sequential>
</Model>`}
        />
        <Note>
          Recurrent layers run step by step, so they gain less from a GPU than convolutions do; keep sequences short in
          the browser.
        </Note>
      </Section>
    </Page>
  );
}
