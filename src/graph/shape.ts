/** Shape helpers shared by every layer that compares shapes; pure data, like the rest of graph/. */

/**
 * Whether two shapes have the same rank and dimensions. `null` (tfjs' unknown batch axis) only
 * equals `null`.
 */
export function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
