import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { keepMask } from '../parts/masked-softmax.js';

const options = {
  eps: opt.number(1e-6, 'ε in the denominator (only matters when every score is 0).', '(0, inf)'),
  dim: opt.integer(-1, 'The normalised axis.'),
  mask: opt.tensor(['...'], 'Boolean mask broadcastable to x: false entries are left out of both sums and return 0.', 'any'),
};
export type SoftpickOptions = OptionsOf<typeof options>;

/**
 * Softpick: a rectified softmax that need not sum to one (no attention sink), and can be all zeros.
 *
 * softpick(x)ᵢ = relu(exp(xᵢ) − 1) / (Σⱼ |exp(xⱼ) − 1| + ε). Stable form: with m = max(maxⱼ xⱼ, 0), numerator and
 * denominator are divided by exp(m): eⱼ = exp(xⱼ − m) − exp(−m) and ε' = ε·exp(−m), which keeps the value exact (the
 * official kernel adds ε after the shift; the two differ only in the ε term). Clamping m at 0 keeps exp(−m) ≤ 1 when
 * every score is negative. eⱼ is formed with expm1, exp(xⱼ − m)·(−expm1(−xⱼ)) for xⱼ ≥ 0 and exp(−m)·expm1(xⱼ) for
 * xⱼ < 0, so scores near 0 keep their digits. The shift is a constant (detached): the value does not depend on it.
 *
 * @param x scores [..., n]
 * @param opts eps (default 1e-6), dim (default −1), mask
 * @returns weights in [0, 1) shaped like x, summing to at most 1 along dim
 * @see Zuhri et al., Softpick: No Attention Sink, No Massive Activations with Rectified Softmax, arXiv 2025
 */
export function softpick(...args: Call<[x: Tensor], SoftpickOptions>): Tensor {
  const [x, { eps, dim, mask }] = entry.check(args);
  const keep = mask ? keepMask(x, mask) : null;
  const xs = keep ? keep.where(x, 0) : x; // masked scores act as 0: e = 0 there, then are zeroed below
  const m = xs.detach().amax(dim, true).clamp(0);
  const expNegM = m.neg().exp();
  const pos = xs.clamp(0);
  const neg = xs.clamp(undefined, 0);
  let e = xs.ge(0).where(pos.sub(m).exp().mul(pos.neg().expm1().neg()), expNegM.mul(neg.expm1()));
  if (keep) e = keep.where(e, 0);
  return e.relu().div(e.abs().sum(dim, true).add(expNegM.mul(eps)));
}

export const entry = defineLoss({
  id: 'softpick',
  fn: softpick,
  args: [{ name: 'x', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
