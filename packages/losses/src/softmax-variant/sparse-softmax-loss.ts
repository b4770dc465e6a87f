import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { maskedLogSoftmax, topkMask } from '../parts/masked-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  k: opt.integer(10, 'Size of the kept set Ω_k (clipped to C).', '[1, inf)'),
  reduction: opt.reduction(),
};
export type SparseSoftmaxLossOptions = OptionsOf<typeof options>;

/**
 * Sparse-softmax cross-entropy: cross-entropy of the softmax restricted to the k largest logits.
 *
 * ℓᵢ = lse_{j∈Ω_k∪{yᵢ}}(zᵢⱼ) − zᵢ_{yᵢ}, Ω_k the k largest logits of row i, by a max-shifted log-softmax with the other
 * logits set to −∞. The target class is always kept, so a target outside the top k gives a finite loss (without it the
 * loss is +∞); logits outside the set get no gradient.
 *
 * @param z logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Sun et al., Sparse-softmax: A Simpler and Faster Alternative Softmax Transformation, arXiv 2021
 */
export function sparseSoftmaxLoss(...args: Call<[z: Tensor, target: Tensor], SparseSoftmaxLossOptions>): Tensor {
  const [z, target, { k, reduction }] = entry.check(args);
  const keep = topkMask(z, Math.min(k, z.shape[1]), 1).logicalOr(target.oneHot(z.shape[1]).bool());
  const values = maskedLogSoftmax(z, keep, 1).gather(1, target.unsqueeze(1)).squeeze(1).neg();
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'sparse-softmax-loss',
  fn: sparseSoftmaxLoss,
  args: [
    { name: 'z', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'The target class is always in the kept set (the catalog\'s reading), so the loss stays finite when it falls outside the top k.',
});
