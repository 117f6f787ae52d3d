// The state_dict mapping without PyTorch: keys, layouts both ways, the NCHW flatten order, and what
// train.py is written from (these are the pure parts; the *Export/*Import/*Train tests run PyTorch).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '../../data/index';
import { BatchNorm1d, Conv2d, Flatten, GRU, Linear, ReLU, Sequential } from '../../layers/index';
import { renderModel } from '../../react/renderModel';
import { selectBackend } from '../../runtime/backend';
import { earlyStopping, lrSchedule } from '../../training/callbacks';
import { stepLR } from '../../training/schedules';
import { createTrainer } from '../../training/trainer';
import { exportPyTorch } from '../pytorch/exportPyTorch';
import { fromTorch, type Layout, nchwToNhwcOrder, torchLayout, toTorch } from '../pytorch/names';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('PyTorch names and layouts', () => {
  it('numbers children as nn.Sequential does, uses name props as prefixes, and nests', async () => {
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={4} />
        <ReLU />
        <Sequential name="block">
          <Linear outFeatures={4} bias={false} />
          <BatchNorm1d />
        </Sequential>
        <Linear name="head" outFeatures={2} />
      </Sequential>,
      { inputShape: [3], backend: 'cpu', seed: 1 },
    );
    const layout = torchLayout(net.net.graph!, net.model);
    expect(layout.tensors.map((t) => `${t.key} [${t.shape.join(', ')}]`)).toEqual([
      '0.weight [4, 3]',
      '0.bias [4]',
      'block.0.weight [4, 4]',
      'block.1.weight [4]',
      'block.1.bias [4]',
      'block.1.running_mean [4]',
      'block.1.running_var [4]',
      'block.1.num_batches_tracked []',
      'head.weight [2, 4]',
      'head.bias [2]',
    ]);
    net.dispose();
  });

  it('a root layer that is not a Sequential is the model’s child 0; names that are not identifiers are refused', async () => {
    const net = await renderModel(<GRU hiddenSize={2} />, { inputShape: [3, 2], backend: 'cpu', seed: 1 });
    expect(torchLayout(net.net.graph!, net.model).tensors.map((t) => t.key)).toEqual([
      '0.weight_ih_l0',
      '0.weight_hh_l0',
      '0.bias_ih_l0',
      '0.bias_hh_l0',
    ]);
    net.dispose();
    const dotted = await renderModel(
      <Sequential>
        <Linear name="enc.out" outFeatures={2} />
      </Sequential>,
      { inputShape: [3], backend: 'cpu', seed: 1 },
    );
    await expect(exportPyTorch(dotted)).rejects.toThrow(
      /Sequential > Linear\(enc\.out\): name "enc\.out" cannot be a PyTorch attribute/,
    );
    dotted.dispose();
  });

  it('orders a flattened NHWC map as PyTorch flattens NCHW, and permutes the next Linear only', async () => {
    // [h=1, w=2, c=2]: NCHW order (c0w0, c0w1, c1w0, c1w1) reads NHWC elements 0, 2, 1, 3.
    expect(Array.from(nchwToNhwcOrder(1, 2, 2))).toEqual([0, 2, 1, 3]);
    const net = await renderModel(
      <Sequential>
        <Conv2d outChannels={2} kernelSize={1} />
        <Flatten />
        <ReLU />
        <Linear outFeatures={3} />
        <Linear outFeatures={1} />
      </Sequential>,
      { inputShape: [1, 2, 1], backend: 'cpu', seed: 1 },
    );
    const [, , first, , second] = torchLayout(net.net.graph!, net.model).tensors;
    expect(first?.layout.kind === 'linear' && Array.from(first.layout.order ?? [])).toEqual([0, 2, 1, 3]);
    expect(second?.layout.kind === 'linear' && second.layout.order).toBeNull();
    net.dispose();
  });

  it('toTorch and fromTorch are inverse for every layout, and transpose as PyTorch lays weights out', () => {
    const layouts: Layout[] = [
      { kind: 'same' },
      { kind: 'linear', inFeatures: 4, outFeatures: 3, order: nchwToNhwcOrder(1, 2, 2) },
      { kind: 'conv', kh: 2, kw: 3, inC: 2, outC: 2 },
      { kind: 'vector', order: nchwToNhwcOrder(2, 1, 2) },
    ];
    const sizes = [5, 12, 24, 4];
    layouts.forEach((layout, i) => {
      const values = Float32Array.from({ length: sizes[i] as number }, (_v, k) => k * 1.5 - 3);
      expect(Array.from(fromTorch(layout, toTorch(layout, values)))).toEqual(Array.from(values));
    });
    // tfjs kernel [in=2, out=3] → PyTorch weight [out=3, in=2]: the transpose.
    const kernel = Float32Array.of(1, 2, 3, 4, 5, 6);
    expect(Array.from(toTorch({ kind: 'linear', inFeatures: 2, outFeatures: 3, order: null }, kernel))).toEqual([
      1, 4, 2, 5, 3, 6,
    ]);
    // tfjs conv kernel [kh=1, kw=1, in=2, out=2] → PyTorch [out, in, 1, 1]: the transpose of [in, out].
    expect(Array.from(toTorch({ kind: 'conv', kh: 1, kw: 1, inC: 2, outC: 2 }, Float32Array.of(1, 2, 3, 4)))).toEqual([
      1, 3, 2, 4,
    ]);
  });
});

describe('train.py is the trainer’s settings', () => {
  it('writes the loss, optimizer, schedule and early stopping the trainer uses; refuses a custom loss', async () => {
    const start = tf.memory().numTensors;
    const net = await renderModel(
      <Sequential>
        <Linear outFeatures={3} />
      </Sequential>,
      { inputShape: [2], backend: 'cpu', seed: 1 },
    );
    const data = datasets.spiral({ pointsPerClass: 20, classes: 3, seed: 1 });
    const trainer = createTrainer(net, {
      data,
      validationSplit: 0.25,
      loss: { type: 'crossEntropy', labelSmoothing: 0.1 },
      optimizer: { type: 'adamw', lr: 0.003, weightDecay: 0.02 },
      batchSize: 16,
      epochs: 12,
      seed: 9,
      regularization: { l2: 1e-4 },
      callbacks: [
        earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true }),
        lrSchedule(stepLR({ stepSize: 5, gamma: 0.5 })),
      ],
    });
    const files = await exportPyTorch(trainer);
    const code = files['train.py'] as string;
    for (const line of [
      'LOSS = nn.CrossEntropyLoss(label_smoothing=0.1)',
      'torch.optim.AdamW(params, lr=0.003, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.02)',
      'return StepLR(optimizer, step_size=5, gamma=0.5)',
      'EPOCHS = 12',
      'BATCH_SIZE = 16',
      'SEED = 9',
      'L1, L2 = 0, 0.0001',
      'EARLY_STOPPING = dict(monitor="val_loss", patience=3, min_delta=0, mode="auto", restore_best_weights=True)',
    ])
      expect(code).toContain(line);
    expect(Object.keys(files)).not.toContain('data.safetensors');
    trainer.setOptions({ loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.meanSquaredError(yTrue, yPred) });
    await expect(exportPyTorch(trainer)).rejects.toThrow(/custom loss function, which cannot be written as PyTorch/);
    trainer.dispose();
    data.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
