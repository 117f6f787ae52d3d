/**
 * Points in the URL: the learner's drawn points and small uploaded data sets, packed so that a
 * link carries them. Each point is quantized when it enters the page (coordinates to 0.005, labels
 * to 0.05), so what the page trains on is exactly what the link holds, and a point costs five
 * base64url characters: 12 bits for x₁, 12 for x₂, 6 for the label.
 */

/** One example: a point of the plane and its label (±1 for classes, a value in [−1, 1] for regression). */
export interface Point {
  x: number;
  y: number;
  label: number;
}

/** The plane the data lives on and the heatmaps cover. */
export const DOMAIN: readonly [number, number] = [-6, 6];

/**
 * The most points of one kind (drawn, or uploaded) a link carries: 500 points are 2,500
 * characters, which keeps a link with both under every browser's and chat app's URL limit.
 * Drawn points beyond it are left out of the link; an upload bigger than it is not put in the
 * link at all. Either way the link says how many there were, and the page it opens says so.
 */
export const MAX_LINK_POINTS = 500;

/** Coordinate step: 4,096 levels cover [−10.24, 10.235], the plane and a margin for uploads. */
const COORD_STEP = 0.005;
const COORD_ZERO = 2048;
const COORD_LEVELS = 4096;
/** Label step: 41 levels cover [−1, 1], so ±1 and ±0.5 (the drawn labels) are exact. */
const LABEL_STEP = 0.05;
const LABEL_LEVELS = 41;
const CHARS_PER_POINT = 5;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const coordIndex = (v: number) => Math.round(v / COORD_STEP) + COORD_ZERO;
const labelIndex = (v: number) => Math.round((v + 1) / LABEL_STEP);
// Decimal rounding after the multiply, so 0.005 · 237 prints as 1.185, not 1.1850000000000001.
const tidy = (v: number) => Math.round(v * 1e4) / 1e4;

/** Whether a point can be carried by a link (inside the coordinate and label ranges). */
export function linkable(p: Point): boolean {
  const cx = coordIndex(p.x);
  const cy = coordIndex(p.y);
  const l = labelIndex(p.label);
  return cx >= 0 && cx < COORD_LEVELS && cy >= 0 && cy < COORD_LEVELS && l >= 0 && l < LABEL_LEVELS;
}

/** The point as the link stores it: coordinates to 0.005, label to 0.05 (values outside the ranges are kept). */
export function quantizePoint(p: Point): Point {
  if (!linkable(p)) return p;
  return {
    x: tidy((coordIndex(p.x) - COORD_ZERO) * COORD_STEP),
    y: tidy((coordIndex(p.y) - COORD_ZERO) * COORD_STEP),
    label: tidy(labelIndex(p.label) * LABEL_STEP - 1),
  };
}

/** Packs linkable points, five characters each. The caller caps the count and checks `linkable`. */
export function encodePoints(points: readonly Point[]): string {
  let out = '';
  for (const p of points) {
    const cx = coordIndex(p.x);
    const cy = coordIndex(p.y);
    out +=
      (ALPHABET[cx >> 6] as string) +
      (ALPHABET[cx & 63] as string) +
      (ALPHABET[cy >> 6] as string) +
      (ALPHABET[cy & 63] as string) +
      (ALPHABET[labelIndex(p.label)] as string);
  }
  return out;
}

export type DecodedPoints = { ok: true; points: Point[] } | { ok: false; why: string };

/** Unpacks `encodePoints`' text; a cut-off or altered text is refused as a whole, with the reason. */
export function decodePoints(text: string, max = MAX_LINK_POINTS): DecodedPoints {
  if (text.length % CHARS_PER_POINT !== 0) {
    return { ok: false, why: `its length is not a multiple of ${CHARS_PER_POINT} (the link was cut off)` };
  }
  const count = text.length / CHARS_PER_POINT;
  if (count > max) return { ok: false, why: `more than ${max} points` };
  const points: Point[] = [];
  for (let i = 0; i < text.length; i += CHARS_PER_POINT) {
    const d = Array.from(text.slice(i, i + CHARS_PER_POINT), (c) => ALPHABET.indexOf(c));
    if (d.some((v) => v < 0))
      return { ok: false, why: `point ${i / CHARS_PER_POINT + 1} has a character outside base64url` };
    const [x1, x2, y1, y2, l] = d as [number, number, number, number, number];
    if (l >= LABEL_LEVELS) return { ok: false, why: `point ${i / CHARS_PER_POINT + 1} has no valid label` };
    points.push({
      x: tidy((x1 * 64 + x2 - COORD_ZERO) * COORD_STEP),
      y: tidy((y1 * 64 + y2 - COORD_ZERO) * COORD_STEP),
      label: tidy(l * LABEL_STEP - 1),
    });
  }
  return { ok: true, points };
}
