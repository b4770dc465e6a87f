import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { bestOtherLogit, targetLogit } from '../parts/robust-margin.js';

const options = {
  kappa: opt.number(0, 'κ: confidence of the clamp; the margin counts up to κ (0 or 50 in the CW attack).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type CwMarginOptions = OptionsOf<typeof options>;

/**
 * Carlini–Wagner margin loss, the objective an attack maximises over the perturbed input.
 *
 * ℓᵢ = −max(z_y − max_{k≠y} z_k, −κ) = min(max_{k≠y} z_k − z_y, κ): positive once the input is misclassified,
 * clamped at κ. The other-class max masks the target to −∞ (no softmax, so logits of ±1e4 are exact).
 * Used to craft attacks, not to train.
 *
 * @param input logits of the perturbed input [N, C] (C ≥ 2)
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Carlini & Wagner, "Towards Evaluating the Robustness of Neural Networks", IEEE S&P 2017; Ma et al.,
 *   "Imbalanced Gradients: A Subtle Cause of Overestimated Adversarial Robustness", Machine Learning 2023
 */
export function cwMarginLoss(...args: Call<[input: Tensor, target: Tensor], CwMarginOptions>): Tensor {
  const [input, target, { kappa, reduction }] = entry.check(args);
  return applyReduction(bestOtherLogit(input, target).sub(targetLogit(input, target)).clamp(undefined, kappa), { reduction });
}

export const entry = defineLoss({
  id: 'cw-margin',
  fn: cwMarginLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  needsTwoClasses: 'max over the other classes is empty for a single class',
});
