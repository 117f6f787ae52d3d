import { useEffect, useId, useRef, useState } from 'react';
import { CodeBlock } from '../../components/CodeBlock';
import { Api, Note, Page, Section, To } from '../../components/Page';
import { enginesExample } from '../../live/examples';
import { LiveExample } from '../../live/LiveExample';
import { type EngineName, type Trainer, useMetrics } from '../../nn';

const P = '/guides/engines';

export function Engines() {
  return (
    <Page
      title="Training engines"
      lead="One trainer, three ways to run a training step. TensorFlow.js runs every model; for MLPs and convolutional networks react-nn generates a fused kernel — JavaScript or WebGPU shaders — that runs the whole step at once. The trainer picks the fastest engine your model allows and says which one it picked, and why."
    >
      <Section page={P} id="choosing" title="Choosing an engine">
        <p>
          <Api name="createTrainer" /> and <Api name="useTrainer" /> take an <code>engine</code> option:{' '}
          <code>'auto'</code> (the default), <code>'tfjs'</code>, <code>'fused-cpu'</code> or{' '}
          <code>'fused-webgpu'</code> (<Api name="EngineName" />
          ). It is passed like every other trainer option:
        </p>
        <CodeBlock
          code={`const trainer = createTrainer(net, {
  data,
  loss: 'bce',
  optimizer: { type: 'adam', lr: 0.01 },
  engine: 'auto',
});
await trainer.fit();
trainer.getSnapshot().engine;
// { name: 'fused-cpu',
//   reason: 'auto: every layer, the loss and the optimizer are supported;
//            fused-webgpu not used: … — in a Web Worker' }`}
        />
        <p>
          <code>snapshot.engine</code> (<Api name="EngineInfo" />) says which engine runs and why — why{' '}
          <code>auto</code> chose it, or why the engine you asked for could not run and what runs instead. In React it
          is <code>useMetrics(trainer).engine</code>. The choice is made again whenever the model is rebuilt or the
          options change; until the model has been built it reads “chosen at the first step”.
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <code>engine</code>
                </th>
                <th scope="col">Runs</th>
                <th scope="col">
                  <code>'auto'</code> picks it when
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <code>'tfjs'</code>
                </td>
                <td>every layer, loss and optimizer, on the model's tfjs backend</td>
                <td>the model, loss or optimizer is one the fused engines do not run</td>
              </tr>
              <tr>
                <td>
                  <code>'fused-cpu'</code>
                </td>
                <td>MLPs and CNNs, as generated JavaScript — in a Web Worker in browsers</td>
                <td>the fused engines can run it, and fused-webgpu is not picked (next row)</td>
              </tr>
              <tr>
                <td>
                  <code>'fused-webgpu'</code>
                </td>
                <td>MLPs and CNNs, as generated WGSL compute shaders</td>
                <td>
                  the fused engines can run it, on a hardware WebGPU adapter — or on the device of a model whose tfjs
                  backend is already webgpu
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      </Section>

      <Section page={P} id="try-it" title="Try it">
        <p>
          Press Train with the engine on <code>auto</code>: on a plain MLP like this one it picks a fused engine, and
          3,000 epochs over 1,000 points take a few seconds. Reset, pick <code>tfjs</code> and train again — same
          network, same numbers, far slower. Switch engines while it trains: it carries on from where it was. Add a{' '}
          <code>{'<SoftExponential />'}</code> (a layer made with <Api name="defineLayer" /> that declares no fused
          form) after the first <code>Linear</code> and the engine falls back to tfjs, with the reason naming the layer;
          delete it and the fused engine takes over again.
        </p>
        <LiveExample spec={enginesExample} actions={({ trainer }) => <EnginePicker trainer={trainer} />} />
      </Section>

      <Section page={P} id="tfjs" title="tfjs: every model">
        <p>
          The <code>tfjs</code> engine trains any model react-nn can build — convolutions, batch norm, recurrent layers,
          your own layers — on whichever TensorFlow.js backend the model runs on (<code>{'<Model backend>'}</code>, by
          default webgpu → webgl → cpu, with a software WebGPU adapter ranked below webgl). Each batch is one{' '}
          <code>tf.variableGrads</code> step over the model, followed by react-nn's own optimizer update, which follows{' '}
          <code>torch.optim</code> exactly (see <To path="/guides/optimizers">Optimizers</To>). It runs the same kernels
          as <code>model.fit</code>, and is about as fast.
        </p>
      </Section>

      <Section page={P} id="fused-cpu" title="fused-cpu: an MLP as straight-line JavaScript">
        <p>
          <code>fused-cpu</code> turns the whole training step of an MLP — forward pass, loss, backward pass, gradient
          clipping and optimizer update — into generated JavaScript over <code>Float32Array</code>s, with the sizes
          baked in and small layers fully unrolled. No tensors and no per-neuron objects. Wide layers skip the weight
          rows of inputs that are zero: most of an MNIST digit is background, and about half of a ReLU layer's outputs
          are zero. (Where a strict Content Security Policy forbids generated code, the same arithmetic runs as plain
          loops.)
        </p>
        <p>
          Convolutional networks run the same way: <Api name="Conv2d" /> (stride, dilation, numeric padding as in
          PyTorch, <code>'same'</code> as in tfjs, with or without bias), <Api name="MaxPool2d" /> and{' '}
          <Api name="AvgPool2d" /> (kernel, stride, padding), <Api name="BatchNorm2d" /> and <Api name="BatchNorm1d" />{' '}
          (batch statistics while training, PyTorch's running-statistics update with its momentum and unbiased
          variance), <Api name="Flatten" /> and <Api name="Dropout" />, over NHWC images flattened per sample with the
          channels innermost — the kernel layout is tfjs' <code>[kh, kw, in, out]</code>, so the innermost loop of every
          convolution walks both weights and activations contiguously.
        </p>
        <p>
          The engine keeps <code>float32</code> semantics where they show: a batch loss beyond ±3.4e38 is Infinity, as
          on tfjs, and a step that would leave a weight or the loss non-finite is undone — the trainer stops with its
          “the loss became Infinity” error at the same epoch as tfjs, and the model keeps the last finite weights.
        </p>
        <p>
          In a browser it trains in a Web Worker, so the page never waits for training: weights and losses come back
          about 20 times a second. Where there is no Worker — Node, or a page whose CSP refuses one — it runs in the
          calling thread in short chunks (8 ms on a page, 25 ms in Node), yielding in between.
        </p>
      </Section>

      <Section page={P} id="fused-webgpu" title="fused-webgpu: the training step as WebGPU shaders">
        <p>
          <code>fused-webgpu</code> generates WGSL from the model's graph. A small network runs K training steps in one
          dispatch of one workgroup; a wide one (say 784-128-10) gets a split shader instead — one dispatch per phase of
          a step, spread over many workgroups, and K steps per submit. K adapts so that a chunk of K steps takes about
          16 ms, and the losses and weights are read back once per chunk, not once per step. It uses tfjs' own device
          when the model's backend is webgpu, otherwise a device of its own.
        </p>
        <p>
          Convolutional networks get the same treatment: each <Api name="Conv2d" />, pooling layer and batch norm adds
          its forward and backward phases to the step — a direct convolution over NHWC images with the channels
          innermost, one invocation per output position keeping all its filters' sums in registers; weight gradients
          summed over the batch by a workgroup each; batch statistics and PyTorch's running-statistics update on the
          GPU. Every phase gathers what it writes (no atomics), so a run gives the same weights every time. Dropout
          masks are drawn on the CPU with the generator tfjs and fused-cpu use and uploaded with each chunk.
        </p>
        <Note>
          On a software adapter (SwiftShader, llvmpipe — what browsers fall back to without a usable GPU),{' '}
          <code>auto</code> does not pick fused-webgpu unless tfjs itself already runs on WebGPU: fused-cpu is faster
          there. The reason says so. To use it anyway, ask for it by name — when you create the trainer (
          <code>{"createTrainer(net, { …, engine: 'fused-webgpu' })"}</code>) or later with{' '}
          <code>{"setOptions({ engine: 'fused-webgpu' })"}</code>; where there is no WebGPU at all, that request trains
          on fused-cpu and the reason says why.
        </Note>
      </Section>

      <Section page={P} id="supported" title="What the fused engines run">
        <div className="table-wrap">
          <table>
            <tbody>
              <tr>
                <th scope="row">Layers</th>
                <td>
                  <Api name="Linear" /> (on <code>[features]</code> inputs), <Api name="Flatten" />,{' '}
                  <Api name="Dropout" /> (the same masks as tfjs), <Api name="Identity" />, <Api name="Conv2d" />,{' '}
                  <Api name="MaxPool2d" />, <Api name="AvgPool2d" />, <Api name="BatchNorm1d" /> and{' '}
                  <Api name="BatchNorm2d" /> — on both fused engines; and the element-wise activations{' '}
                  <Api name="ReLU" />, <Api name="LeakyReLU" />, <Api name="PReLU" />, <Api name="ELU" />,{' '}
                  <Api name="GELU" /> (exact and <code>tanh</code>), <Api name="Tanh" />, <Api name="Sigmoid" /> and{' '}
                  <Api name="BentIdentity" />, inside <Api name="Sequential" /> containers; frozen layers (
                  <code>trainable={'{false}'}</code>) too. A layer takes part by declaring its fused form beside its{' '}
                  <Api name="defineLayer" /> definition (<code>fused(props, inputShape)</code>, one of the ops above); a
                  layer without one trains on tfjs
                </td>
              </tr>
              <tr>
                <th scope="row">Losses</th>
                <td>
                  <code>'mse'</code>, <code>'mae'</code>, <code>'huber'</code>, <code>'bce'</code>,{' '}
                  <code>'bceWithLogits'</code>, <code>'crossEntropy'</code> (one row of logits per sample, with label
                  smoothing), <code>'multiLabelBce'</code>
                </td>
              </tr>
              <tr>
                <th scope="row">Optimizers</th>
                <td>
                  <code>'sgd'</code> (momentum, Nesterov, dampening, weight decay), <code>'adam'</code> and{' '}
                  <code>'adamw'</code> (betas, eps, weight decay)
                </td>
              </tr>
              <tr>
                <th scope="row">Options</th>
                <td>
                  <code>regularization</code> (L1, L2), <code>clipGradNorm</code>, <code>clipGradValue</code>,{' '}
                  <code>batchSize</code> (including <code>'full'</code>), <code>shuffle</code>, <code>seed</code>,
                  validation, metrics and callbacks
                </td>
              </tr>
            </tbody>
          </table>
        </div>
        <p>
          Anything else — <Api name="Softmax" /> as a layer, <Api name="LSTM" /> and the other recurrent layers,{' '}
          <Api name="Residual" /> and the other composition containers, <Api name="Pretrained" />, layers of your own
          from <Api name="defineLayer" />, a custom loss function, <code>'rmsprop'</code> or <code>'adagrad'</code> —
          makes <code>auto</code> train on tfjs, and the reason names the layer (by its path), loss or optimizer:
        </p>
        <CodeBlock
          language="text"
          code={`auto: Sequential > GRU[0] is a GRU, which the fused engines do not run
  (its layer declares no fused form) — training on tfjs

fused-cpu was requested, but: optimizer "rmsprop" is not supported by the fused engines
  (sgd, adam and adamw are) — training on tfjs`}
        />
      </Section>

      <Section page={P} id="same-results" title="Same results on every engine">
        <p>
          The fused engines compute what the tfjs engine computes, in <code>float32</code>: the same seeded batches, the
          same dropout masks, the same optimizer formulas. react-nn's tests train seeded models for 500 steps on each
          engine — every loss, optimizer and activation above, regularisation, clipping and dropout — and every weight
          agrees to 1e-5 (relative, for weights above 1). The one exception is a weight that L1 holds at zero under
          Adam: it flips around zero by about the learning rate at every step, and which side it lands on is down to
          float rounding. Convolutional networks are held to the same 1e-5 after 100 seeded steps, BatchNorm running
          statistics included: each new layer alone, stride 2 with padding 1, even kernels with <code>'same'</code>, and
          both benchmark CNNs with SGD-momentum and Adam. (Under Adam a conv bias right before a BatchNorm is the
          exception: its true gradient is 0, so each engine steps on its own rounding noise.) fused-webgpu is held to
          1e-5 on the same layers and on the course CNN after 60 seeded steps (SwiftShader runs WebGPU on the CPU, so
          its tests train less; a dilated convolution, which tfjs cannot train, against fused-cpu), in both shader
          shapes, in Node (Dawn) and in Chromium. The tests are in <code>src/training/engines/__tests__/</code>.
        </p>
      </Section>

      <Section page={P} id="switching" title="Switching while training">
        <p>
          Change the engine at any time — <code>{"trainer.setOptions({ engine: 'tfjs' })"}</code>, or a new{' '}
          <code>engine</code> in <code>useTrainer</code>'s options — and the next chunk runs on the new one. A live edit
          that adds a layer the fused engines do not run switches to tfjs the same way, and removing it switches back.
          The optimizer state is handed over — Adam's moments, momentum buffers and per-weight step counts — so training
          goes on as if one engine had trained throughout.
        </p>
        <p>
          The <code>tf.LayersModel</code> stays the model you use: a fused engine writes its weights into it after every
          chunk, so <code>model.predict</code>, <Api name="usePredict" />, the visualisations, saving and early
          stopping's <code>restoreBestWeights</code> work as they do on tfjs.
        </p>
      </Section>

      <Section page={P} id="chunks" title="Chunks and epochs">
        <p>
          A fused engine trains a chunk of steps per call and reports back after it. Chunks stop at the end of every
          epoch when something looks at epochs: validation data, <code>metrics</code>, or a callback with{' '}
          <code>onEpochEnd</code> (<Api name="earlyStopping" />, <Api name="lrSchedule" />, …). Without any of these,
          one chunk may train many epochs at once — a small network on a small data set can finish hundreds of epochs in
          one chunk. The history still gets every epoch's loss, the same as if each epoch had been trained on its own,
          and <code>onStep</code> still runs once per step (after the chunk).
        </p>
      </Section>

      <Section page={P} id="how-fast" title="How fast">
        <p>
          Measured with <code>npm run bench</code> on the machine react-nn is developed on: 2 CPU cores and no GPU, so
          WebGPU runs on SwiftShader, a CPU driver. Each figure is a ratio between contenders measured side by side in
          one run — hand-written tfjs is <code>tf.sequential</code> with <code>model.fit</code>, on the same backend and
          data.
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Network</th>
                <th scope="col">Engine</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td rowSpan={3}>TF Playground's 2-4-2-1 (tanh, batch 10)</td>
                <td>fused-cpu</td>
                <td>≈ 5–6 M examples/s in Node and in a Chromium Worker</td>
              </tr>
              <tr>
                <td>fused-cpu</td>
                <td>3.2–3.3× a per-neuron JavaScript network written like TF Playground's</td>
              </tr>
              <tr>
                <td>fused-webgpu</td>
                <td>~1,600× hand-written tfjs, both on SwiftShader WebGPU (~1,500× on 2-8×6-1)</td>
              </tr>
              <tr>
                <td rowSpan={3}>MNIST 784-128-10 (ReLU, batch 64)</td>
                <td>fused-cpu</td>
                <td>6× hand-written tfjs in Node (cpu backend), 9× in Chromium (cpu backend)</td>
              </tr>
              <tr>
                <td>fused-cpu</td>
                <td>4.2× hand-written tfjs on webgl, in Chromium</td>
              </tr>
              <tr>
                <td>fused-webgpu</td>
                <td>1.4× hand-written tfjs on webgpu (SwiftShader)</td>
              </tr>
              <tr>
                <td>Course CNN: Conv2d 8 k3 · ReLU · MaxPool2d 2 · Linear 10 (MNIST, batch 64, Adam)</td>
                <td>fused-cpu</td>
                <td>
                  ≈ 45× hand-written tfjs in Node (cpu backend): 360 against 8 examples/s, measured with the machine at
                  a load of ~15 (other work running), so the absolute figures are low; the contenders ran side by side
                </td>
              </tr>
              <tr>
                <td>Course CNN, in Node on SwiftShader WebGPU (Dawn)</td>
                <td>fused-webgpu</td>
                <td>
                  87 examples/s: ~29× hand-written tfjs on tfjs' webgpu backend (3 examples/s) and ~11× react-nn's tfjs
                  engine there (8); fused-cpu on the same machine trains it at 2,436, so <code>auto</code> keeps a
                  software adapter for fused-cpu. Measured with <code>scripts/cnn-webgpu-speed.tsx</code> (one contender
                  after another, 5 s each, load ~11), not yet on a hardware GPU
                </td>
              </tr>
              <tr>
                <td>both</td>
                <td>tfjs</td>
                <td>
                  0.95–0.99× hand-written tfjs: fewer kernels than model.fit, but the trainer yields every 12 ms so the
                  page keeps painting, while model.fit blocks it (1.00–1.01× with the yields switched off)
                </td>
              </tr>
            </tbody>
          </table>
        </div>
        <p>
          Run it yourself with <code>npm run bench</code> (every benchmark, a few minutes), or only the engines in Node
          with <code>node bench/fused.mjs --node-only</code>; <code>bench/README.md</code> describes the cases and
          options. Other work on the machine moves every number, so compare ratios from one run.
        </p>
        <Note>These figures come from a CPU-only machine; there are none here for a hardware GPU.</Note>
      </Section>
    </Page>
  );
}

