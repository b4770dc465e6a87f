import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  r: opt.number(2, 'r > 1: the power that sharpens the row.', '[1, inf)'),
  dim: opt.integer(-1, 'The axis of the attention row.'),
};
export type AttentionReweightingOptions = OptionsOf<typeof options>;

/**
 * Attention re-weighting (sharpening): raise a normalised attention row to a power above 1 and renormalise, so weights
 * above the row's mean 1/N grow and those below it shrink.
 *
 * A'_j = (N·A_j)^r / Σ_k (N·A_k)^r = A_j^r / Σ_k A_k^r. Stable form: the row is divided by its (detached) max first,
 * (A_j/max A)^r / Σ_k (A_k/max A)^r, so the largest term is 1, the sum is ≥ 1 and nothing underflows for large r or N;
 * the value is scale-invariant, so detaching the max leaves the gradient exact. Zeros (masked keys) stay 0 with a zero
 * gradient (r > 1); a row of zeros stays zeros.
 *
 * @param a attention weights [..., N], rows summing to 1 along dim
 * @param opts r (default 2), dim (default −1)
 * @returns the sharpened weights, shaped like a, rows summing to 1
 * @see Gao & Spratling, Softplus Attention with Re-weighting Boosts Length Extrapolation in Large Language Models, 2025
 *
 * Reading: the power reading of the catalog, A' = (N·A)^r / row-sum((N·A)^r) (the N·A rescaling marks the mean weight
 * 1/N as the point between amplified and diminished weights; it cancels once the row is renormalised), with r = 2 by
 * default (no value in the abstract; the smallest integer power above 1).
 */
export function attentionReweighting(...args: Call<[a: Tensor], AttentionReweightingOptions>): Tensor {
  const [a, { r, dim }] = entry.check(args);
  if (!(r >= 1)) throw new ArgumentError('attentionReweighting', `expected a power r >= 1 (r < 1 has an infinite gradient at a zero weight), got ${r}`);
  const top = a.detach().amax(dim, true);
  const p = a.div(top.gt(0).where(top, 1)).pow(r);
  const total = p.sum(dim, true);
  return p.div(total.detach().gt(0).where(total, 1));
}

export const entry = defineLoss({
  id: 'attention-reweighting-sharpen',
  fn: attentionReweighting,
  args: [{ name: 'a', shape: ['...', 'N'], dtype: 'float', domain: 'simplex' }],
  options,
  output: 'same-as-input',
  reading: 'The power reading A\' = (N·A)^r / row-sum((N·A)^r) (the N·A rescaling puts the boundary between amplified and diminished weights at the mean 1/N; it cancels after renormalisation), with r = 2 by default since the abstract gives no value.',
});
