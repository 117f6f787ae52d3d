// Symbolic tests, like tfjs-layers' "Layer: Symbolic": shapes and parameter counts from the
// analyser alone — no tfjs backend involved.
import { describe, expect, it } from 'vitest';
import { analyze, el, outShape, seq } from './util';

describe('output shapes', () => {
  it('Conv2d follows PyTorch ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1', () => {
    const conv = (props: Record<string, unknown>) => el('Conv2d', { outChannels: 4, kernelSize: 3, ...props });
    // (5 + 2 − 2 − 1)/2 + 1 = 3
    expect(outShape(conv({ padding: 1, stride: 2 }), [5, 5, 1])).toEqual([3, 3, 4]);
    // No padding: 5 − 3 + 1 = 3
    expect(outShape(conv({}), [5, 5, 1])).toEqual([3, 3, 4]);
    expect(outShape(conv({ padding: 'valid' }), [5, 5, 1])).toEqual([3, 3, 4]);
    // Dilation 2: effective kernel 5, so 7 − 5 + 1 = 3; with padding 2: 7 + 4 − 5 + 1 = 7
    expect(outShape(conv({ dilation: 2 }), [7, 7, 2])).toEqual([3, 3, 4]);
    expect(outShape(conv({ dilation: 2, padding: 2 }), [7, 7, 2])).toEqual([7, 7, 4]);
    // 'same': ⌈H / s⌉
    expect(outShape(conv({ padding: 'same' }), [5, 5, 1])).toEqual([5, 5, 4]);
    expect(outShape(conv({ padding: 'same', stride: 2 }), [5, 6, 1])).toEqual([3, 3, 4]);
    // Pairs: kernel [3, 1], padding [1, 0], stride [1, 2] on 5×5 → [5, 3]
    expect(outShape(conv({ kernelSize: [3, 1], padding: [1, 0], stride: [1, 2] }), [5, 5, 1])).toEqual([5, 3, 4]);
    // Stride that does not divide: (28 − 3)/2 + 1 = 13
    expect(outShape(conv({ stride: 2 }), [28, 28, 1])).toEqual([13, 13, 4]);
  });

  it('MaxPool2d and AvgPool2d, with and without padding', () => {
    for (const type of ['MaxPool2d', 'AvgPool2d']) {
      // stride defaults to kernelSize
      expect(outShape(el(type, { kernelSize: 2 }), [4, 4, 3])).toEqual([2, 2, 3]);
      // ceil_mode=False drops the partial window: ⌊(5 − 2)/2⌋ + 1 = 2
      expect(outShape(el(type, { kernelSize: 2 }), [5, 5, 3])).toEqual([2, 2, 3]);
      // (5 + 2 − 3)/2 + 1 = 3
      expect(outShape(el(type, { kernelSize: 3, stride: 2, padding: 1 }), [5, 5, 3])).toEqual([3, 3, 3]);
      // (4 − 2)/1 + 1 = 3
      expect(outShape(el(type, { kernelSize: 2, stride: 1 }), [4, 4, 1])).toEqual([3, 3, 1]);
      expect(outShape(el(type, { kernelSize: [2, 1] }), [4, 4, 1])).toEqual([2, 4, 1]);
    }
  });

  it('Flatten, Linear on [T, F], and shape-preserving layers', () => {
    expect(outShape(el('Flatten'), [13, 13, 8])).toEqual([1352]);
    expect(outShape(el('Flatten'), [4])).toEqual([4]);
    expect(outShape(el('Linear', { outFeatures: 8 }), [2])).toEqual([8]);
    expect(outShape(el('Linear', { outFeatures: 8 }), [5, 3])).toEqual([5, 8]);
    for (const type of [
      'ReLU',
      'Sigmoid',
      'Tanh',
      'GELU',
      'ELU',
      'LeakyReLU',
      'PReLU',
      'Softmax',
      'BentIdentity',
      'Identity',
      'Dropout',
    ]) {
      expect(outShape(el(type), [4, 4, 3])).toEqual([4, 4, 3]);
    }
    expect(outShape(el('BatchNorm1d'), [10, 4])).toEqual([10, 4]);
    expect(outShape(el('BatchNorm2d', { numFeatures: 3 }), [4, 4, 3])).toEqual([4, 4, 3]);
  });

  it('a small CNN chains through nested Sequentials', () => {
    const net = seq(
      seq(el('Conv2d', { outChannels: 8, kernelSize: 3 }), el('ReLU'), el('MaxPool2d', { kernelSize: 2 })),
      el('Flatten'),
      el('Linear', { outFeatures: 10 }),
      el('Softmax'),
    );
    // 28 → 26 (conv) → 13 (pool); 13·13·8 = 1352
    const g = analyze(net, [28, 28, 1]);
    expect(g.outputShape).toEqual([10]);
    expect(g.root.children[0]?.outputShape).toEqual([13, 13, 8]);
    expect(g.root.children[1]?.outputShape).toEqual([1352]);
  });
});