const ENGINE_CHOICES: readonly EngineName[] = ['auto', 'tfjs', 'fused-cpu', 'fused-webgpu'];

/** The live example's engine: a select that sets the trainer's `engine`, and what the trainer says runs. */
function EnginePicker({ trainer }: { trainer: Trainer | null }) {
  const selectId = useId();
  const [engine, setEngine] = useState<EngineName>(enginesExample.training.engine ?? 'auto');
  const { engine: info, epoch, status } = useMetrics(trainer);
  const rate = useEpochsPerSecond(epoch, status === 'running');
  useEffect(() => {
    if (!trainer) return;
    try {
      trainer.setOptions({ engine });
    } catch (e) {
      // A model the trainer cannot train right now (its error shows in the example): keep the last engine.
      console.error(e);
    }
  }, [trainer, engine]);
  return (
    <div className="model-readout">
      <p>
        <label htmlFor={selectId}>Engine</label>{' '}
        <select
          id={selectId}
          value={engine}
          disabled={!trainer}
          onChange={(e) => setEngine(e.target.value as EngineName)}
        >
          {ENGINE_CHOICES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </p>
      <p>
        In use:{' '}
        <output data-testid="engine" data-value={trainer ? info.name : ''}>
          <strong>{trainer ? info.name : '–'}</strong>
        </output>
        {rate !== null ? <span className="muted"> · {formatRate(rate)} epochs/s</span> : null}
      </p>
      <p className="muted">
        <output data-testid="engine-reason">{trainer ? info.reason : 'loading data'}</output>
      </p>
    </div>
  );
}

/** Epochs per second over the last two seconds of a run; null until a run has lasted long enough to tell. */
function useEpochsPerSecond(epoch: number, running: boolean): number | null {
  const samples = useRef<{ t: number; epoch: number }[]>([]);
  const [rate, setRate] = useState<number | null>(null);
  useEffect(() => {
    if (!running) {
      samples.current = [];
      if (epoch === 0) setRate(null);
      return;
    }
    const now = performance.now();
    const s = samples.current;
    s.push({ t: now, epoch });
    while (s.length > 2 && now - (s[0] as { t: number }).t > 2000) s.shift();
    const first = s[0] as { t: number; epoch: number };
    if (now - first.t >= 250) setRate((1000 * (epoch - first.epoch)) / (now - first.t));
  }, [epoch, running]);
  return rate;
}

function formatRate(rate: number): string {
  return rate >= 100 ? Math.round(rate).toLocaleString('en') : rate.toPrecision(2);
}
