import { expect } from 'vitest';
import { ReactNNError, type ReactNNErrorCode } from '../../src/errors';

/** Runs `f` and returns the ReactNNError it throws; fails the test if it throws nothing or something else. */
export function catchReactNNError(f: () => unknown): ReactNNError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ReactNNError);
    return e as ReactNNError;
  }
  throw new Error('expected a ReactNNError, nothing was thrown');
}

/** Runs `fn` and checks it throws a ReactNNError with this path and code, whose message matches. */
export function expectReactNNError(
  fn: () => unknown,
  expected: { path: string; code?: ReactNNErrorCode; message?: string | RegExp },
): ReactNNError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a ReactNNError to be thrown').toBeInstanceOf(ReactNNError);
  const err = caught as ReactNNError;
  expect(err.path).toBe(expected.path);
  if (expected.code) expect(err.code).toBe(expected.code);
  if (expected.message) expect(err.message).toMatch(expected.message);
  return err;
}

/** Async twin of expectReactNNError. */
export async function expectReactNNErrorAsync(
  fn: () => Promise<unknown>,
  expected: { path: string; code?: ReactNNErrorCode; message?: string | RegExp },
): Promise<ReactNNError> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a ReactNNError to be thrown').toBeInstanceOf(ReactNNError);
  const e = err as ReactNNError;
  expect(e.path).toBe(expected.path);
  if (expected.code) expect(e.code).toBe(expected.code);
  if (expected.message) expect(e.message).toMatch(expected.message);
  return e;
}

/** The CPU backend, also when a file runs without the project's setup file. */
