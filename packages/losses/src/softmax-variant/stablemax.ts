import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { stablemaxS } from '../parts/stablemax-transform.js';

const options = {
  dim: opt.integer(-1, 'The normalised axis.'),
};
export type StablemaxOptions = OptionsOf<typeof options>;

/**
 * StableMax: softmax with exp replaced by a map that grows linearly, so float round-off cannot make p_y exactly 1.
 *
 * s(x) = x + 1 for x ≥ 0, 1/(1 − x) for x < 0; StableMax(z)ᵢ = s(zᵢ) / Σⱼ s(zⱼ). Each branch of s is evaluated on its own
 * half-line only (clamped input), so neither 1/(1 − x) at x ≥ 1 nor its gradient leaks through the where; s is
 * positive and at most 1 + |x|, so logits of ±1e4 need no shift.
 *
 * @param z logits [..., n]
 * @param opts dim (default −1)
 * @returns probabilities shaped like z
 * @see Prieto et al., Grokking at the Edge of Numerical Stability, ICLR 2025
 */
export function stablemax(...args: Call<[z: Tensor], StablemaxOptions>): Tensor {
  const [z, { dim }] = entry.check(args);
  const s = stablemaxS(z);
  return s.div(s.sum(dim, true));
}

export const entry = defineLoss({
  id: 'stablemax',
  fn: stablemax,
  args: [{ name: 'z', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
