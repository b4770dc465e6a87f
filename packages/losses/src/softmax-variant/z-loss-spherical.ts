import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  a: opt.number(0.1, 'a > 0: the sharpness of the softplus.', '(0, inf)'),
  b: opt.number(10, 'b: where the softplus bends, in units of the row\'s standard deviation.', '(-inf, inf)'),
  eps: opt.number(1e-6, 'ε added to the variance.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type SphericalZLossOptions = OptionsOf<typeof options>;

/**
 * Z-loss (spherical family): a softplus of the target's z-score among the outputs, invariant to shifting and scaling
 * them. Not the PaLM/ST-MoE z-loss (a logsumexp² penalty).
 *
 * μ_i = mean_k o_ik, σ_i = √(mean_k (o_ik − μ_i)² + ε), ẑ_i = (o_iy − μ_i)/σ_i, ℓ_i = softplus(a(b − ẑ_i))/a. The
 * variance is the two-pass mean of squared deviations (equal to mean o² − μ², without its cancellation: never
 * negative); softplus is core's stable form. Finite at outputs of ±1e4 (ẑ is bounded by √(C − 1)).
 *
 * @param o pre-activation outputs [N, C]
 * @param target class indices [N] (int32)
 * @param opts a (default 0.1), b (default 10), eps (default 1e-6), reduction (default 'mean')
 * @returns a scalar, or [N] with reduction 'none'
 * @see de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging to the Spherical
 *   Family, arXiv 2016
 */
export function sphericalZLoss(...args: Call<[o: Tensor, target: Tensor], SphericalZLossOptions>): Tensor {
  const [o, target, { a, b, eps, reduction }] = entry.check(args);
  const mu = o.mean(-1, true);
  const sd = o.sub(mu).square().mean(-1, true).add(eps).sqrt();
  const z = o.gather(-1, target.unsqueeze(-1)).sub(mu).div(sd).squeeze(-1);
  return applyReduction(z.neg().add(b).mul(a).softplus().div(a), { reduction });
}

export const entry = defineLoss({
  id: 'z-loss-spherical',
  fn: sphericalZLoss,
  args: [
    { name: 'o', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'a and b have no canonical values (tuned on validation data); the defaults a = 0.1, b = 10 sit inside the ranges the catalog reports (a ~ 0.1-1, b ~ 1-30).',
});
