import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  eps: opt.number(1e-6, 'ε added to every square, so that all-zero outputs still normalise (not from the paper).', '[0, inf)'),
  dim: opt.integer(-1, 'The normalised axis.'),
};
export type SphericalSoftmaxOptions = OptionsOf<typeof options>;

/**
 * Spherical softmax: squares instead of exponentials, a member of the spherical family.
 *
 * pₖ = (oₖ² + ε) / Σⱼ (oⱼ² + ε). It depends on o only through oₖ and Σⱼ oⱼ², and grows quadratically, so outputs of
 * ±1e4 stay finite.
 *
 * @param o outputs [..., n]
 * @param opts eps (default 1e-6), dim (default −1)
 * @returns probabilities shaped like o
 * @see de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging to the Spherical
 *   Family, ICLR 2016
 */
export function sphericalSoftmax(...args: Call<[o: Tensor], SphericalSoftmaxOptions>): Tensor {
  const [o, { eps, dim }] = entry.check(args);
  const t = o.square().add(eps);
  return t.div(t.sum(dim, true));
}

export const entry = defineLoss({
  id: 'spherical-softmax',
  fn: sphericalSoftmax,
  args: [{ name: 'o', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
