import { describe } from '../errors';

/**
 * Tiny declarative prop validators. A layer lists one per prop; the analyser turns a
 * failed check into `Sequential > Conv2d[0]: kernelSize must be a positive integer (got -1)`.
 */
export interface Prop<T> {
  /** What a valid value is, in words: "a positive integer". */
  readonly expected: string;
  readonly optional: boolean;
  readonly defaultValue: T | undefined;
  test(value: unknown): value is T;
  /** The same check, but the prop may be left out (and then takes `defaultValue`). */
  optional_(defaultValue?: T): Prop<T>;
}

function make<T>(expected: string, test: (v: unknown) => boolean): Prop<T> {
  const build = (optional: boolean, defaultValue: T | undefined): Prop<T> => ({
    expected,
    optional,
    defaultValue,
    test: test as (v: unknown) => v is T,
    optional_: (d?: T) => build(true, d),
  });
  return build(false, undefined);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** An integer or an [h, w] pair of integers, both at least `min`. */
function intOrPair(min: number, expected: string): Prop<number | [number, number]> {
  return make(expected, (v) =>
    Array.isArray(v) ? v.length === 2 && v.every((x) => isInt(x) && x >= min) : isInt(v) && v >= min,
  );
}

export const INIT_NAMES = [
  'zeros',
  'ones',
  'xavierUniform',
  'xavierNormal',
  'heUniform',
  'heNormal',
  'uniform',
  'normal',
  'orthogonal',
] as const;
export type InitName = (typeof INIT_NAMES)[number];
/** A constant, a named PyTorch initialiser, or a function from (shape, fans) to values. */
export type InitSpec = number | InitName | InitFunction;
export type InitFunction = (shape: number[], fans: { fanIn: number; fanOut: number }) => ArrayLike<number>;

export const prop = {
  positiveInt: () => make<number>('a positive integer', (v) => isInt(v) && v > 0),
  nonNegativeInt: () => make<number>('a non-negative integer', (v) => isInt(v) && v >= 0),
  integer: () => make<number>('an integer', isInt),
  number: () => make<number>('a finite number', isNum),
  positive: () => make<number>('a positive number', (v) => isNum(v) && v > 0),
  nonNegative: () => make<number>('a number ≥ 0', (v) => isNum(v) && v >= 0),
  /** Dropout-style probability: PyTorch accepts 0 ≤ p ≤ 1, but p = 1 zeroes everything and divides by 0. */
  probability: () => make<number>('a probability in [0, 1)', (v) => isNum(v) && v >= 0 && v < 1),
  unitInterval: () => make<number>('a number in [0, 1]', (v) => isNum(v) && v >= 0 && v <= 1),
  boolean: () => make<boolean>('true or false', (v) => typeof v === 'boolean'),
  string: () => make<string>('a non-empty string', (v) => typeof v === 'string' && v.length > 0),
  oneOf: <T extends string | number>(...values: T[]) =>
    make<T>(`one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, (v) => values.includes(v as T)),
  size: () => intOrPair(1, 'a positive integer or an [h, w] pair of them'),
  nonNegativeSize: () => intOrPair(0, 'a non-negative integer or an [h, w] pair of them'),
  padding: () =>
    make<number | [number, number] | 'same' | 'valid'>(
      "a non-negative integer, an [h, w] pair of them, 'same' or 'valid'",
      (v) => v === 'same' || v === 'valid' || intOrPair(0, '').test(v),
    ),
  init: () =>
    make<InitSpec>(
      `a number (constant), a function, or one of ${INIT_NAMES.map((n) => JSON.stringify(n)).join(', ')}`,
      (v) => isNum(v) || typeof v === 'function' || INIT_NAMES.includes(v as InitName),
    ),
  func: <F>() => make<F>('a function', (v) => typeof v === 'function'),
  any: <T>(expected = 'a value') => make<T>(expected, () => true),
  custom: <T>(expected: string, test: (v: unknown) => boolean) => make<T>(expected, test),
};

/** `got` text for messages. */
export const got = (v: unknown) => `(got ${describe(v)})`;

/** Expands an int-or-pair prop to [h, w]. */
export function pair(v: number | readonly [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}
