import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  gamma: opt.number(2.0, 'γ: focusing exponent of the modulating factor |ĉ − c*|^γ.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type DistributionalFocalLossOptions = OptionsOf<typeof options>;

/**
 * Distributional focal loss (DFL) for a balanced-TCP uncertainty estimator: a focal-style modulated
 * soft-label binary cross-entropy between the estimator's confidence and its (balanced) TCP target.
 *
 * ĉᵢ = σ(uᵢ); ℓᵢ = |ĉᵢ − c*ᵢ|^γ · BCE(ĉᵢ, c*ᵢ), with BCE(σ(u), t) = softplus(u) − t·u (the stable
 * logits form: finite at u = ±1e4 and for t = 0 or 1). The factor up-weights samples far from
 * their target — the rare low-TCP (misclassified) ones — which balances the two distribution biases.
 *
 * Reading: Focal-style modulated soft-label BCE, ℓ = |σ(u) − c*|^γ · BCE(σ(u), c*), on the
 * confidence head's logits u (stable softplus form); the balanced TCP target c* is given (its
 * construction is not in the abstract). The exact weighting of the paper is not verified.
 *
 * @param confidenceLogits the confidence head's logits u [N] (ĉ = σ(u))
 * @param target TCP-type target c* in [0, 1] [N] (BTCP: the balanced true-class probability)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Li, Zheng & Zhang, "Identifying Incorrect Classifications with Balanced Uncertainty", 2021
 */
export function distributionalFocalLoss(...args: Call<[confidenceLogits: Tensor, target: Tensor], DistributionalFocalLossOptions>): Tensor {
  const [confidenceLogits, target, { gamma, reduction }] = entry.check(args);
  const bce = confidenceLogits.softplus().sub(target.mul(confidenceLogits));
  const modulator = confidenceLogits.sigmoid().sub(target).abs().pow(gamma);
  return applyReduction(modulator.mul(bce), { reduction });
}

export const entry = defineLoss({
  id: 'distributional-focal-loss-btcp',
  fn: distributionalFocalLoss,
  args: [
    { name: 'confidenceLogits', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'per-sample',
  reading: 'Focal-style modulated soft-label BCE, ℓ = |σ(u) − c*|^γ · BCE(σ(u), c*), on the confidence head\'s logits u (stable softplus form); the balanced TCP target c* is given (its construction is not in the abstract). The exact weighting of the paper is not verified.',
});
