import type { ReactNode } from 'react';
import { Api, Page, Section } from '../../components/Page';

const P = '/guides/guarantees';

/** One promise and the tests that would fail if it were broken. */
interface Guarantee {
  id: string;
  title: string;
  promise: ReactNode;
  proofs: { file: string; shows: ReactNode }[];
}

const TRAINING_SUITE = 'src/training/__tests__/ (misuse, divergence, fuzz)';

const GUARANTEES: readonly Guarantee[] = [
  {
    id: 'no-leaks',
    title: 'No leaks',
    promise: (
      <>
        Every tensor, tfjs variable and GPU buffer that react-nn makes is disposed by react-nn: after a mount, a
        training run, live edits and an unmount — in StrictMode too, which mounts everything twice —{' '}
        <code>tf.memory().numTensors</code> is back where it started. A long session does not grow.
      </>
    ),
    proofs: [
      {
        file: 'src/react/__tests__/lifecycle.test.tsx, lifecycle.browser.test.tsx',
        shows: 'StrictMode mount → train → 50 prop changes → unmount mid-epoch → remount, in jsdom and Chromium',
      },
      {
        file: 'src/react/__tests__/soak.browser.test.tsx',
        shows: '5,000 steps with an edit every 100 and seven views mounted: tensor count flat, heap growth bounded',
      },
      { file: 'src/react/__tests__/hooks.test.tsx', shows: 'mount → train → unmount cycles under StrictMode' },
      { file: 'src/viz/__tests__/leaks.browser.test.tsx', shows: 'every view, mounted while training and unmounted' },
      { file: TRAINING_SUITE, shows: 'dispose after errors, misuse and random edit sequences' },
    ],
  },
  {
    id: 'errors',
    title: 'Clear errors',
    promise: (
      <>
        Bad input to a public API throws (or rejects with) a <Api name="ReactNNError" />: its <code>path</code> names
        the layer (<code>Sequential &gt; Conv2d[0]</code>) or the API, and its message says what was wrong, what was
        received, and what to do instead. Shape mismatches name both shapes and both layers.
      </>
    ),
    proofs: [
      { file: 'src/layers/__tests__/errors.test.ts', shows: 'layer props and shape mismatches, with paths' },
      { file: 'src/data/__tests__/', shows: 'data sets, CSV, arrays and options' },
      { file: 'src/io/__tests__/safetensors.test.ts', shows: 'every lie in a weights file header' },
      { file: 'test/package/package.test.ts', shows: 'a missing optional package (mnist) names the install command' },
      { file: TRAINING_SUITE, shows: 'fit() twice, step() while running, calls after dispose(): errors, never hangs' },
    ],
  },
  {
    id: 'unchanged',
    title: 'Refused means unchanged',
    promise: (
      <>
        A change that is refused changes nothing: a bad edit to the JSX leaves the last good model training (the error
        is on the handle), a rejected <code>setOptions</code> applies none of its keys, a bad weights file loads no
        weight. Everything is validated before anything is applied.
      </>
    ),
    proofs: [
      {
        file: 'src/react/__tests__/Model.test.tsx',
        shows: 'a bad edit in <Model> keeps the last model and its weights',
      },
      { file: 'src/react/__tests__/renderModel.test.tsx', shows: 'update() rejects a bad tree and keeps the model' },
      {
        file: 'src/react/__tests__/modelFuzz.test.tsx',
        shows: 'random <Model> re-renders (add, remove, reorder, bad widths) while training: every bad tree an error',
      },
      {
        file: 'src/react/__tests__/inputShapeSwap.test.tsx',
        shows: 'a new inputShape and its data in one commit hand over to a new trainer',
      },
      { file: 'src/io/__tests__/safetensors.test.ts', shows: 'refused before any tensor is made' },
      { file: 'src/io/__tests__/badInput.test.tsx', shows: 'every damaged checkpoint refused, the model untouched' },
      { file: TRAINING_SUITE, shows: 'atomic setOptions; invalid live edits while training' },
    ],
  },
  {
    id: 'no-hangs',
    title: 'No hangs',
    promise: (
      <>
        No promise of the library stays pending forever: <code>fit()</code>, <code>step()</code>, <code>update()</code>{' '}
        and <code>ready()</code> settle — with a result or a clear error — even when the model or the trainer is
        disposed while they run.
      </>
    ),
    proofs: [
      {
        file: TRAINING_SUITE,
        shows: 'dispose() during fit(), update() after dispose(), a data set disposed under a run',
      },
      { file: 'src/react/__tests__/lifecycle.test.tsx', shows: 'unmounting mid-epoch ends the run' },
    ],
  },
  {
    id: 'determinism',
    title: 'Determinism',
    promise: (
      <>
        Seeds make runs repeatable: <code>renderModel(…, {'{ seed }'})</code> and <code>&lt;Model seed&gt;</code> fix
        the initial weights on every backend, a trainer's <code>seed</code> fixes shuffling, splits and dropout, and
        every data set generator is seeded. Numbers follow PyTorch: losses, optimizers and layers are checked against
        PyTorch's values.
      </>
    ),
    proofs: [
      { file: 'src/__tests__/random.test.ts', shows: 'the seeded generators' },
      { file: 'src/data/__tests__/generators.test.ts', shows: 'same seed, same data' },
      { file: 'src/training/__tests__/trainer.test.tsx', shows: 'same seeds, same losses' },
      {
        file: 'src/training/__tests__/losses.test.ts, optimizers.test.ts',
        shows: 'PyTorch values for every loss and optimizer',
      },
      { file: 'src/training/engines/__tests__/fused.test.tsx', shows: 'the fused engines match the tfjs engine' },
      { file: 'test/package/package.test.ts', shows: 'the built package trains the same falling losses in Node' },
    ],
  },
  {
    id: 'fallback',
    title: 'Fallback',
    promise: (
      <>
        Without a choice, react-nn picks the best backend it can run: WebGPU on a hardware adapter, else WebGL, else the
        CPU; a software WebGPU adapter (SwiftShader) ranks below WebGL, and the same test decides it everywhere. The
        trainer's engine falls back the same way and says why in <code>snapshot.engine</code>; a lost GPU device or a
        diverging run stops with the reason, keeping the last finite weights.
      </>
    ),
    proofs: [
      {
        file: 'src/react/__tests__/Model.browser.test.tsx',
        shows: 'WebGL preferred over a software WebGPU adapter; WebGPU when asked',
      },
      { file: 'src/__tests__/shared.test.ts', shows: 'the one software-adapter test' },
      { file: 'src/training/engines/__tests__/', shows: 'engine choice and its reasons' },
      { file: TRAINING_SUITE, shows: 'divergence keeps the last finite weights; a lost WebGPU device falls back' },
      {
        file: 'src/training/__tests__/deviceLoss.test.tsx',
        shows: 'a destroyed WebGPU device hands weights and Adam state to fused-cpu; the run ends as if uninterrupted',
      },
    ],
  },
  {
    id: 'anywhere',
    title: 'Runs where React runs',
    promise: (
      <>
        Importing react-nn touches no browser API: it imports in Node, in jsdom (Jest and Vitest component tests) and in
        server rendering. Charts load their plotting library when they mount. A server-rendered page with{' '}
        <code>&lt;Model&gt;</code> and the hooks creates no tensor and chooses no backend; it hydrates without a
        mismatch and then trains.
      </>
    ),
    proofs: [
      { file: 'src/__tests__/entry.jsdom.test.tsx', shows: 'the main entry in jsdom, with a model page rendered' },
      { file: 'test/package/package.test.ts', shows: 'the built package in plain Node and in jsdom' },
      { file: 'src/react/__tests__/ssr.test.tsx', shows: 'renderToString in Node: no tensors, no backend' },
      { file: 'src/react/__tests__/hydrate.browser.test.tsx', shows: 'hydrateRoot, no mismatch, then training' },
    ],
  },
];

export function Guarantees() {
  return (
    <Page
      title="Guarantees"
      lead="What react-nn promises, and the tests that would fail if it broke a promise. Every test named here runs in npm test, against the real parts: Chromium, WebGPU on SwiftShader, tfjs, PyTorch."
    >
      {GUARANTEES.map((g) => (
        <Section key={g.id} page={P} id={g.id} title={g.title}>
          <p>{g.promise}</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Test</th>
                  <th scope="col">What it shows</th>
                </tr>
              </thead>
              <tbody>
                {g.proofs.map((p) => (
                  <tr key={p.file}>
                    <td>
                      <code>{p.file}</code>
                    </td>
                    <td>{p.shows}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      ))}
    </Page>
  );
}
