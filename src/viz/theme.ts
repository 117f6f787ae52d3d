/**
 * Colours of the viz components. CSS custom properties (theme.css) are the source of truth;
 * canvas drawing reads them with {@link readTheme}, falling back to the light defaults below
 * when theme.css is not loaded. Palettes are colour-blind safe: Okabe–Ito for classes and
 * series, viridis or cividis for sequential heatmaps, blue–orange for signed values.
 * @see https://jfly.uni-koeln.de/color/ (Okabe & Ito, "Color Universal Design")
 */

/** Okabe–Ito, ordered so that two classes get blue and orange (distinct in every colour-vision type). */
export const OKABE_ITO: readonly string[] = /* @__PURE__ */ Object.freeze([
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#D55E00', // vermillion
  '#F0E442', // yellow
  '#6b6b6b', // grey (Okabe–Ito's black, lifted so it reads on dark backgrounds too)
]);

/** viridis at 11 evenly spaced stops (matplotlib / viridisLite). */
export const VIRIDIS: readonly string[] = /* @__PURE__ */ Object.freeze([
  '#440154',
  '#482576',
  '#414487',
  '#35608D',
  '#2A788E',
  '#21908C',
  '#22A884',
  '#43BF71',
  '#7AD151',
  '#BBDF27',
  '#FDE725',
]);

/** cividis at 10 evenly spaced stops (viridisLite): readable with no red–green vision at all. */
export const CIVIDIS: readonly string[] = /* @__PURE__ */ Object.freeze([
  '#00204D',
  '#00336F',
  '#39486B',
  '#575C6D',
  '#707173',
  '#8A8779',
  '#A69D75',
  '#C4B56C',
  '#E4CF5B',
  '#FFEA46',
]);

/** Resolved colours for one element (what its CSS variables say). */
export interface VizTheme {
  bg: string;
  fg: string;
  muted: string;
  grid: string;
  train: string;
  val: string;
  /** Class colours, class id → colour. */
  classes: string[];
  /** Colour of negative values in signed views (kernels, weights). */
  neg: string;
  /** Colour of positive values in signed views. */
  pos: string;
  /** Sequential scale for heatmaps. */
  sequential: 'viridis' | 'cividis';
  /** Colour of errors and mistakes (misclassified points). */
  error: string;
  font: string;
}

/** Light theme defaults; theme.css repeats these values (a test keeps them equal). */
export const LIGHT: Readonly<VizTheme> = /* @__PURE__ */ Object.freeze({
  bg: '#ffffff',
  fg: '#1f2328',
  muted: '#59636e',
  grid: '#d1d9e0',
  train: '#0072B2',
  val: '#D55E00',
  classes: [...OKABE_ITO],
  neg: '#0072B2',
  pos: '#E69F00',
  sequential: 'viridis',
  error: '#b3261e',
  font: '12px system-ui, sans-serif',
});

/** Reads an element's theme from its CSS variables (`--rnn-bg`, `--rnn-class-0`, …). */
export function readTheme(el: Element | null): VizTheme {
  if (!el || typeof getComputedStyle !== 'function') return { ...LIGHT, classes: [...LIGHT.classes] };
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string) => cs.getPropertyValue(`--rnn-${name}`).trim() || fallback;
  return {
    bg: v('bg', LIGHT.bg),
    fg: v('fg', LIGHT.fg),
    muted: v('muted', LIGHT.muted),
    grid: v('grid', LIGHT.grid),
    train: v('train', LIGHT.train),
    val: v('val', LIGHT.val),
    classes: LIGHT.classes.map((c, i) => v(`class-${i}`, c)),
    neg: v('neg', LIGHT.neg),
    pos: v('pos', LIGHT.pos),
    sequential: v('sequential', LIGHT.sequential) === 'cividis' ? 'cividis' : 'viridis',
    error: v('error', LIGHT.error),
    font: `${v('font-size', '12px')} ${v('font-family', 'system-ui, sans-serif')}`,
  };
}

/** Bumped by anything that can change a theme (see `watchTheme`); a cached theme older than it is read again. */
let themeVersion = 0;
let watching = false;
const themeCache = new WeakMap<Element, { version: number; theme: VizTheme }>();

