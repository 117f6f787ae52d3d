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