describe('parameter counts equal PyTorch sum(p.numel() for p in m.parameters())', () => {
  const own = (layer: ReturnType<typeof el>, input: number[]) => {
    const g = analyze(seq(layer), input);
    return g.root.children[0]?.params;
  };

  it('Linear', () => {
    // nn.Linear(2, 8): 2·8 + 8 = 24
    expect(own(el('Linear', { outFeatures: 8 }), [2])).toEqual({ trainable: 24, nonTrainable: 0 });
    // nn.Linear(2, 8, bias=False): 16
    expect(own(el('Linear', { outFeatures: 8, bias: false }), [2])).toEqual({ trainable: 16, nonTrainable: 0 });
    // On [T, F] the weights do not depend on T
    expect(own(el('Linear', { outFeatures: 8 }), [5, 2])).toEqual({ trainable: 24, nonTrainable: 0 });
  });

  it('Conv2d', () => {
    // nn.Conv2d(3, 8, 3): 8·3·3·3 + 8 = 224
    expect(own(el('Conv2d', { outChannels: 8, kernelSize: 3 }), [5, 5, 3])).toEqual({
      trainable: 224,
      nonTrainable: 0,
    });
    // bias=False: 216
    expect(own(el('Conv2d', { outChannels: 8, kernelSize: 3, bias: false }), [5, 5, 3])?.trainable).toBe(216);
    // nn.Conv2d(2, 4, (3, 5)): 4·2·15 + 4 = 124; padding and stride change nothing
    expect(own(el('Conv2d', { outChannels: 4, kernelSize: [3, 5], padding: 2, stride: 2 }), [9, 9, 2])?.trainable).toBe(
      124,
    );
  });

  it('BatchNorm: 2C parameters + 2C buffers', () => {
    // nn.BatchNorm2d(8): weight 8 + bias 8; running_mean 8 + running_var 8
    expect(own(el('BatchNorm2d'), [4, 4, 8])).toEqual({ trainable: 16, nonTrainable: 16 });
    expect(own(el('BatchNorm1d', { numFeatures: 4 }), [4])).toEqual({ trainable: 8, nonTrainable: 8 });
    expect(own(el('BatchNorm1d', { affine: false }), [3, 4])).toEqual({ trainable: 0, nonTrainable: 8 });
  });

  it('PReLU: numParameters', () => {
    expect(own(el('PReLU'), [13, 13, 8])).toEqual({ trainable: 1, nonTrainable: 0 });
    expect(own(el('PReLU', { numParameters: 8 }), [13, 13, 8])).toEqual({ trainable: 8, nonTrainable: 0 });
  });

  it('layers without weights count 0', () => {
    for (const layer of [
      el('ReLU'),
      el('LeakyReLU'),
      el('ELU'),
      el('GELU'),
      el('Sigmoid'),
      el('Tanh'),
      el('Softmax'),
      el('BentIdentity'),
      el('Identity'),
      el('Dropout'),
      el('Flatten'),
      el('MaxPool2d', { kernelSize: 2 }),
      el('AvgPool2d', { kernelSize: 2, padding: 1 }),
    ]) {
      expect(own(layer, [4, 4, 3])).toEqual({ trainable: 0, nonTrainable: 0 });
    }
  });

  it('totals, and trainable={false} moves parameters to non-trainable', () => {
    const net = seq(
      el('Conv2d', { outChannels: 8, kernelSize: 3 }),
      el('BatchNorm2d'),
      el('Flatten'),
      el('Linear', { outFeatures: 2, trainable: false }),
    );
    // 224 + (16 + 16) + (3·3·8·2 + 2 = 146)
    const g = analyze(net, [5, 5, 3]);
    expect(g.totalParams).toBe(224 + 32 + 146);
    expect(g.trainableParams).toBe(224 + 16);
  });
});
