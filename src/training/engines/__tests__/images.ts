// Seeded toy images for the CNN engine tests (fused-cpu, fused-webgpu in Node and Chromium).
import type { Dataset } from '../../../data/dataset';
import { fromArrays } from '../../../data/fromArrays';
import { createRng } from '../../../random';

/** n seeded images h×w×c with 3 classes that depend on where the bright pixels are. */
export function images(n: number, h = 8, w = 8, c = 1, seed = 11): Dataset {
  const rng = createRng(seed);
  const data = new Float32Array(n * h * w * c);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const cls = i % 3;
    for (let p = 0; p < h * w * c; p++) {
      const row = Math.floor(p / (w * c));
      const bright = Math.floor((row * 3) / h) === cls ? 1 : 0;
      data[i * h * w * c + p] = bright + (rng() - 0.5) * 0.8;
    }
    y.push(cls);
  }
  return fromArrays({ x: { data, shape: [n, h, w, c] }, y, task: 'multiclass' });
}
