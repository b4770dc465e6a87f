import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { keepMask, maskedSoftmax } from '../parts/masked-softmax.js';

const options = {
  s: opt.numberOrTensor(0.43, ['...'], 'The scaling parameter s (a number, or a learnable tensor broadcastable to z, e.g. one per head [H, 1, 1]).'),
  b: opt.numberOrTensor(0, ['...'], 'The bias b of the variant (s·log n + b)·z (a number or a learnable tensor); 0 is plain SSMax.'),
  dim: opt.integer(-1, 'The normalised axis.'),
  mask: opt.tensor(['...'], 'Boolean mask broadcastable to z (a causal mask, say): n counts the true entries of each row, the rest get 0.', 'any'),
};
export type SsmaxOptions = OptionsOf<typeof options>;

/**
 * Scalable-Softmax (SSMax): softmax with the scores multiplied by s·log n, so attention does not fade as n grows.
 *
 * SSMax(z)ᵢ = n^(s·zᵢ) / Σⱼ n^(s·zⱼ) = softmax(s·log(n)·z)ᵢ, n the number of entries in the row (with a mask, of valid
 * keys: under a causal mask n is the query position + 1). The bias variant multiplies by s·log n + b. The softmax is
 * max-shifted, so scores of ±1e4 stay finite; n = 1 gives the scale 0, a single key of weight 1. Gradients reach s (and
 * b) when they are tensors that require them. The fixed s = 1 case applied to q·k/√d is the log-length scaling of
 * Chiang & Cholak.
 *
 * Reading: the catalog writes the variant as softmax(s·log(n)·z + b); a scalar b added inside a softmax cancels, so b
 * is read as part of the scale, (s·log n + b)·z.
 *
 * @param z scores [..., n]
 * @param opts s (default 0.43), b (default 0), dim (default −1), mask
 * @returns probabilities shaped like z
 * @see Nakanishi, Scalable-Softmax Is Superior for Attention, arXiv 2025; Chiang & Cholak, Overcoming a Theoretical
 *   Limitation of Self-Attention, ACL 2022
 */
export function ssmax(...args: Call<[z: Tensor], SsmaxOptions>): Tensor {
  const [z, { s, b, dim, mask }] = entry.check(args);
  const keep = mask ? keepMask(z, mask) : null;
  // log n, with n ≥ 1 so that a fully masked row scales by 0 (then returns 0s) instead of by −∞.
  const logN = keep ? keep.cast(z.dtype).sum(dim, true).clamp(1).log() : Math.log(z.dim(dim));
  const scale = z.newFull([], 0).add(s).mul(logN).add(b); // s, b and log n may each be a number or a tensor
  const scaled = z.mul(scale);
  return keep ? maskedSoftmax(scaled, keep, dim) : scaled.softmax(dim);
}

export const entry = defineLoss({
  id: 'ssmax',
  fn: ssmax,
  args: [{ name: 'z', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
  reading: 'The catalog writes the variant as softmax(s·log(n)·z + b); a scalar b added inside a softmax cancels, so b is read as part of the scale, (s·log n + b)·z.',
});
