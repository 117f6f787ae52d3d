import { useEffect, useState } from 'react';
import { CodeBlock } from '../components/CodeBlock';
import { Api, Note, Page, Section } from '../components/Page';
import { identityDemo } from '../live/examples';
import { LiveExample } from '../live/LiveExample';
import { type BackendInfo, selectBackend } from '../nn';

const P = '/concepts';

export function Concepts() {
  return (
    <Page
      title="Core concepts"
      lead="How JSX becomes a TensorFlow.js model, why an edit keeps the weights it can, and which backend runs it."
    >
      <Section page={P} id="jsx-to-graph" title="JSX → graph → model">
        <p>
          <Api name="Model" /> works like react-three-fiber's <code>Canvas</code>: it renders nothing to the DOM, and
          hosts a second React root whose host elements are layers. A custom reconciler keeps them as a plain tree of
          nodes — a type and props, no tensors — so creating, updating and abandoning them costs nothing.
        </p>
        <ol>
          <li>
            <strong>Render.</strong> React renders your components; <code>{'<Linear outFeatures={8} />'}</code> becomes
            the node <code>{"{ type: 'Linear', props: { outFeatures: 8 } }"}</code>. Components, hooks, conditionals,{' '}
            <code>map</code> and context all work inside a model, as anywhere in React.
          </li>
          <li>
            <strong>Commit.</strong> Once per React commit (never per node) the tree is frozen and handed over. Several
            quick state changes make one commit, and so one rebuild.
          </li>
          <li>
            <strong>Analyse.</strong> Every layer's props are validated, shapes are inferred from{' '}
            <code>inputShape</code> down, and parameters are counted the way PyTorch counts them. This is pure data: it
            needs neither React nor tfjs, and it is where errors get their layer path.
          </li>
          <li>
            <strong>Compile.</strong> The analysed graph becomes a functional <code>tf.LayersModel</code>; each layer's
            tfjs weights are named after the node's identity (below), and the previous model's weights are copied in
            where they still fit. The old model is then disposed.
          </li>
        </ol>
        <p>
          The summary beside each live example is that analysis: every layer's path, output shape (batch excluded) and
          parameter count, from <code>model.summary()</code>.
        </p>
      </Section>

      <Section page={P} id="live-edits" title="Live edits keep weights">
        <p>
          A layer keeps its weights across an edit while its <strong>identity</strong> and the{' '}
          <strong>shapes of its weights</strong> are unchanged. Its identity is, in order of preference:
        </p>
        <ol>
          <li>
            its React <code>key</code>, as in <code>{'<Linear key="encoder" … />'}</code>
          </li>
          <li>
            its <code>name</code> prop, as in <code>{'<Linear name="hidden" … />'}</code>, also shown in summaries and
            paths as <code>Linear(hidden)</code>
          </li>
          <li>
            otherwise its type and its index among siblings of the same type — <code>Linear[1]</code> is the second{' '}
            <code>Linear</code> in its container, so inserting a <code>{'<ReLU />'}</code> renumbers no{' '}
            <code>Linear</code>.
          </li>
        </ol>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Edit</th>
                <th scope="col">What is kept</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>Swap an activation, add or remove a Dropout</td>
                <td>every weight</td>
              </tr>
              <tr>
                <td>
                  Widen a hidden <code>Linear</code> from 8 to 16 units
                </td>
                <td>everything except that layer and the next layer's weight matrix (their shapes changed)</td>
              </tr>
              <tr>
                <td>
                  Insert a new unnamed <code>Linear</code> before the others
                </td>
                <td>
                  little: the later <code>Linear</code>s are renumbered, so weights are matched to the wrong layers and
                  mostly no longer fit — give layers a <code>name</code> or <code>key</code> to keep theirs
                </td>
              </tr>
              <tr>
                <td>
                  Change <code>inputShape</code>
                </td>
                <td>everything whose shapes still fit</td>
              </tr>
            </tbody>
          </table>
        </div>
        <p>
          A running trainer follows its model through the edit: the next step trains the rebuilt model, and the
          optimizer's state (Adam's moments, momentum buffers) is kept for every weight that was kept. The summary below
          tells how many weight tensors the last rebuild kept and re-initialised. Try it while it trains: swap{' '}
          <code>{'<Tanh />'}</code> for <code>{'<ReLU />'}</code> (everything is kept), or insert{' '}
          <code>{'<Linear outFeatures={16} />'}</code> and <code>{'<Tanh />'}</code> after the first{' '}
          <code>{'<Tanh />'}</code> — the layer named <code>out</code> is found by its name and keeps its weights, and
          only the new layer starts from scratch.
        </p>
        <LiveExample spec={identityDemo} />
      </Section>

      <Section page={P} id="errors" title="Errors name the layer">
        <p>
          react-nn throws one error class, <Api name="ReactNNError" />, with a <code>code</code> (<code>'prop'</code>,{' '}
          <code>'shape'</code>, …), the layer <code>path</code>, and a message that says what was wrong, what it got,
          and what to do:
        </p>
        <CodeBlock
          language="text"
          code={`Sequential > Linear[0]: outFeatures must be a positive integer (got -1)
createTrainer > loss: crossEntropy needs one output per class: the last layer gives 1 unit but the labels have 3 classes — set outFeatures={3} (last layer: Sequential > Linear[1])`}
        />
        <p>
          A bad edit never takes a working model away: the model handle reports it in <code>model.error</code> (and{' '}
          <code>model.status === 'error'</code>) while the last good model keeps running and training. The next good
          edit clears it.
        </p>
      </Section>

      <Section page={P} id="backends" title="Backends and the software-adapter rule">
        <p>
          Unless told otherwise, react-nn picks the fastest TensorFlow.js backend that works here:{' '}
          <strong>WebGPU → WebGL → CPU</strong>. With one exception: a <em>software</em> WebGPU adapter — one whose{' '}
          <code>adapter.info.isFallbackAdapter</code> is true, such as SwiftShader on a machine without a GPU — ranks
          below WebGL. It computes correctly, but far slower than WebGL on the same machine.
        </p>
        <ul>
          <li>
            Ask for a backend with <code>{'<Model backend="webgpu">'}</code> (or the <code>backend</code> option of{' '}
            <code>renderModel</code>). An explicit choice always wins — a software adapter included — and fails loudly
            when it cannot run.
          </li>
          <li>
            WebGPU needs the optional <code>@tensorflow/tfjs-backend-webgpu</code> package and a page served over{' '}
            <code>http(s)</code> (not <code>file:</code>).
          </li>
          <li>tfjs has one active backend per page: asking for another switches it for every model on the page.</li>
        </ul>
        <BackendReport />
      </Section>
    </Page>
  );
}

/** What the automatic choice picked in this browser, and why. */
function BackendReport() {
  const [info, setInfo] = useState<BackendInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    selectBackend().then(
      (i) => live && setInfo(i),
      (e) => live && setError(String(e)),
    );
    return () => {
      live = false;
    };
  }, []);
  if (error) return <Note kind="warning">No backend could start here: {error}</Note>;
  if (!info) return <Note>Checking this browser's backends…</Note>;
  return (
    <Note>
      In this browser the automatic choice is <strong data-testid="backend">{info.name}</strong>
      {info.adapter
        ? ` (WebGPU adapter: ${[info.adapter.vendor, info.adapter.architecture].filter(Boolean).join(' ') || 'unnamed'}${
            info.adapter.isFallbackAdapter ? ', a software fallback' : ''
          })`
        : ''}{' '}
      — {info.reason}.
    </Note>
  );
}
