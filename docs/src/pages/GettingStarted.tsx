import { CodeBlock } from '../components/CodeBlock';
import { Api, Note, Page, Section, To } from '../components/Page';
import { firstModel } from '../live/examples';
import { LiveExample } from '../live/LiveExample';

const P = '/getting-started';

export function GettingStarted() {
  return (
    <Page
      title="Getting started"
      lead="Install react-nn next to React and TensorFlow.js, put a model in a component, and train it from state."
    >
      <Section page={P} id="install" title="Install">
        <p>
          react-nn is an ES module package. React 19 and TensorFlow.js 4.22 are peer dependencies, so your app owns one
          copy of each:
        </p>
        <CodeBlock language="bash" code="npm install react-nn @tensorflow/tfjs react react-dom" />
        <p>
          For WebGPU, add the optional <code>@tensorflow/tfjs-backend-webgpu</code>; react-nn loads it when it is
          installed and the browser has a GPU adapter (see{' '}
          <To path="/concepts" anchor="backends">
            backends
          </To>
          ). Without React — in Node, a worker or a test — import the React-free core from <code>react-nn/core</code>.
        </p>
      </Section>

      <Section page={P} id="commands" title="The two commands">
        <p>Working on react-nn itself, from a clone of the repository:</p>
        <CodeBlock
          language="bash"
          code={`npm start   # these docs, live: http://127.0.0.1:5173/ (Vite, hot reload, react-nn from src/)
npm test    # everything: installs what is missing, type-checks, lints, runs every test project`}
        />
        <p>
          <code>npm start</code> prints <code>react-nn docs: http://127.0.0.1:PORT/</code> once the server listens;
          edits to the library under <code>src/</code> show up in these pages at once. <code>npm test</code> runs unit
          tests in Node, browser tests in Chromium (WebGPU on SwiftShader, WebGL), and end-to-end tests of this site;
          its last line reads <code>N passed, N failed</code>. <code>npm run build:docs</code> writes the site to{' '}
          <code>docs/dist</code> as static files.
        </p>
      </Section>

      <Section page={P} id="first-model" title="Your first model">
        <p>
          A model is JSX inside <Api name="Model" />. The component that renders it owns the pieces around it: the data
          (<Api name="useDataset" />
          ), a handle to the model (<Api name="useModel" />) and a trainer (
          <Api name="useTrainer" />
          ). Below, two half-moons of 1,000 points are told apart by a network with one hidden layer: a{' '}
          <Api name="Linear" /> of 8 units, a <Api name="ReLU" />, and one output unit squashed by a{' '}
          <Api name="Sigmoid" /> into a probability, trained with binary cross-entropy and Adam.
        </p>
        <p>
          Press <strong>Train</strong>, then edit the layers while it trains — give the hidden layer 32 units, add a
          second hidden layer, or break something on purpose (<code>outFeatures={'{0}'}</code>) to see how errors are
          reported.
        </p>
        <LiveExample spec={firstModel} />
        <p>The same example as a component of your own app:</p>
        <CodeBlock
          code={`import { Linear, Model, ReLU, Sequential, Sigmoid, datasets, useDataset, useMetrics, useModel, useTrainer } from 'react-nn';

export function Moons() {
  const data = useDataset(() => datasets.moons({ n: 1000, noise: 0.3, seed: 1 }), { validationSplit: 0.2 });
  const model = useModel();
  const trainer = useTrainer(model, data, {
    loss: 'bce',
    optimizer: { type: 'adam', lr: 0.01 },
    epochs: 300,
    metrics: ['accuracy'],
  });
  const { history, epoch, status } = useMetrics(trainer);

  return (
    <>
      <Model handle={model} inputShape={[2]} seed={1}>
        <Sequential>
          <Linear outFeatures={8} />
          <ReLU />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <button onClick={() => trainer?.fit()} disabled={!trainer || status === 'running'}>Train</button>
      <p>{status}: epoch {epoch}, loss {history.loss.at(-1)?.toFixed(4) ?? '–'}</p>
      {model.error ? <p role="alert">{model.error.message}</p> : null}
    </>
  );
}`}
        />
        <ul>
          <li>
            <code>useDataset</code> makes the tensors in an effect and frees them on unmount; with{' '}
            <code>validationSplit</code> it returns <code>{'{ train, val }'}</code>.
          </li>
          <li>
            <code>useTrainer</code> returns <code>null</code> until the data exists. Options may change on any render: a
            new learning rate or optimizer applies from the next step, without resetting anything.
          </li>
          <li>
            <code>useMetrics</code> re-renders at most once per animation frame while training, however many batches
            run.
          </li>
          <li>
            <code>model.error</code> holds the last refused edit (a <Api name="ReactNNError" /> with the layer path);
            the last good model keeps running meanwhile.
          </li>
        </ul>
      </Section>

      <Section page={P} id="headless" title="Without a DOM">
        <p>
          <Api name="renderModel" /> renders the same JSX headless — in Node, a worker or a test — and{' '}
          <Api name="createTrainer" /> is the framework-agnostic trainer the hooks wrap:
        </p>
        <CodeBlock
          code={`import { Linear, ReLU, Sequential, Sigmoid, createTrainer, datasets, renderModel } from 'react-nn';

const net = await renderModel(
  <Sequential>
    <Linear outFeatures={8} />
    <ReLU />
    <Linear outFeatures={1} />
    <Sigmoid />
  </Sequential>,
  { inputShape: [2], backend: 'cpu', seed: 1 },
);
console.log(net.summary().totalParams); // 33

const trainer = createTrainer(net, {
  data: datasets.moons({ n: 1000, noise: 0.3, seed: 1 }),
  validationSplit: 0.2,
  loss: 'bce',
  optimizer: { type: 'adam', lr: 0.01 },
  epochs: 100,
});
const { history } = await trainer.fit();
console.log(history.loss.at(-1), history.val_loss?.at(-1));

// An edit: weights are kept where the layer and its shape are unchanged.
await net.update(
  <Sequential>
    <Linear outFeatures={16} />
    <ReLU />
    <Linear outFeatures={1} />
    <Sigmoid />
  </Sequential>,
);
net.dispose();`}
        />
        <Note>
          In plain Node, tfjs runs on its CPU backend. react-nn never needs a bundler or a DOM for the headless API.
        </Note>
      </Section>
    </Page>
  );
}
