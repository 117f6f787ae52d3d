/**
 * Signed heatmaps shared by NetworkView and BoundaryTimeline: values in [−1, 1] drawn between the
 * theme's negative colour, its background and its positive colour (TF Playground's look).
 */
import { mix, parseColor, type RGB, type VizTheme } from './theme';

/** The three colours of a signed heatmap, from a theme. */
export function signedPalette(theme: VizTheme): { bg: RGB; neg: RGB; pos: RGB } {
  return { bg: parseColor(theme.bg), neg: parseColor(theme.neg), pos: parseColor(theme.pos) };
}

/** A colour for a value in [−1, 1] between the negative colour, the background and the positive colour. */
export function signedColor(v: number, bg: RGB, neg: RGB, pos: RGB): RGB {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  return t >= 0 ? mix(bg, pos, t) : mix(bg, neg, -t);
}

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
  const image = ctx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    let v = values[i * cols + col] as number;
    if (discretize) v = v >= 0 ? 1 : -1;
    const [r, g, b] = signedColor(v, colors.bg, colors.neg, colors.pos);
    image.data[i * 4] = r;
    image.data[i * 4 + 1] = g;
    image.data[i * 4 + 2] = b;
    image.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}