/**
 * Watches what can change a theme: the colour scheme, a `class` or `data-theme` attribute anywhere
 * in the page (`rnn-dark`, a site's own dark-mode class), and style sheets added, removed or edited
 * in `<head>`.
 */
function watchTheme(): void {
  if (watching || typeof document === 'undefined' || typeof MutationObserver !== 'function') return;
  watching = true;
  const bump = () => {
    themeVersion++;
  };
  new MutationObserver(bump).observe(document.documentElement, {
    subtree: true,
    attributes: true,
    attributeFilter: ['class', 'data-theme'],
  });
  // Style sheets live in <head> (React hoists <style precedence> there): watch it alone, since
  // watching the whole document would also hear every DOM write the views make.
  new MutationObserver(bump).observe(document.head, { subtree: true, childList: true, characterData: true });
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', bump);
}

/**
 * `readTheme` for views that repaint many times a second: read once per element, and again only
 * after something that can change a theme happened (see `watchTheme`). A computed-style read right
 * after React's DOM writes forces the page's styles to be recalculated — with a network view's
 * hundreds of links, tens of milliseconds per repaint.
 */
export function themeOf(el: Element | null): VizTheme {
  if (!el) return readTheme(el);
  watchTheme();
  const cached = themeCache.get(el);
  if (cached && cached.version === themeVersion) return cached.theme;
  const theme = readTheme(el);
  themeCache.set(el, { version: themeVersion, theme });
  return theme;
}

/** An RGB triple, 0–255. */
export type RGB = [number, number, number];

/** Parses `#rgb`, `#rrggbb` and `rgb(r, g, b)`; anything else is mid grey. */
export function parseColor(color: string): RGB {
  const c = color.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((h) => h + h).join('') : hex;
    return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as RGB;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(c);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return [128, 128, 128];
}

/** Linear blend: t = 0 gives `a`, t = 1 gives `b`. */
export function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function toCss([r, g, b]: RGB): string {
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
}

/** A 256-entry lookup table (RGB triples, flat) sampled from colour stops. */
export function makeLut(stops: readonly string[]): Uint8ClampedArray {
  const rgb = stops.map(parseColor);
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const pos = (i / 255) * (rgb.length - 1);
    const k = Math.min(Math.floor(pos), rgb.length - 2);
    const c = mix(rgb[k] as RGB, rgb[k + 1] as RGB, pos - k);
    lut.set(c, i * 3);
  }
  return lut;
}

const luts = /* @__PURE__ */ new Map<string, Uint8ClampedArray>();

/** The sequential scale as a lookup table; t in [0, 1] maps to entry ⌊255·t⌋. */
export function sequentialLut(name: VizTheme['sequential']): Uint8ClampedArray {
  let lut = luts.get(name);
  if (!lut) {
    lut = makeLut(name === 'cividis' ? CIVIDIS : VIRIDIS);
    luts.set(name, lut);
  }
  return lut;
}

/** Colour of t ∈ [0, 1] on the sequential scale. */
export function sequentialColor(name: VizTheme['sequential'], t: number): RGB {
  const lut = sequentialLut(name);
  const i = Math.max(0, Math.min(255, Math.round(t * 255))) * 3;
  return [lut[i] as number, lut[i + 1] as number, lut[i + 2] as number];
}

/** Black or white, whichever reads better on `rgb` (WCAG relative luminance). */
export function textOn(rgb: RGB): string {
  const lin = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * (lin[0] as number) + 0.7152 * (lin[1] as number) + 0.0722 * (lin[2] as number);
  return l > 0.179 ? '#000000' : '#ffffff';
}

/** Class colour for id `i`, cycling through the palette. */
export function classColor(theme: VizTheme, i: number): string {
  return theme.classes[i % theme.classes.length] as string;
}

/** CSS colour of class `i` that follows the theme: `var(--rnn-class-i, default)`. */
export function classVar(i: number): string {
  const k = i % OKABE_ITO.length;
  return `var(--rnn-class-${k}, ${OKABE_ITO[k]})`;
}
