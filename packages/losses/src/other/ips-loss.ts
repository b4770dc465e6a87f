import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  propensityClip: opt.number(0.05, 'Lower clip of the estimated propensities p̂ ≥ clip (the paper\'s 0.05), bounding the inverse weights by 1/clip.', '(0, 1]'),
  error: opt.oneOf(['squared', 'bce'] as const, 'squared', "e_ui: 'squared' (r̂ − r)² for ratings; 'bce' BCE-with-logits of r̂ against r ∈ [0, 1] for clicks."),
  reduction: opt.reduction(),
};
export type IpsLossOptions = OptionsOf<typeof options>;

/**
 * Inverse-propensity-scored (IPS) loss for debiased collaborative filtering: the errors of the observed
 * entries, each weighted by the inverse of its estimated observation propensity.
 *
 * ℓ_ui = o_ui·e_ui / max(p̂_ui, clip), mean over all (u, i) ∈ D (= every entry of the matrix): an unbiased
 * estimate of the full-matrix error when p̂ is the true propensity. e_ui = (r̂_ui − r_ui)², or BCE-with-logits
 * softplus(r̂) − r·r̂ (stable form). Unobserved entries (o = 0) contribute 0 whatever their rating. The kernel
 * balancing term of the paper is the regularizer group's.
 *
 * @param input predictions r̂ [U, ...] (ratings, or logits for 'bce')
 * @param target ratings r [U, ...] (any value where o = 0)
 * @param observed observation indicators o ∈ {0, 1} [U, ...]
 * @param propensity estimated propensities p̂ ∈ [0, 1] [U, ...] (held constant)
 * @returns a scalar, or the elementwise terms with reduction 'none'
 * @see Li et al., "Debiased Collaborative Filtering with Kernel-Based Causal Balancing", ICLR 2024; Schnabel
 *   et al., "Recommendations as Treatments", ICML 2016
 */
export function ipsLoss(...args: Call<[input: Tensor, target: Tensor, observed: Tensor, propensity: Tensor], IpsLossOptions>): Tensor {
  const [input, target, observed, propensity, { propensityClip, error, reduction }] = entry.check(args);
  const e = error === 'squared' ? input.sub(target).square() : input.softplus().sub(input.mul(target));
  return applyReduction(observed.mul(e).div(propensity.detach().clamp(propensityClip)), { reduction });
}

export const entry = defineLoss({
  id: 'ips-loss',
  fn: ipsLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'observed', shape: ['N', '...'], dtype: 'float', domain: 'binary' },
    { name: 'propensity', shape: ['N', '...'], dtype: 'float', domain: 'prob', stopGradient: true },
  ],
  options,
  output: 'elementwise',
});
