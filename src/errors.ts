/**
 * The one error type react-nn throws. Every message says what was wrong, what was
 * received, and what to do instead, prefixed by the layer path when there is one:
 * `Sequential > Conv2d[0]: kernelSize must be a positive integer (got -1)`.
 */
export type ReactNNErrorCode =
  | 'prop' // a layer prop has the wrong type or value
  | 'shape' // shapes do not fit between layers, or with the data
  | 'structure' // an unknown element, text, or a misplaced layer in the tree
  | 'data' // bad values or shapes in a data set
  | 'option' // a bad option to a public function (trainer, dataset, …)
  | 'state' // a call that is not allowed in the current state (fit while running, …)
  | 'backend' // a requested backend cannot be used here
  | 'numeric'; // NaN or Infinity met while training

export class ReactNNError extends Error {
  override readonly name = 'ReactNNError';
  readonly code: ReactNNErrorCode;
  /** Layer path such as `Sequential > Linear[1]`, or the API name (`createTrainer`) when no layer is involved. */
  readonly path: string;

  constructor(code: ReactNNErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(path ? `${path}: ${message}` : message, options);
    this.code = code;
    this.path = path;
  }
}

export function isReactNNError(e: unknown): e is ReactNNError {
  return e instanceof ReactNNError;
}

/** Formats a received value for messages: strings quoted, arrays as [a, b], objects by type. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object (${Object.keys(value as object).join(', ') || 'empty'})`;
  return String(value);
}

/** Lists valid choices for an "unknown X" message: `"a", "b" or "c"`. */
export function listChoices(choices: readonly string[]): string {
  const quoted = choices.map((c) => JSON.stringify(c));
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
