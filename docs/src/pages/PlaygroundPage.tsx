import { CodeBlock } from '../components/CodeBlock';
import { Api, Page } from '../components/Page';
import { Playground } from '../nn';

export function PlaygroundPage() {
  return (
    <Page
      title="Playground"
      lead={
        <>
          Tinker with a neural network in your browser — everything TensorFlow Playground has, built from react-nn's own
          components, plus the JSX of the live model, more layers and optimizers, your own data, and the boundary over
          time.
        </>
      }
    >
      <p>
        Press <strong>Play</strong>. Each thumbnail is one neuron's output over the plane; links are orange for positive
        weights and blue for negative ones, as wide as the weight is large — hover one for its value, click it (or focus
        it and press Enter) to set it. Click the output to add a point, shift-click for the other class. Every setting
        lives in the page's address, so a copied link opens this exact network; back and forward step through your
        changes.
      </p>
      <Playground />
      <h2>Beyond TF Playground</h2>
      <ul>
        <li>
          The <strong>JSX panel</strong> shows the live <code>{'<Model><Sequential>'}</code>; edit it (a neuron more, a{' '}
          <code>{'<GELU />'}</code>, a <code>{'<Dropout p={0.2} />'}</code>) and the controls and the network view
          follow — it is the same model.
        </li>
        <li>
          More layers (LeakyReLU, GELU, ELU, Dropout, BatchNorm1d) and optimizers (SGD, momentum, Adam) than Playground
          offers.
        </li>
        <li>
          Your own data: click or shift-click the output, clear it, or upload a CSV of <code>x1,x2,label</code>.
        </li>
        <li>
          The decision boundary over time (scrub through epochs), and the gradient magnitude of every layer — watch it
          vanish with six Sigmoid layers.
        </li>
      </ul>
      <p>
        Training runs as <code>engine: 'auto'</code> chooses — here the fused CPU kernel in a Web Worker, several times
        TF Playground's own network code on the same network and data (<code>npm run bench</code> measures both in one
        page). The views read the model as small batched predictions: on the GPU where there is a real one, and on the
        CPU where WebGL is a software renderer (SwiftShader, llvmpipe — waiting on it would hold the page), in slices of
        a few milliseconds so that the page keeps painting while it trains.
      </p>
      <h2>Save, open and share</h2>
      <ul>
        <li>
          <strong>Save</strong> downloads <code>playground.rnn</code>: a checkpoint (<Api name="saveCheckpoint" />) of
          the trained network, with the page's settings and data inside. <strong>Open</strong> reads one back (
          <Api name="loadCheckpoint" />
          ): the controls, the data and the trained weights return; a file that does not fit says why and changes
          nothing.
        </li>
        <li>
          Saved while paused, the file also holds the training run — epoch, loss history, optimizer state (Adam's
          moments, momentum) and where the epoch's shuffled order had got to — and Open continues it (
          <code>createTrainer(net, {'{ resume }'})</code>): the next step is the one the saved page would have taken,
          bit for bit. Saved while training ran, it holds the weights only, and a fresh run starts from them; so does a
          file whose run no longer fits (edited by hand), with the reason in the page's notice.
        </li>
        <li>
          <strong>Share</strong> makes a link (<Api name="encodeShareState" />) with every setting, your points and —
          for networks up to <code>SHARE_WEIGHT_LIMIT</code> weights — the trained weights: it opens on the same
          predictions.
        </li>
        <li>
          The address itself holds every setting, the seed and up to 500 drawn points (and an uploaded data set of up to
          500 points); beyond that the page says what a link would leave out, and a page opened from such a link says so
          too.
        </li>
      </ul>
      <h2>In your own app</h2>
      <p>
        <Api name="Playground" /> is a component of the library: drop it in any React page. With{' '}
        <code>urlState={'{false}'}</code> it leaves the address alone and starts from <code>initialState</code>.
      </p>
      <CodeBlock
        code={`import { Playground } from 'react-nn';

export const App = () => <Playground urlState={false} initialState={{ dataset: 'spiral', networkShape: [8, 8, 4] }} />;`}
      />
    </Page>
  );
}
