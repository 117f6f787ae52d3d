/**
 * Option and value checks shared by the data module. Each throws a ReactNNError that names
 * the public function (`path`), what was wrong, what it got, and what to pass instead.
 */
import { describe, listChoices, ReactNNError } from '../errors';

/** Throws unless `options` is undefined or a plain object; returns it (or `{}`) for destructuring. */
export function optionsObject<T extends object>(options: T | undefined, path: string): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ReactNNError(
      'option',
      path,
      `options must be an object (got ${describe(options)}); pass e.g. { seed: 1 }`,
    );
  }
  return options;
}

/** An integer ≥ `min` (default 1), or the default when undefined. */
export function integerOption(value: unknown, name: string, path: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    const what = min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
    throw new ReactNNError('option', path, `${name} must be ${what} (got ${describe(value)})`);
  }
  return value;
}

/** A finite number ≥ 0, or the default when undefined. */
export function nonNegativeOption(value: unknown, name: string, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ReactNNError('option', path, `${name} must be a finite number ≥ 0 (got ${describe(value)})`);
  }
  return value;
}

/** A seed: any finite integer (it is hashed into 32 bits). Defaults to 0 so runs are reproducible. */
export function seedOption(value: unknown, path: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ReactNNError('option', path, `seed must be an integer (got ${describe(value)}); pass e.g. { seed: 1 }`);
  }
  return value;
}

/** A boolean, or the default when undefined. */
export function booleanOption(value: unknown, name: string, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ReactNNError('option', path, `${name} must be true or false (got ${describe(value)})`);
  }
  return value;
}

/** One of a fixed list of strings, or the default when undefined. */
export function choiceOption<T extends string>(
  value: unknown,
  name: string,
  path: string,
  choices: readonly T[],
  fallback: T,
): T;
export function choiceOption<T extends string>(
  value: unknown,
  name: string,
  path: string,
  choices: readonly T[],
  fallback?: T,
): T | undefined;
export function choiceOption<T extends string>(
  value: unknown,
  name: string,
  path: string,
  choices: readonly T[],
  fallback?: T,
): T | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ReactNNError('option', path, `${name} must be ${listChoices(choices)} (got ${describe(value)})`);
  }
  return value as T;
}

/** A list of strings (column names and such), or `[]` when undefined. */
export function stringListOption(value: unknown, name: string, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new ReactNNError('option', path, `${name} must be an array of strings (got ${describe(value)})`);
  }
  return value as string[];
}

/** A fraction strictly between 0 and 1, e.g. the validation share of a split. */
export function fractionOption(value: unknown, name: string, path: string): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new ReactNNError(
      'option',
      path,
      `${name} must be a number strictly between 0 and 1, the share of rows in the second part (got ${describe(value)}); pass e.g. 0.2`,
    );
  }
  return value;
}

/**
 * Throws at the first NaN or ±Infinity in row-major `values`, naming the row, so that a bad
 * line in a file is found without bisecting it. `rowSize` is the number of values per row.
 */
export function assertFinite(values: ArrayLike<number>, rowSize: number, name: string, path: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      const row = rowSize > 0 ? Math.floor(i / rowSize) : 0;
      const what = Number.isNaN(v) ? 'NaN' : String(v);
      throw new ReactNNError(
        'data',
        path,
        `row ${row} of ${name} contains ${what} (at column ${i - row * rowSize}); remove or impute that row before making a Dataset`,
      );
    }
  }
}

/**
 * Checks that class ids are integers in [0, numClasses) and returns them as Int32Array.
 * `numClasses` undefined means "infer": the largest id + 1.
 */
export function classIds(
  values: ArrayLike<number>,
  numClasses: number | undefined,
  path: string,
): { ids: Int32Array; numClasses: number } {
  const ids = new Int32Array(values.length);
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0) {
      throw new ReactNNError(
        'data',
        path,
        `row ${i} of y is ${v}, but class labels must be integers ≥ 0; pass task: 'regression' for real-valued targets`,
      );
    }
    ids[i] = v;
    if (v > max) max = v;
  }
  const k = numClasses ?? Math.max(max + 1, 2);
  if (max >= k) {
    const row = ids.indexOf(max);
    throw new ReactNNError(
      'data',
      path,
      `row ${row} of y has class ${max}, but numClasses is ${k}; labels must lie in 0..${k - 1} (raise numClasses or fix the label)`,
    );
  }
  return { ids, numClasses: k };
}

/** Throws at the first multi-label target that is not 0 or 1, naming its row. */
export function assertBinaryValues(values: ArrayLike<number>, width: number, path: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== 0 && v !== 1) {
      throw new ReactNNError(
        'data',
        path,
        `row ${Math.floor(i / width)} of y has ${v}; multi-label targets must be 0 or 1`,
      );
    }
  }
}

/** Class ids of one-hot rows; throws at the first row that is not exactly one 1 and zeros. */
export function argmaxOneHot(values: ArrayLike<number>, width: number, path: string): Int32Array {
  const n = values.length / width;
  const ids = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let hot = -1;
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c] as number;
      if (v === 1 && hot === -1) hot = c;
      else if (v !== 0) hot = -2;
    }
    if (hot < 0) {
      throw new ReactNNError(
        'data',
        path,
        `row ${r} of y is not one-hot (${Array.prototype.slice.call(values, r * width, r * width + width).join(', ')}); give one 1 per row, or class ids as a [n, 1] column, or task: 'multilabel'`,
      );
    }
    ids[r] = hot;
  }
  return ids;
}
