import { CodeBlock } from '../../components/CodeBlock';
import { Api, Note, Page, Section } from '../../components/Page';
import { CheckpointPanel } from '../../live/CheckpointPanel';
import { savingExample } from '../../live/examples';
import { LiveExample } from '../../live/LiveExample';

const P = '/guides/saving';

export function Saving() {
  return (
    <Page
      title="Saving, resuming and sharing"
      lead="A trained model is worth keeping: save it to a file, to the browser's IndexedDB or into a link, and load it back — in the browser or in Node — with the same weights, bit for bit."
    >
      <Section page={P} id="try-it" title="Train, reload, go on">
        <p>
          Train the example below for a while and pause it. It autosaves to this browser every 10 epochs and whenever
          you pause; reload the page and it comes back with the weights it had, at the epoch it had reached, and{' '}
          <strong>Train</strong> goes on from there with the same optimizer state. <strong>Download .rnn</strong> saves
          the same thing as a file, and <strong>Open .rnn…</strong> loads one into the running model. The{' '}
          <strong>Share</strong> button at the top puts the code, the learning rate and — for a model this small — the
          weights into a link.
        </p>
        <LiveExample
          spec={savingExample}
          actions={({ model, trainer, saved }) =>
            saved ? <CheckpointPanel model={model} trainer={trainer} saved={saved} /> : null
          }
        />
      </Section>

      <Section page={P} id="checkpoints" title="Checkpoints">
        <p>
          <Api name="saveCheckpoint" /> takes a model (what <code>renderModel</code> returns, a <code>useModel()</code>{' '}
          handle) or a trainer and returns the bytes of a <code>.rnn</code> file — and also writes them to a target:
          <code>'indexeddb://KEY'</code> or <code>'downloads://NAME'</code> in a browser, a file path in Node.
        </p>
        <CodeBlock
          code={`const bytes = await saveCheckpoint(net, 'indexeddb://moons');
const cp = await loadCheckpoint('indexeddb://moons');   // or bytes, a Blob (a file input's File), a URL, a path in Node
const copy = await renderModel(cp.element, { checkpoint: cp });   // the same architecture and weights
cp.toJSX();   // '<Sequential>\\n  <Linear outFeatures={16} />\\n  …' — the architecture as code to paste`}
        />
        <p>
          A <code>.rnn</code> file is a zip of <code>model.json</code> (the layers and their props, the input shape, the
          versions), <code>weights.safetensors</code> (every weight — batch-norm running statistics, PReLU slopes,
          recurrent weights included — named by the layer paths <code>summary()</code> prints, e.g.{' '}
          <code>Sequential &gt; Linear[0] &gt; kernel</code>) and, when saved from a trainer, <code>trainer.json</code>{' '}
          and <code>optimizer.safetensors</code>. Safetensors is the format PyTorch and Hugging Face use, so other tools
          can read the weights. <code>&lt;Model checkpoint={'{cp}'}&gt;</code> builds with the saved weights, like{' '}
          <code>renderModel</code>'s option. Your own <Api name="defineLayer" /> layers round-trip when their module is
          imported before loading; otherwise the error names the missing type. A <code>&lt;Pretrained src&gt;</code> is
          saved self-contained: the file holds the source model's architecture (not its URL or object) and the kept
          layers' weights as fine-tuned, so it loads without the original model.
        </p>
      </Section>

      <Section page={P} id="strict" title="Loading into a different model">
        <p>
          Like PyTorch's <code>load_state_dict</code>, loading checks every name and shape before writing anything. A
          checkpoint that does not fit is a <code>ReactNNError</code> listing the missing, unexpected and
          shape-mismatched weights, and the model keeps its own weights. After an edit, load what still fits:
        </p>
        <CodeBlock
          code={`const report = restoreCheckpoint(net, cp, { strict: false });
// { loaded: [...], missing: [...], unexpected: [...], mismatched: [{ name, saved, model }] }`}
        />
        <p>
          A truncated or corrupted file (every part is CRC-checked), another program's file, a newer format or a
          safetensors header that lies about its sizes is refused the same way, with nothing changed.
        </p>
      </Section>

      <Section page={P} id="autosave" title="Autosave in an app">
        <CodeBlock
          code={`const model = useModel();
const { trainer, saved } = useResumableTrainer(
  model,
  data,
  { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, epochs: 500 },
  { key: 'moons', every: 10 },
);
// saved.restored, saved.checkpoint, saved.lastSaved, saved.error; saved.save(), saved.clear()`}
        />
        <p>
          <Api name="useResumableTrainer" /> is <Api name="useTrainer" /> that survives a reload: when the component
          mounts it restores the model from IndexedDB, then creates the trainer with the stored checkpoint as{' '}
          <code>resume</code> — the same epoch, history, optimizer slots and epoch order — and saves every{' '}
          <code>every</code> epochs and whenever training pauses or ends. The trainer is <code>null</code> until the
          restore attempt is over. To autosave a trainer you create yourself (weights restored, training not resumed),
          use <Api name="useCheckpoint" />
          <code>(model, trainer, {'{ key, every }'})</code>. <Api name="listCheckpoints" /> and{' '}
          <Api name="deleteCheckpoint" /> manage what is stored.
        </p>
        <Note>
          A checkpoint saved from a trainer holds the trainer's state (optimizer slots and step counts, epoch, history,
          schedule and epoch order), so that <code>createTrainer(net, {'{ ...options, resume: cp }'})</code> goes on
          where it stopped. Save while paused for an exact resume. Dropout's random state (each layer's seed and how
          many masks it has drawn) is part of it: with the <code>tfjs</code> engine a resumed run draws the masks the
          uninterrupted run would have; the fused engines start their mask streams afresh after a resume.
        </Note>
      </Section>

      <Section page={P} id="sharing" title="Share links">
        <p>
          <Api name="encodeShareState" /> packs an architecture, hyper-parameters, a data set choice and — up to{' '}
          {(4096).toLocaleString('en')} weight values — the weights into a short string for a URL fragment;{' '}
          <Api name="decodeShareState" /> checks it and gives it back. <Api name="shareModel" /> reads the architecture
          and weights of a built model.
        </p>
        <CodeBlock
          code={`const hash = encodeShareState({ ...(await shareModel(net)), options: { lr: 0.01 }, data: { name: 'moons', noise: 0.3 } });
location.hash = hash;                       // 'rnn1.…'
const state = decodeShareState(location.hash);   // a damaged link is a ReactNNError`}
        />
      </Section>
    </Page>
  );
}
