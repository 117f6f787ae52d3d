import { CodeBlock } from '../components/CodeBlock';
import { Api, Page, To } from '../components/Page';
import { homeMoons } from '../live/examples';
import { LiveExample } from '../live/LiveExample';

export function Home() {
  return (
    <Page
      title="react-nn"
      lead={
        <>
          Neural networks as React JSX. <code>{'<Sequential><Linear /><ReLU />…'}</code> is compiled into a live
          TensorFlow.js model; edit the JSX and the model rebuilds while it trains, keeping every weight that still
          fits.
        </>
      }
    >
      <p className="lead">
        <To path="/playground">Open the Playground</To>: TensorFlow Playground's network tinkering, built from react-nn
        components, with the JSX of the live model beside it.
      </p>
      <p>
        The network below is training in this page right now: two interleaving half-moons, a hidden layer of 8 units,
        binary cross-entropy and Adam. Change <code>outFeatures={'{8}'}</code> to <code>{'{16}'}</code>, or swap{' '}
        <code>{'<ReLU />'}</code> for <code>{'<Tanh />'}</code>: the model is rebuilt without stopping, and the loss
        keeps falling.
      </p>
      <LiveExample spec={homeMoons} />
      <h2>What it looks like in your app</h2>
      <CodeBlock
        code={`import { Linear, Model, ReLU, Sequential, Sigmoid, datasets, useDataset, useMetrics, useModel, useTrainer } from 'react-nn';

function Moons() {
  const data = useDataset(() => datasets.moons({ n: 1000, noise: 0.3, seed: 1 }), { validationSplit: 0.2 });
  const model = useModel();
  const trainer = useTrainer(model, data, { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 200, autoStart: true });
  const { history, epoch } = useMetrics(trainer);
  return (
    <>
      <Model handle={model} inputShape={[2]}>
        <Sequential>
          <Linear outFeatures={8} />
          <ReLU />
          <Linear outFeatures={1} />
          <Sigmoid />
        </Sequential>
      </Model>
      <p>epoch {epoch}, loss {history.loss.at(-1)?.toFixed(4)}</p>
    </>
  );
}`}
      />
      <p>
        Start with <To path="/getting-started">Getting started</To>, read how it works in{' '}
        <To path="/concepts">Core concepts</To>, or look anything up in the <To path="/api">API reference</To> (
        <Api name="useTrainer" />, <Api name="Linear" />, …).
      </p>
    </Page>
  );
}
