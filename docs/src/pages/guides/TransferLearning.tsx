import * as tf from '@tensorflow/tfjs';
import { useMemo, useState } from 'react';
import { CodeBlock } from '../../components/CodeBlock';
import { Api, Note, Page, Section } from '../../components/Page';
import { fineTuneExample, freezeExample, pretrainExample } from '../../live/examples';
import { LiveExample } from '../../live/LiveExample';
import type { Net, Trainer } from '../../nn';

const P = '/guides/transfer-learning';

export function TransferLearning() {
  const [base, setBase] = useState<tf.io.ModelArtifacts | null>(null);
  const scope = useMemo(() => ({ base }), [base]);
  return (
    <Page
      title="Transfer learning"
      lead="Features learnt on one task help with another: keep the trained layers, freeze them, and train only a new head — fast, and with little data."
    >
      <Section page={P} id="freeze" title="Freezing layers">
        <p>
          <code>trainable={'{false}'}</code> freezes a layer — or, on a container, every layer inside it — like{' '}
          <code>requires_grad_(False)</code> in PyTorch. Its weights stay as they are while the rest trains, and the
          summary counts them as non-trainable. Because it is just a prop, freezing is a live edit like any other.
        </p>
        <p>
          Train the model below for a while. Then set <code>trainable={'{false}'}</code> on the <code>body</code> and
          give it a new head — say <code>{'<Linear name="neck" outFeatures={8} /><ReLU />'}</code> before{' '}
          <code>head</code>. The body is found by its name, keeps its trained weights and stops changing; only the new
          layers learn.
        </p>
        <LiveExample spec={freezeExample} />
      </Section>

      <Section page={P} id="pretrained" title="A pretrained model as a layer">
        <p>
          <Api name="Pretrained" /> takes a saved TensorFlow.js LayersModel — a <code>model.json</code> URL, in-memory
          artefacts, an IOHandler or a live <code>tf.LayersModel</code> — and uses its layers up to <code>upTo</code> (a
          layer name, or an index from the end such as <code>-2</code>) as one layer of your model, with their trained
          weights. <Api name="loadPretrained" /> lists a model's layers to choose the cut.
        </p>
        <CodeBlock
          code={`<Model handle={model} inputShape={[28, 28, 1]}>
  <Sequential>
    <Pretrained src="/models/digits/model.json" upTo="Sequential/Flatten_0" trainable={false} />
    <Linear outFeatures={10} />
  </Sequential>
</Model>`}
        />
        <p>
          Here both steps run in this page. First, train a classifier on 1,000 moon points and hand it over; its weights
          are saved in memory (<code>model.save(tf.io.withSaveHandler(…))</code>) as <code>base</code>. Then a new model
          on only 60 training points keeps the base's two hidden layers, frozen, and trains a new output layer — compare
          its validation accuracy with what the same data gives from scratch (replace the <code>Pretrained</code> line
          by <code>{'<Linear outFeatures={32} /><ReLU />'}</code>).
        </p>
        <LiveExample
          spec={pretrainExample}
          actions={({ model, trainer }) => (
            <HandOver model={model} trainer={trainer} onSaved={setBase} hasBase={!!base} />
          )}
        />
        {base ? (
          <LiveExample spec={fineTuneExample} scope={scope} />
        ) : (
          <section className="live" aria-label={fineTuneExample.title}>
            <h3>{fineTuneExample.title}</h3>
            <p className="muted">
              Train the base model above, then press “Use as the base”: this example starts from it.
            </p>
            <CodeBlock code={fineTuneExample.code} />
          </section>
        )}
        <Note>
          Every build copies the saved weights into fresh layers named after the <code>Pretrained</code> node, so
          fine-tuned weights (with <code>trainable</code> left on) survive later edits like any other layer's.
        </Note>
      </Section>
    </Page>
  );
}

/** Saves the trained model's topology and weights in memory and hands them to the next example. */
function HandOver(props: {
  model: Net;
  trainer: Trainer | null;
  hasBase: boolean;
  onSaved: (artifacts: tf.io.ModelArtifacts) => void;
}) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const save = async () => {
    const model = props.model.model;
    if (!model) return;
    props.trainer?.pause();
    setState({ busy: true, error: null });
    try {
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          props.onSaved(artifacts);
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      setState({ busy: false, error: null });
    } catch (e) {
      setState({ busy: false, error: String(e) });
    }
  };
  return (
    <>
      <button type="button" onClick={save} disabled={state.busy || !props.model.model}>
        {props.hasBase ? 'Hand over again (current weights)' : 'Use as the base'}
      </button>
      {state.error ? <p className="problem">{state.error}</p> : null}
    </>
  );
}
