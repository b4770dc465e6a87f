import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type FalseHeadRateOptions = OptionsOf<typeof options>;

/**
 * False Head Rate (FHR): the fraction of tail-class samples that are predicted as some head class, the
 * costly mistake of long-tailed classifiers.
 *
 * FHR = #{i : yᵢ ∈ tail, ŷᵢ ∈ head} / #{i : yᵢ ∈ tail}. A batch without tail samples has no rate to measure:
 * it gives 0 (no false heads). Evaluation only.
 *
 * @param prediction predicted classes ŷ [N] (int32)
 * @param target true classes y [N] (int32)
 * @param head which classes are head classes [C] (bool; the rest are tail)
 * @returns a scalar (float32)
 * @see Li et al., "Making Reliable and Flexible Decisions in Long-tailed Classification", 2025
 */
export function falseHeadRate(...args: Call<[prediction: Tensor, target: Tensor, head: Tensor], FalseHeadRateOptions>): Tensor {
  const [prediction, target, head] = entry.check(args);
  const isHead = head.cast('float32');
  const tail = isHead.indexSelect(0, target).neg().add(1);
  const falseHead = tail.mul(isHead.indexSelect(0, prediction)).sum();
  const nTail = tail.sum();
  return falseHead.div(nTail.clamp(1));
}

export const entry = defineLoss({
  id: 'false-head-rate',
  fn: falseHeadRate,
  args: [
    { name: 'prediction', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'head', shape: ['C'], dtype: 'bool', domain: 'mask' },
  ],
  options,
  output: 'batch',
  nonDifferentiable: 'a rate of counts of discrete predictions',
});
