import * as tf from '@tensorflow/tfjs';
import { cleanup, fireEvent, render, within } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { unzipFiles, zipFiles } from '../../io/zip';
import { isSoftwareWebGL } from '../../runtime/adapter';
import { settle, until } from '../../viz/__tests__/helpers';
import { Playground } from '../Playground';

afterEach(cleanup);

const value = (el: HTMLElement, testId: string) =>
  Number(el.querySelector<HTMLElement>(`[data-testid="${testId}"]`)?.dataset.value);

/** The bytes of every file the page downloads (Save clicks a real `<a download>`; the click is kept from navigating). */
function captureDownloads() {
  const files: Uint8Array[] = [];
  const reading: Promise<void>[] = [];
  const onClick = (e: MouseEvent) => {
    const a = e.target;
    if (!(a instanceof HTMLAnchorElement) || !a.download) return;
    e.preventDefault();
    reading.push(
      fetch(a.href)
        .then((r) => r.arrayBuffer())
        .then((b) => {
          files.push(new Uint8Array(b));
        }),
    );
  };
  document.addEventListener('click', onClick, true);
  return {
    files,
    settled: () => Promise.all(reading),
    stop: () => document.removeEventListener('click', onClick, true),
  };
}

/** Clicks Save and waits for the file it downloads. */
async function save(root: HTMLElement, downloads: ReturnType<typeof captureDownloads>): Promise<Uint8Array> {
  const n = downloads.files.length;
  fireEvent.click(within(root).getByRole('button', { name: 'Save' }));
  await until(() => downloads.files.length > n, 60_000, 'the saved file');
  await downloads.settled();
  return downloads.files[n] as Uint8Array;
}

/** Chooses a file in the Open input, as a person does. */
function openFile(root: HTMLElement, bytes: Uint8Array, name = 'run.rnn') {
  const input = within(root).getByLabelText('Open') as HTMLInputElement;
  const chosen = new DataTransfer();
  chosen.items.add(new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'application/zip' }));
  input.files = chosen.files;
  fireEvent.change(input);
}

