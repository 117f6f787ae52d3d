/**
 * How fused-webgpu sizes its work: invocations per workgroup, the widest phase of a step (which
 * decides the fused or the split shader) and the batches a chunk's dispatches walk.
 */
import type { TrainRequest } from './kernel';
import { type KernelSpec, outSizeOf } from './plan';

/**
 * Invocations in the one workgroup. SwiftShader runs a workgroup as SIMD groups of 4 and makes
 * every barrier a switch through all of them: measured there, 4 invocations train playground-size
 * nets several times faster than 64 (most phases have fewer elements than lanes anyway), while
 * 784-128-10 wants more. A hardware GPU gets 256.
 */
export function workgroupSizeFor(spec: KernelSpec, cap: number, software: boolean): number {
  if (!software) return 256;
  const work = widestPhase(spec, cap);
  return work <= 512 ? 4 : work <= 8192 ? 16 : 64;
}

/**
 * Elements in a step's widest phase: the batch's inputs, a layer's outputs, its weight gradient,
 * or an image op's input gradient.
 */
export function widestPhase(spec: KernelSpec, cap: number): number {
  let work = cap * spec.inputSize;
  for (const o of spec.ops) {
    if (o.op === 'linear') work = Math.max(work, cap * o.outSize, o.inSize * o.outSize);
    else if (o.op === 'conv2d') work = Math.max(work, cap * o.outSize, cap * o.size, o.KH * o.KW * o.C * o.F);
    else if (o.op === 'pool' || o.op === 'batchNorm') work = Math.max(work, cap * o.size, cap * outSizeOf(o));
  }
  return work;
}

/**
 * @internal Where the engine switches from the fused shader (one workgroup, K steps per dispatch)
 * to the split one (a dispatch per phase over many workgroups): above this many elements in a
 * step's widest phase one workgroup would leave most of the GPU idle — 784-128-10 has 100,352 in
 * its first weight gradient, a playground net a few dozen. Tests set it to 0 to run small nets split.
 */
export const gpuTuning = { splitAbove: 8192 };

/**
 * Rows per step for up to `maxSteps` consecutive batches of `req.order` from `req.offset`: full
 * batches, except the last one of each epoch (the fused-cpu kernel walks the same way).
 */
export function batchSizes(
  req: Pick<TrainRequest, 'order' | 'epochSize' | 'offset' | 'batchSize'>,
  maxSteps: number,
): number[] {
  const end = req.order.length;
  const epochSize = req.epochSize ?? end;
  const sizes: number[] = [];
  let offset = req.offset;
  while (sizes.length < maxSteps && offset < end) {
    const epochEnd = Math.min(end, (Math.floor(offset / epochSize) + 1) * epochSize);
    const B = Math.min(req.batchSize, epochEnd - offset);
    sizes.push(B);
    offset += B;
  }
  return sizes;
}
