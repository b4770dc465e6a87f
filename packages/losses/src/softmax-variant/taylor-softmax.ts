import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { taylorExp } from '../parts/taylor-exp.js';

const options = {
  dim: opt.integer(-1, 'The normalised axis.'),
};
export type TaylorSoftmaxOptions = OptionsOf<typeof options>;

/**
 * Taylor softmax: exp replaced by its second-order Taylor expansion, a member of the spherical family.
 *
 * tₖ = 1 + oₖ + oₖ²/2 (≥ ½ everywhere), pₖ = tₖ / Σⱼ tⱼ. Quadratic growth, so outputs of ±1e4 stay finite.
 *
 * @param o outputs [..., n]
 * @param opts dim (default −1)
 * @returns probabilities shaped like o
 * @see de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging to the Spherical
 *   Family, ICLR 2016
 */
export function taylorSoftmax(...args: Call<[o: Tensor], TaylorSoftmaxOptions>): Tensor {
  const [o, { dim }] = entry.check(args);
  const t = taylorExp(o);
  return t.div(t.sum(dim, true));
}

export const entry = defineLoss({
  id: 'taylor-softmax',
  fn: taylorSoftmax,
  args: [{ name: 'o', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
