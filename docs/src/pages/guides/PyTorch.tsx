import { useState } from 'react';
import { CodeBlock } from '../../components/CodeBlock';
import { Api, Note, Page, Section } from '../../components/Page';
import type { ExampleSpec } from '../../live/LiveExample';
import { LiveExample } from '../../live/LiveExample';
import {
  downloadBytes,
  downloadZip,
  type ExportedFiles,
  exportONNX,
  exportPyTorch,
  loadStateDict,
  type Net,
  type Trainer,
} from '../../nn';

const P = '/guides/pytorch';

/** The guide's live example: a moons classifier that trains in the page, then leaves for PyTorch. */
const handOffExample: ExampleSpec = {
  id: 'pytorch-hand-off',
  title: 'Train here, export for PyTorch',
  code: `<Sequential>
  <Linear outFeatures={16} />
  <ReLU />
  <Linear outFeatures={16} />
  <ReLU />
  <Linear outFeatures={1} />
</Sequential>`,
  inputShape: [2],
  data: 'datasets.moons({ n: 1000, noise: 0.25, seed: 1 })',
  validationSplit: 0.2,
  training: {
    loss: 'bceWithLogits',
    optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
    batchSize: 'full',
    epochs: 300,
    metrics: ['accuracy'],
    seed: 1,
  },
  seed: 1,
  autoStart: false,
  view: 'boundary',
};

