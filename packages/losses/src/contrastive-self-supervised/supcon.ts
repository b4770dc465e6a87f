import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { supervisedContrast, validMeanDenominator } from '../parts/contrastive-infonce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  tau: opt.number(0.1, 'τ: the temperature of the similarities (official SupCon code 0.07, SBCL 0.1).', '(0, inf)'),
  baseTemperature: opt.number(null, 'τ_b: the loss is scaled by τ/τ_b; null: τ_b = τ (factor 1), the catalog default.', '(0, inf)'),
  relu: opt.boolean(false, 'Apply ReLU before the normalisation (the Symmetric Neural-Collapse paper\'s variant).'),
  reduction: opt.reduction(),
};
export type SupConOptions = OptionsOf<typeof options>;

/**
 * Supervised contrastive loss (SupCon, L_out): every other sample of the anchor's class is a positive.
 *
 * z = l2_normalize(x) (ReLU first with `relu`), S = z zᵀ/τ, A(i) = {a ≠ i}, P(i) = {p ≠ i : y_p = y_i};
 * ℓᵢ = −(τ/τ_b)·(1/|P(i)|)·Σ_{p ∈ P(i)} (S_ip − logsumexp_{a ∈ A(i)} S_ia); L = mean over anchors with |P(i)| > 0.
 * Stable form: the diagonal is −∞ in a max-shifted logSoftmax (the InfoNCE core of parts/contrastive-infonce).
 * With the two views of N samples stacked and labels [0..N−1, 0..N−1] (one positive per anchor) and τ_b = τ it
 * is NT-Xent. A batch with no positive pair gives 0 with zero gradient, never NaN.
 *
 * @param input embeddings [M, D] (M = n_views·B, views stacked)
 * @param target class ids [M] (int32) in [0, M): a batch holds at most M classes, so any labelling can be written
 *   so (torch.unique's inverse indices)
 * @returns a scalar (the mean over anchors with a positive), or [M] with reduction 'none' (0 at an anchor without one)
 * @see Khosla et al., "Supervised Contrastive Learning", NeurIPS 2020
 */
export function supConLoss(...args: Call<[input: Tensor, target: Tensor], SupConOptions>): Tensor {
  const [input, target, { tau, baseTemperature, relu, reduction }] = entry.check(args);
  const { values, valid } = supervisedContrast(l2Normalize(relu ? input.relu() : input), target, tau);
  return applyReduction(values.mul(tau / (baseTemperature ?? tau)), { reduction, meanOver: validMeanDenominator(valid, input) });
}

export const entry = defineLoss({
  id: 'supcon',
  fn: supConLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'N' },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' averages over the anchors that have a positive (|P(i)| > 0), as the paper does; 'none' shows 0 at the others.",
});
