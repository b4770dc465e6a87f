import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { maskedSoftmax } from '../parts/masked-softmax.js';

const options = {
  dim: opt.integer(-1, 'The normalised axis.'),
  mask: opt.tensor(['...'], 'Boolean mask broadcastable to x: false entries get probability 0 and no gradient.', 'any'),
  temperature: opt.number(1, 'τ: softmax(x/τ); below 1 sharpens, above 1 flattens.', '(0, inf)'),
};
export type SoftmaxOptions = OptionsOf<typeof options>;

/**
 * Softmax, the safe (max-shifted) three-pass form; optionally masked and temperature-scaled.
 *
 * softmax(x)ᵢ = exp(xᵢ − m) / Σₖ exp(xₖ − m), m = maxₖ xₖ (pass 1: max, pass 2: sum, pass 3: normalise), so logits of
 * ±1e4 neither overflow nor underflow to 0/0. With a mask, masked entries are −∞ before the shift: they get 0 and the
 * rest renormalise; a row with every entry masked returns 0s, never NaN. With a temperature τ the input is x/τ.
 * log-softmax and logsumexp are core's `logSoftmax` and `logsumexp` (the same max shift).
 *
 * @param x scores [..., n]
 * @param opts dim (default −1), mask, temperature (default 1)
 * @returns probabilities shaped like x, summing to 1 along dim (0 on a fully masked row)
 * @see Milakov & Gimelshein, Online normalizer calculation for softmax, arXiv 2018; Dukhan & Ablavatski, The Two-Pass
 *   Softmax Algorithm, arXiv 2020; de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss
 *   belonging to the Spherical Family, ICLR 2016
 */
export function softmax(...args: Call<[x: Tensor], SoftmaxOptions>): Tensor {
  const [x, { dim, mask, temperature }] = entry.check(args);
  const z = temperature === 1 ? x : x.div(temperature);
  return mask ? maskedSoftmax(z, mask, dim) : z.softmax(dim);
}

export const entry = defineLoss({
  id: 'softmax',
  fn: softmax,
  args: [{ name: 'x', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
