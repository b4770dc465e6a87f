import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { maskedSoftmax, topkMask } from '../parts/masked-softmax.js';

const options = {
  k: opt.integer(2, 'How many entries keep probability (clipped to the row length).', '[1, inf)'),
  dim: opt.integer(-1, 'The normalised axis.'),
};
export type TopkSoftmaxOptions = OptionsOf<typeof options>;

const reading = 'k has no default in the papers (MoE gates use 1 or 2, sparse-softmax about 10): k = 2, the top-2 gate. '
  + 'Ties at the k-th value go to the lower index (the stable sort order of topk).';

/**
 * Top-k (sparse) softmax: softmax over the k largest entries of each row, 0 elsewhere; the top-K gate of a mixture of
 * experts.
 *
 * pᵢ = exp(zᵢ − m) / Σ_{j∈Ω_k} exp(zⱼ − m) for i ∈ Ω_k, 0 otherwise, Ω_k the indices of the k largest entries, i.e.
 * softmax(where(i ∈ Ω_k, z, −∞)) by the max-shifted softmax. The selection is a constant of the forward, so the
 * gradient flows only through the selected logits.
 *
 * Reading: k has no default in the papers (MoE gates use 1 or 2, sparse-softmax about 10): k = 2, the top-2 gate. Ties
 * at the k-th value go to the lower index (the stable sort order of topk).
 *
 * @param z logits [..., n]
 * @param opts k (default 2), dim (default −1)
 * @returns probabilities shaped like z, k non-zeros per row summing to 1
 * @see Sun et al., Sparse-softmax: A Simpler and Faster Alternative Softmax Transformation, arXiv 2021; Nguyen et al.,
 *   Statistical Perspective of Top-K Sparse Softmax Gating Mixture of Experts, ICLR 2024
 */
export function topkSoftmax(...args: Call<[z: Tensor], TopkSoftmaxOptions>): Tensor {
  const [z, { k, dim }] = entry.check(args);
  return maskedSoftmax(z, topkMask(z, Math.min(k, z.dim(dim)), dim), dim);
}

export const entry = defineLoss({
  id: 'topk-softmax',
  fn: topkSoftmax,
  args: [{ name: 'z', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
  reading,
});
