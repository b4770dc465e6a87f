import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { countsOrUniform } from '../parts/class-stats.js';
import { adjustedCe } from '../parts/imbalance-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training class counts n [C] (> 0); absent: uniform counts (plain cross-entropy).'),
  gamma: opt.number(0.2, 'γ of the multiplicative factor Δ_k = (n_k/n_max)^γ.', '[0, inf)'),
  tau: opt.number(1, 'τ of the additive factor ι_k = τ·log π_k.', '[0, inf)'),
  weight: opt.tensor(['C'], "Per-class weights [C]; 'mean' is then the weighted mean."),
  reduction: opt.reduction(),
};
export type VsLossOptions = OptionsOf<typeof options>;

/**
 * Vector-Scaling loss: cross-entropy of per-class scaled and shifted logits.
 *
 * Δ_k = (n_k/n_max)^γ, ι_k = τ·log π_k (π = n/Σn); ℓᵢ = −w_y·log softmax(Δ ⊙ zᵢ + ι)_y (max-shifted
 * log-softmax). Δ = 1 gives the logit-adjusted loss. 'mean' divides by Σ w_y.
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Kini et al., "Label-Imbalanced and Group-Sensitive Classification under Overparameterization", NeurIPS 2021; Rangwani et al., "Escaping Saddle Points for Effective Generalization on Class-Imbalanced Data", NeurIPS 2022
 */
export function vsLoss(...args: Call<[input: Tensor, target: Tensor], VsLossOptions>): Tensor {
  const [input, target, { classCounts, gamma, tau, weight, reduction }] = entry.check(args);
  const n = countsOrUniform('vsLoss', classCounts, input, input.shape[1]);
  const scale = n.div(n.amax()).pow(gamma);
  const offset = n.div(n.sum()).log().mul(tau);
  const { values, weights } = adjustedCe(input, target, { scale, offset }, weight);
  return applyReduction(values, { reduction, meanOver: weights.sum() });
}

export const entry = defineLoss({
  id: 'vs-loss',
  fn: vsLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "with a weight, 'mean' is PyTorch's weighted mean Σ w_y·ℓ / Σ w_y",
});
