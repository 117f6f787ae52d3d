// The signed colour rule of the heatmaps: one formula for a single colour and for a whole image.
import { describe, expect, it } from 'vitest';
import { signedColor, writeSignedColor } from '../heatmap';
import type { RGB } from '../theme';

const colors = { bg: [255, 255, 255] as RGB, neg: [0, 114, 178] as RGB, pos: [230, 159, 0] as RGB };

describe('signed colours', () => {
  it('−1, 0 and 1 are the negative colour, the background and the positive colour; halfway is the midpoint', () => {
    expect(signedColor(-1, colors.bg, colors.neg, colors.pos)).toEqual(colors.neg);
    expect(signedColor(0, colors.bg, colors.neg, colors.pos)).toEqual(colors.bg);
    expect(signedColor(1, colors.bg, colors.neg, colors.pos)).toEqual(colors.pos);
    expect(signedColor(0.5, colors.bg, colors.neg, colors.pos)).toEqual([242.5, 207, 127.5]);
    expect(signedColor(-0.5, colors.bg, colors.neg, colors.pos)).toEqual([127.5, 184.5, 216.5]);
  });

  it('clamps beyond ±1 and draws a non-finite value as the background', () => {
    expect(signedColor(7, colors.bg, colors.neg, colors.pos)).toEqual(colors.pos);
    expect(signedColor(-7, colors.bg, colors.neg, colors.pos)).toEqual(colors.neg);
    expect(signedColor(Number.NaN, colors.bg, colors.neg, colors.pos)).toEqual(colors.bg);
  });

  it('an image buffer gets the same values, rounded as a canvas stores them, at the offset given', () => {
    const data = new Uint8ClampedArray(8);
    writeSignedColor(data, 4, 0.5, colors);
    // Uint8ClampedArray rounds half to even: 242.5 → 242, 127.5 → 128.
    expect(Array.from(data)).toEqual([0, 0, 0, 0, 242, 207, 128, 0]);
  });
});
