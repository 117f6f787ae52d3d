// Every bad input throws one ReactNNError that names the layer path, what was wrong, what was
// received and what to do.
import { describe, expect, it } from 'vitest';
import { analyze, el, errorOf, seq } from './util';

const fails = (layers: ReturnType<typeof el>[], input: number[]) => errorOf(() => analyze(seq(...layers), input));

describe('prop validation', () => {
  it('negative kernelSize', () => {
    const e = fails([el('Conv2d', { outChannels: 8, kernelSize: -1 })], [5, 5, 1]);
    expect(e.code).toBe('prop');
    expect(e.path).toBe('Sequential > Conv2d[0]');
    expect(e.message).toMatch(/^Sequential > Conv2d\[0\]: kernelSize must be a positive integer/);
    expect(e.message).toContain('(got -1)');
  });

  it('Dropout p outside [0, 1)', () => {
    for (const p of [1, -0.1, 1.5]) {
      const e = fails([el('Linear', { outFeatures: 2 }), el('Dropout', { p })], [2]);
      expect(e.path).toBe('Sequential > Dropout[0]');
      expect(e.message).toBe(`Sequential > Dropout[0]: p must be a probability in [0, 1) (got ${p})`);
    }
  });

  it('non-integer and missing outFeatures', () => {
    const e = fails([el('Linear', { outFeatures: 2.5 })], [2]);
    expect(e.message).toBe('Sequential > Linear[0]: outFeatures must be a positive integer (got 2.5)');
    const missing = fails([el('Linear')], [2]);
    expect(missing.message).toContain('outFeatures is required');
  });

  it('unknown prop names the valid ones', () => {
    const e = fails([el('Linear', { outFeatures: 2, units: 3 })], [2]);
    expect(e.code).toBe('prop');
    expect(e.message).toContain('<Linear> has no prop "units"');
    expect(e.message).toContain('outFeatures');
    // Layers without weights do not take weightInit
    expect(fails([el('ReLU', { weightInit: 0.5 })], [2]).message).toContain('has no prop "weightInit"');
  });

  it('biasInit with bias={false}', () => {
    const e = fails([el('Linear', { outFeatures: 2, bias: false, biasInit: 0 })], [2]);
    expect(e.message).toContain('bias={false}');
  });

  it('dilation > 1 with stride > 1 (unsupported by tfjs)', () => {
    const e = fails([el('Conv2d', { outChannels: 2, kernelSize: 3, dilation: 2, stride: 2 })], [9, 9, 1]);
    expect(e.path).toBe('Sequential > Conv2d[0]');
    expect(e.message).toContain('not supported by TensorFlow.js');
    expect(e.message).toContain('stride 2, dilation 2');
  });

  it('pool padding larger than half the kernel', () => {
    const e = fails([el('MaxPool2d', { kernelSize: 2, padding: 2 })], [4, 4, 1]);
    expect(e.path).toBe('Sequential > MaxPool2d[0]');
    expect(e.message).toContain('padding must be at most half of kernelSize');
    expect(e.message).toContain('got padding 2 with kernelSize 2');
  });

  it('empty Sequential', () => {
    const e = errorOf(() => analyze(seq(), [2]));
    expect(e.code).toBe('structure');
    expect(e.message).toContain('<Sequential> needs at least one layer');
  });
});

describe('shape errors', () => {
  it('Linear after Conv2d names both shapes and the Flatten fix', () => {
    const e = fails(
      [el('Conv2d', { outChannels: 8, kernelSize: 3, stride: 2 }), el('Linear', { outFeatures: 10 })],
      [28, 28, 1],
    );
    expect(e.code).toBe('shape');
    expect(e.path).toBe('Sequential > Linear[0]');
    expect(e.message).toContain('Linear expects [features]');
    expect(e.message).toContain('gets [13, 13, 8]');
    expect(e.message).toContain('insert <Flatten /> before this Linear');
    expect(e.message).toContain('[1352]');
  });

  it('kernel larger than its input', () => {
    const e = fails([el('Conv2d', { outChannels: 2, kernelSize: 5 })], [3, 3, 1]);
    expect(e.code).toBe('shape');
    expect(e.message).toContain('kernel 5×5 is larger than its input 3×3');
    // With padding the padded size is named; here 3 + 2 = 5 fits a 5×5 kernel
    expect(analyze(seq(el('Conv2d', { outChannels: 2, kernelSize: 5, padding: 1 })), [3, 3, 1]).outputShape).toEqual([
      1, 1, 2,
    ]);
    const dilated = fails([el('Conv2d', { outChannels: 2, kernelSize: 3, dilation: 3, padding: 1 })], [4, 4, 1]);
    expect(dilated.message).toContain('kernel 3×3 (dilated to 7×7) is larger than its input 4×4 (6×6 after padding)');
    const pool = fails([el('MaxPool2d', { kernelSize: 3 })], [2, 2, 1]);
    expect(pool.message).toContain('pooling window 3×3 is larger than its input 2×2');
  });

  it('Conv2d needs NHWC rank 3', () => {
    const e = fails([el('Conv2d', { outChannels: 2, kernelSize: 3 })], [784]);
    expect(e.code).toBe('shape');
    expect(e.message).toContain('expects an image [height, width, channels] (NHWC');
    expect(e.message).toContain('gets [784]');
    expect(fails([el('MaxPool2d', { kernelSize: 2 })], [28, 28]).message).toContain('[28, 28, 1]');
  });

  it('Softmax dim out of range, and over the batch', () => {
    const e = fails([el('Softmax', { dim: 2 })], [4]);
    expect(e.path).toBe('Sequential > Softmax[0]');
    expect(e.message).toContain('dim 2 is out of range for input [4] (rank 2 with the batch dimension)');
    expect(fails([el('Softmax', { dim: -3 })], [4]).message).toContain('out of range');
    expect(fails([el('Softmax', { dim: 0 })], [4]).message).toContain(
      'softmax over the batch dimension is almost never wanted',
    );
    expect(fails([el('Softmax', { dim: -2 })], [4]).message).toContain('batch dimension');
    expect(fails([el('Softmax', { dim: 1.5 })], [4]).message).toContain('dim must be an integer');
  });

  it('PReLU numParameters neither 1 nor C', () => {
    const e = fails([el('PReLU', { numParameters: 3 })], [13, 13, 8]);
    expect(e.code).toBe('shape');
    expect(e.message).toContain('numParameters must be 1 (one shared slope) or the channel count 8');
    expect(e.message).toContain('(got 3)');
  });

  it('BatchNorm numFeatures mismatch and wrong rank', () => {
    const e = fails([el('BatchNorm2d', { numFeatures: 16 })], [13, 13, 8]);
    expect(e.code).toBe('shape');
    expect(e.path).toBe('Sequential > BatchNorm2d[0]');
    expect(e.message).toContain('numFeatures is 16 but the input has 8 channels');
    expect(e.message).toContain('numFeatures={8}');
    expect(fails([el('BatchNorm1d')], [4, 4, 3]).message).toContain('use <BatchNorm2d>');
    expect(fails([el('BatchNorm2d')], [4]).code).toBe('shape');
  });
});
