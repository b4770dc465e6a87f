import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { keepMask, maskedSoftmax } from '../parts/masked-softmax.js';

const options = {
  normalized: opt.boolean(false, 'The normalised variant: x rescaled into [0, 1] by the row\'s range (taken with 0) before the product.'),
  eps: opt.number(1e-6, 'ε added to the normalised variant\'s denominator (a row of zeros).', '(0, inf)'),
  dim: opt.integer(-1, 'The normalised axis.'),
  mask: opt.tensor(['...'], 'Boolean mask broadcastable to x: false entries are left out of the softmax and the row min/max and return 0.', 'any'),
};
export type SaSoftmaxOptions = OptionsOf<typeof options>;

/**
 * Self-Adjust Softmax (SA-Softmax): the softmax weighted by the scores themselves, against vanishing gradients.
 *
 * SA(x) = x ⊙ softmax(x); normalised: SA_norm(x) = (x − min(x_min, 0)) / (max(0, x_max) − min(x_min, 0) + ε) ⊙
 * softmax(x), with x_min, x_max over the row's valid entries (SA_norm ∈ [0, 1]). Rows no longer sum to 1. The softmax is
 * max-shifted, so scores of ±1e4 stay finite; the row min and max are differentiated as they are (ties share).
 *
 * @param x attention scores [..., n]
 * @param opts normalized (default false), eps (default 1e-6), dim (default −1), mask
 * @returns weights shaped like x
 * @see Zheng et al., Self-Adjust Softmax, arXiv 2025
 */
export function saSoftmax(...args: Call<[x: Tensor], SaSoftmaxOptions>): Tensor {
  const [x, { normalized, eps, dim, mask }] = entry.check(args);
  const keep = mask ? keepMask(x, mask) : null;
  const p = keep ? maskedSoftmax(x, keep, dim) : x.softmax(dim);
  const xv = keep ? keep.where(x, 0) : x; // a masked score (even −∞) never meets its 0 weight
  if (!normalized) return xv.mul(p);
  // Masked entries sit at ±∞ for the row extrema only, so they never win them; a fully masked row gets the range [0, 0].
  const lo = (keep ? keep.where(x, Infinity) : x).amin(dim, true).clamp(undefined, 0);
  const hi = (keep ? keep.where(x, -Infinity) : x).amax(dim, true).clamp(0);
  return xv.sub(lo).div(hi.sub(lo).add(eps)).mul(p);
}

export const entry = defineLoss({
  id: 'sa-softmax',
  fn: saSoftmax,
  args: [{ name: 'x', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
