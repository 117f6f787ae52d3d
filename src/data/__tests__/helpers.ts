import * as tf from '@tensorflow/tfjs';

export { expectReactNNError, expectReactNNErrorAsync } from '../../../test/util/reactNNError';

export async function useCpu(): Promise<void> {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
}

/** Row-major values of a tensor as a plain array. */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Rows of a 2-D tensor. */
export function rows(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}