/** Steps `n` whole epochs with the Step button (each waits for the epoch counter). */
async function stepEpochs(root: HTMLElement, n: number) {
  for (let i = 0; i < n; i++) {
    const epoch = value(root, 'epoch');
    const step = within(root).getByTestId('step') as HTMLButtonElement;
    await until(() => !step.disabled, 60_000, 'the Step button');
    fireEvent.click(step);
    await until(() => value(root, 'epoch') === epoch + 1, 60_000, `epoch ${epoch + 1}`);
  }
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
/** model.json without the one thing two saves of the same model differ in: when they were made. */
const withoutTime = (bytes: Uint8Array | undefined) => {
  const model = JSON.parse(text(bytes));
  delete model.meta.savedAt;
  return model;
};
const trainerJson = (file: Uint8Array) =>
  JSON.parse(text(unzipFiles(file, 'test')['trainer.json'])) as {
    json: { epoch: number; step: number; history: { loss: number[] }; loss: string };
  };

describe('<Playground>', () => {
  it('trains, takes live edits and returns the tensor count to its start on unmount (StrictMode)', async () => {
    await tf.setBackend('cpu');
    await settle();
    const start = tf.memory().numTensors;
    const view = render(
      <StrictMode>
        <Playground urlState={false} backend="cpu" />
      </StrictMode>,
    );
    const root = view.getByTestId('playground');
    const network = () => root.querySelector<HTMLElement>('.rnn-network');
    await until(() => Number(network()?.dataset.draws ?? 0) > 0, 60_000, 'the first draw');
    const play = view.getByTestId('play');
    await until(() => !(play as HTMLButtonElement).disabled, 60_000, 'a trainer');
    fireEvent.click(play);
    await until(() => value(root, 'epoch') > 5, 60_000, 'epochs');
    // Live edits while playing: a neuron more, then a feature (a new input size: trainer hand-over).
    fireEvent.click(view.getByRole('button', { name: 'Add a neuron to layer 1' }));
    await until(() => root.querySelectorAll('canvas.rnn-neuron').length === 2 + 5 + 2 + 1, 60_000, 'the new neuron');
    fireEvent.click(view.getByRole('checkbox', { name: 'x₁x₂' }));
    await until(() => root.querySelectorAll('canvas.rnn-neuron').length === 3 + 5 + 2 + 1, 60_000, 'the new input');
    const epoch = value(root, 'epoch');
    await until(() => value(root, 'epoch') > epoch, 60_000, 'training after the edits');
    expect((view.getByTestId('jsx') as HTMLTextAreaElement).value).toContain('inputShape={[3]}');
    fireEvent.click(play);
    // Initialising to zero starts again from zero weights: every link shows 0.
    fireEvent.click(view.getByRole('checkbox', { name: 'Initialize weights to zero' }));
    await until(
      () => [...root.querySelectorAll('path.rnn-link')].every((l) => Number(l.getAttribute('data-weight')) === 0),
      60_000,
      'zero weights',
    );
    expect(value(root, 'epoch')).toBe(0);
    // Step trains one whole epoch (TF Playground's step), Reset goes back to epoch 0.
    fireEvent.click(view.getByTestId('step'));
    await until(() => value(root, 'epoch') === 1, 60_000, 'one epoch');
    await settle(100);
    expect(value(root, 'epoch')).toBe(1);
    fireEvent.click(view.getByTestId('reset'));
    await until(() => value(root, 'epoch') === 0, 60_000, 'reset');
    view.unmount();
    // The model is freed after a deferral (a StrictMode remount could take it back).
    await until(() => tf.memory().numTensors <= start, 30_000, 'tensors freed');
    expect(tf.memory().numTensors).toBe(start);
  });

  it('on a software WebGL renderer (SwiftShader here) the views run on the CPU; a backend prop still wins', async () => {
    // This Chromium's WebGL is SwiftShader, a software renderer (TOOLCHAIN.md): read it as the page does.
    const gl = document.createElement('canvas').getContext('webgl2') as WebGL2RenderingContext;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    expect(renderer).toMatch(/swiftshader/i);
    expect(isSoftwareWebGL()).toBe(true);
    await tf.setBackend('cpu');
    await settle();
    const start = tf.memory().numTensors;
    await tf.setBackend('webgl');
    const summary = (root: HTMLElement) => root.querySelector<HTMLElement>('.rnn-network');
    const auto = render(<Playground urlState={false} />);
    await until(() => Number(summary(auto.getByTestId('playground'))?.dataset.draws ?? 0) > 0, 60_000, 'a first draw');
    expect(tf.getBackend()).toBe('cpu');
    auto.unmount();
    const chosen = render(<Playground urlState={false} backend="webgl" />);
    await until(
      () => Number(summary(chosen.getByTestId('playground'))?.dataset.draws ?? 0) > 0,
      60_000,
      'a first draw',
    );
    expect(tf.getBackend()).toBe('webgl');
    chosen.unmount();
    // Both models are freed after a deferral (a StrictMode remount could take them back): wait, so the
    // next test starts from a clean count.
    await until(() => tf.memory().numTensors <= start, 30_000, 'tensors freed');
    expect(tf.memory().numTensors).toBe(start);
    await tf.setBackend('cpu');
  });

  it('Open continues a run saved while paused (epoch, loss history, the next epoch bit for bit, Adam); a misfit or a file saved while running starts afresh', async () => {
    await tf.setBackend('cpu');
    await settle();
    const start = tf.memory().numTensors;
    const downloads = captureDownloads();
    try {
      // Page A: an Adam run of three epochs, saved paused; then one epoch more.
      const a = render(
        <StrictMode>
          <Playground
            urlState={false}
            backend="cpu"
            initialState={{ optimizer: 'adam', learningRate: 0.01, networkShape: [5, 3], seed: 7, batchSize: 7 }}
          />
        </StrictMode>,
      );
      const rootA = a.getByTestId('playground');
      await stepEpochs(rootA, 3);
      const atThree = await save(rootA, downloads);
      const saved = trainerJson(atThree).json;
      expect(saved.epoch).toBe(3);
      expect(saved.history.loss).toHaveLength(3);
      await stepEpochs(rootA, 1);
      const straight = unzipFiles(await save(rootA, downloads), 'test');
      a.unmount();

      // Page B: other settings (SGD, another network and seed); opens the file saved at epoch 3.
      const b = render(
        <StrictMode>
          <Playground urlState={false} backend="cpu" />
        </StrictMode>,
      );
      const rootB = b.getByTestId('playground');
      await until(() => !(within(rootB).getByTestId('step') as HTMLButtonElement).disabled, 60_000, 'a trainer');
      await stepEpochs(rootB, 1);
      openFile(rootB, atThree);
      await until(
        () => (within(rootB).getByLabelText('Optimizer') as HTMLSelectElement).value === 'adam',
        60_000,
        'the file’s settings',
      );
      // The file's run, not a fresh one: its epoch, its last loss, its loss curve.
      await until(() => value(rootB, 'epoch') === 3, 60_000, 'the saved epoch');
      expect(value(rootB, 'train-loss')).toBe(saved.history.loss[2]);
      const curve = rootB.querySelector<HTMLElement>('.rnn-pg-loss [data-samples]');
      await until(() => curve?.dataset.samples === '3', 30_000, 'the saved loss curve');
      await settle(200);
      // Nothing started it over after it resumed (the weights' fresh start comes before it).
      expect(value(rootB, 'epoch')).toBe(3);
      await stepEpochs(rootB, 1);
      const resumed = unzipFiles(await save(rootB, downloads), 'test');
      // Epoch 4 after Open is epoch 4 of the uninterrupted run: weights, Adam slots and step counts,
      // history, epoch order — and the page state — to the bit.
      expect(Object.keys(resumed).sort()).toEqual(Object.keys(straight).sort());
      for (const name of Object.keys(straight)) {
        if (name === 'model.json') expect(withoutTime(resumed[name])).toEqual(withoutTime(straight[name]));
        else expect([name, resumed[name]]).toEqual([name, straight[name]]);
      }
      expect(JSON.parse(text(resumed['trainer.json'])).json.epoch).toBe(4);

      // A hand-edited run that does not fit (another loss): a fresh run from the file's weights, and the notice says why.
      const edited = unzipFiles(atThree, 'test');
      const state = JSON.parse(text(edited['trainer.json']));
      state.json.loss = 'mae';
      edited['trainer.json'] = new TextEncoder().encode(JSON.stringify(state));
      openFile(rootB, zipFiles(edited));
      await until(
        () => /cannot be continued/.test(within(rootB).queryByText(/Playground > Open/)?.textContent ?? ''),
        60_000,
        'the notice',
      );
      const notice = within(rootB).getByText(/Playground > Open/).textContent ?? '';
      expect(notice).toContain('the run trained with loss "mae", this trainer has "mse"');
      expect(notice).toContain("training starts afresh from the file's weights");
      await until(() => value(rootB, 'epoch') === 0, 30_000, 'a fresh run');
      const fresh = unzipFiles(await save(rootB, downloads), 'test');
      expect(fresh['weights.safetensors']).toEqual(unzipFiles(atThree, 'test')['weights.safetensors']);
      expect(JSON.parse(text(fresh['trainer.json'])).json.epoch).toBe(0);

      // A file saved while training ran holds the weights only: Open starts a fresh run from them, as before.
      const play = within(rootB).getByTestId('play');
      fireEvent.click(play);
      await until(() => value(rootB, 'epoch') > 2, 60_000, 'training');
      const running = await save(rootB, downloads);
      fireEvent.click(play);
      expect(unzipFiles(running, 'test')['trainer.json']).toBeUndefined();
      openFile(rootB, running);
      await until(() => value(rootB, 'epoch') === 0, 60_000, 'a fresh run');
      await settle(200);
      const idle = unzipFiles(await save(rootB, downloads), 'test');
      expect(idle['weights.safetensors']).toEqual(unzipFiles(running, 'test')['weights.safetensors']);
      expect(JSON.parse(text(idle['trainer.json'])).json.epoch).toBe(0);
      b.unmount();
    } finally {
      downloads.stop();
    }
    await until(() => tf.memory().numTensors <= start, 30_000, 'tensors freed');
    expect(tf.memory().numTensors).toBe(start);
  });
});