export function PyTorchGuide() {
  return (
    <Page
      title="From react-nn to PyTorch and back"
      lead="A model prototyped in the page is not a dead end: export it as PyTorch code, weights and a training script that scales to many GPUs with torchrun — and load weights trained in PyTorch back into a page."
    >
      <Section page={P} id="export" title="Train here, then export">
        <p>
          Train the model below, then press <strong>Export for PyTorch</strong>. <Api name="exportPyTorch" /> returns
          the files as a record of name → contents; <Api name="downloadZip" /> hands them to the browser as one zip (in
          Node, <Api name="writeFolder" /> writes a folder):
        </p>
        <ul>
          <li>
            <code>model.py</code> — <code>Model</code>, an <code>nn.Module</code> mirroring the JSX tree (
            <code>nn.Sequential</code>, <code>nn.Linear(in, out)</code>, <code>nn.Conv2d(…, stride=, padding=)</code>,{' '}
            <code>nn.LSTM(…, batch_first=True)</code>…), and <code>load()</code>, which returns it in eval mode with its
            weights;
          </li>
          <li>
            <code>weights.safetensors</code> — the <code>state_dict</code>, PyTorch's names and layouts;
          </li>
          <li>
            <code>train.py</code> — the trainer's settings as a PyTorch script: the same loss, <code>torch.optim</code>{' '}
            optimizer, schedule, batch size, epochs, seed and early stopping;
          </li>
          <li>
            <code>data.safetensors</code> (with <code>{'{ data: true }'}</code>) — the training and validation split,
            and a <code>README.md</code>.
          </li>
        </ul>
        <LiveExample
          spec={handOffExample}
          actions={({ model, trainer }) => <ExportButtons model={model} trainer={trainer} />}
        />
        <p>Then, in the unzipped folder:</p>
        <CodeBlock
          language="sh"
          code={`python -c "from model import load; print(load())"   # the model, weights loaded
python train.py                                       # one process: goes on training, writes trained.safetensors
torchrun --nproc_per_node=4 train.py                  # DistributedDataParallel: gloo on CPU, nccl on CUDA`}
        />
        <Note>
          Under <code>torchrun</code>, each of N processes gets its shard of the data (a <code>DistributedSampler</code>
          ) and <code>batch_size / N</code> rows per step, so the global batch — and, with full batches, the result — is
          the same as one process's. react-nn's test suite checks exactly that with two processes.
        </Note>
      </Section>

      <Section page={P} id="names" title="Names and layouts">
        <p>
          A <code>{'<Sequential>'}</code>'s children are numbered as in PyTorch's <code>nn.Sequential</code> —
          activations count — so the keys are <code>0.weight</code>, <code>0.bias</code>, <code>2.weight</code>… A layer
          with a <code>name</code> prop uses its name instead: <code>{'<LSTM name="lstm" />'}</code> gives{' '}
          <code>lstm.weight_ih_l0</code>. The <code>state_dict</code> of your own <code>nn.Sequential</code>, or of a
          module whose attributes carry those names, loads as it is.
        </p>
        <p>
          Layouts are PyTorch's: Linear <code>[out, in]</code>, Conv2d <code>[out, in, kh, kw]</code>, BatchNorm with{' '}
          <code>running_mean</code>, <code>running_var</code> and <code>num_batches_tracked</code>, LSTM and GRU weights
          in PyTorch's gate order. Images are NHWC in react-nn and NCHW in PyTorch, so the exported model takes NCHW
          input (its docstring says so), and the first Linear after a <code>Flatten</code> of a feature map has its
          columns permuted: PyTorch's own <code>nn.Flatten</code> then gives the same numbers.
        </p>
        <p>
          A custom layer made with <code>defineLayer</code> cannot be translated: <code>model.py</code> gets a clearly
          marked stub class whose weights load and whose <code>forward</code> is yours to write.
        </p>
      </Section>

      <Section page={P} id="import" title="Weights from PyTorch">
        <p>
          <Api name="loadStateDict" /> loads a <code>state_dict</code> saved with{' '}
          <code>safetensors.torch.save_file(model.state_dict(), "weights.safetensors")</code> — bytes, a{' '}
          <code>File</code> from an input, or a URL — into a model with the same architecture. It behaves like{' '}
          <code>load_state_dict</code>: every key and shape is checked first, a mismatch lists the missing keys, the
          unexpected ones and the shapes, and nothing is half-loaded. <code>{'{ strict: false }'}</code> loads what
          matches and returns the rest in its report.
        </p>
        <CodeBlock
          code={`const report = await loadStateDict(model, await file.arrayBuffer(), { strict: false });
report.missingKeys;    // the model's keys the file lacks
report.unexpectedKeys; // the file's keys the model lacks`}
        />
        <p>
          Try it above: export, run <code>python train.py</code>, and load <code>trained.safetensors</code> back with
          the file input — the decision boundary shows what PyTorch learnt.
        </p>
      </Section>

      <Section page={P} id="onnx" title="ONNX">
        <p>
          <Api name="exportONNX" /> writes an inference graph (opset 17, NCHW input named <code>input</code>) that
          onnxruntime runs and Netron opens: Gemm, Conv, BatchNormalization, pooling, every built-in activation,
          Softmax, Flatten, Embedding, RNN/LSTM/GRU (in ONNX's gate order) and the Add/Concat of residual and branching
          blocks; Dropout is removed. Layers without a mapping are all named in one error.
        </p>
      </Section>
    </Page>
  );
}

/** The buttons under the live example. */
function ExportButtons({ model, trainer }: { model: Net; trainer: Trainer | null }) {
  const [message, setMessage] = useState<{ text: string; problem: boolean } | null>(null);
  const ready = model.status === 'ready';
  const run = (job: () => Promise<string>) => async () => {
    try {
      setMessage({ text: await job(), problem: false });
    } catch (e) {
      setMessage({ text: String((e as Error).message ?? e), problem: true });
    }
  };
  const exportFiles = run(async () => {
    const files: ExportedFiles = trainer ? await exportPyTorch(trainer, { data: true }) : await exportPyTorch(model);
    await downloadZip(files, 'react-nn-moons.zip');
    return `Downloaded ${Object.keys(files).join(', ')}`;
  });
  const exportOnnx = run(async () => {
    const bytes = await exportONNX(model);
    await downloadBytes(bytes, 'react-nn-moons.onnx');
    return `Downloaded react-nn-moons.onnx (${bytes.length.toLocaleString()} bytes)`;
  });
  const load = (file: File) =>
    run(async () => {
      const report = await loadStateDict(model, file, { strict: false });
      const rest = [...report.missingKeys, ...report.unexpectedKeys];
      return `Loaded ${report.loadedKeys.length} tensors from ${file.name}${rest.length ? `; not loaded: ${rest.join(', ')}` : ''}`;
    })();
  return (
    <>
      <button type="button" onClick={exportFiles} disabled={!ready}>
        Export for PyTorch (zip)
      </button>
      <button type="button" onClick={exportOnnx} disabled={!ready}>
        Export ONNX
      </button>
      <label>
        Load PyTorch weights{' '}
        <input
          type="file"
          accept=".safetensors"
          disabled={!ready}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void load(file);
            e.currentTarget.value = '';
          }}
        />
      </label>
      {message ? <p className={message.problem ? 'problem' : 'muted'}>{message.text}</p> : null}
    </>
  );
}
