import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { nflValues } from '../parts/robust-symmetric.js';

const options = {
  gamma: opt.number(0.5, 'γ: the focusing exponent of (1 − p)^γ.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type NormalizedFocalOptions = OptionsOf<typeof options>;

/**
 * Normalized focal loss (NFL): the focal loss at the label divided by its sum over every possible label.
 *
 * FL_j = −(1 − p_j)^γ·log p_j; ℓᵢ = FL_y / Σ_j FL_j. Stable form: log p from a max-shifted logSoftmax and
 * (1 − p_j)^γ = exp(γ·log(1 − p_j)) with log(1 − p_j) = lse_{k≠j} z_k − lse_k z_k, so neither the power's
 * slope at 0 nor a log of a rounded probability appears: finite at logits of ±1e4 (C ≥ 2).
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Ma et al., "Normalized Loss Functions for Deep Learning with Noisy Labels", ICML 2020
 */
export function normalizedFocalLoss(...args: Call<[input: Tensor, target: Tensor], NormalizedFocalOptions>): Tensor {
  const [input, target, { gamma, reduction }] = entry.check(args);
  return applyReduction(nflValues(input, target, gamma), { reduction });
}

export const entry = defineLoss({
  id: 'normalized-focal',
  fn: normalizedFocalLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  needsTwoClasses: 'Σ_j FL_j is 0 for a single class (0/0)',
});
