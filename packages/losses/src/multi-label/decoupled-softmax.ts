import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  tau: opt.number(0.05, 'τ: the temperature of s(q, l) = ⟨q, d_l⟩/τ.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type DecoupledSoftmaxOptions = OptionsOf<typeof options>;

/**
 * Decoupled softmax: multi-positive InfoNCE where each positive competes only with the negatives.
 *
 * s_l = ⟨q, d_l⟩/τ; for each positive l ∈ P(q): term_l = s_l − logsumexp({s_l} ∪ {s_l' : l' ∉ P(q)}) =
 * s_l − logaddexp(s_l, logsumexp_neg); L_q = −(1/|P(q)|)·Σ_{l∈P(q)} term_l. A query whose labels are all
 * positive has no negatives: each term is 0.
 *
 * @param query query embeddings q [N, D] (normalised, or with a learned scale folded in)
 * @param labels label / document embeddings d [L, D]
 * @param positives multi-hot positives P [N, L] (each row ≥ one positive)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Gupta et al., "Dual-Encoders for Extreme Multi-Label Classification", ICLR 2024
 */
export function decoupledSoftmax(...args: Call<[query: Tensor, labels: Tensor, positives: Tensor], DecoupledSoftmaxOptions>): Tensor {
  const [query, labels, positives, { tau, reduction }] = entry.check(args);
  const s = query.matmul(labels.transpose(0, 1)).div(tau); // [N, L]
  const pos = positives.gt(0.5);
  const hasNeg = pos.logicalNot().any(-1, true);
  // Rows without negatives: run the logsumexp on s itself (finite gradients), then drop it.
  const negLse = hasNeg.where(pos.where(-Infinity, s), s).logsumexp(-1, true);
  const terms = hasNeg.where(s.sub(s.logaddexp(negLse)), 0);
  const p = pos.cast(s.dtype);
  return applyReduction(terms.mul(p).sum(-1).div(p.sum(-1)).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'decoupled-softmax',
  fn: decoupledSoftmax,
  args: [
    { name: 'query', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['L', 'D'], dtype: 'float', domain: 'real' },
    { name: 'positives', shape: ['N', 'L'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'per-sample',
});
