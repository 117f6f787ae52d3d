/**
 * Signed heatmaps shared by NetworkView and BoundaryTimeline: values in [−1, 1] drawn between the
 * theme's negative colour, its background and its positive colour (TF Playground's look).
 */
import { parseColor, type RGB, type VizTheme } from './theme';

/** The three colours of a signed heatmap, from a theme. */
export function signedPalette(theme: VizTheme): { bg: RGB; neg: RGB; pos: RGB } {
  return { bg: parseColor(theme.bg), neg: parseColor(theme.neg), pos: parseColor(theme.pos) };
}

/**
 * Writes the colour of `v` in [−1, 1] — between the negative colour, the background and the positive
 * colour — as r, g, b at `out[at]`, `out[at + 1]`, `out[at + 2]`. The one rule of a signed colour:
 * heatmaps call it per cell without allocating, `signedColor` for one colour.
 */
export function writeSignedColor(
  out: { [i: number]: number },
  at: number,
  v: number,
  colors: { bg: RGB; neg: RGB; pos: RGB },
): void {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const { bg } = colors;
  const to = t >= 0 ? colors.pos : colors.neg;
  const s = Math.abs(t);
  out[at] = bg[0] + (to[0] - bg[0]) * s;
  out[at + 1] = bg[1] + (to[1] - bg[1]) * s;
  out[at + 2] = bg[2] + (to[2] - bg[2]) * s;
}

/** A colour for a value in [−1, 1] between the negative colour, the background and the positive colour. */
export function signedColor(v: number, bg: RGB, neg: RGB, pos: RGB): RGB {
  const out: RGB = [0, 0, 0];
  writeSignedColor(out, 0, v, { bg, neg, pos });
  return out;
}

/** Each canvas's last image buffer: a view repainting many times a second reuses it instead of allocating. */
const images = new WeakMap<HTMLCanvasElement, ImageData>();

/** Paints column `col` of a cells × cols matrix as an n × n image. */
export function paintSigned(
  canvas: HTMLCanvasElement | null,
  values: Float32Array,
  col: number,
  cols: number,
  n: number,
  colors: { bg: RGB; neg: RGB; pos: RGB },
  discretize = false,
) {
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx) return;
  if (canvas.width !== n) canvas.width = n;
  if (canvas.height !== n) canvas.height = n;
  let image = images.get(canvas);
  if (image?.width !== n || image.height !== n) {
    image = ctx.createImageData(n, n);
    images.set(canvas, image);
  }
  const data = image.data;
  for (let i = 0; i < n * n; i++) {
    let v = values[i * cols + col] as number;
    if (discretize) v = v >= 0 ? 1 : -1;
    writeSignedColor(data, i * 4, v, colors);
    data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}
