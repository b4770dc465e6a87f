import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambdaFR: opt.number(1e-4, 'λ_FR: the weight of the feature-norm term (not in the abstract; 1e-4, of the order of the weight decay it accompanies).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type FeatureNormRegularizerOptions = OptionsOf<typeof options>;

/**
 * Feature-norm regulariser of one-stage weight balancing: penalises the squared L2 norm of the penultimate features.
 *
 * ℓᵢ = λ_FR·‖hᵢ‖²₂, averaged over the batch; added to CE + weight decay (the one-stage recipe also fixes a
 * simplex-ETF classifier and adjusts logits post hoc: separate entries).
 *
 * @param input penultimate features h [N, D]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Hasegawa & Sato, "Exploring Weight Balancing on Long-Tailed Recognition Problem", ICLR 2024
 */
export function featureNormRegularizer(...args: Call<[input: Tensor], FeatureNormRegularizerOptions>): Tensor {
  const [input, { lambdaFR, reduction }] = entry.check(args);
  return applyReduction(input.square().sum(-1).mul(lambdaFR), { reduction });
}

export const entry = defineLoss({
  id: 'feature-norm-regularizer',
  fn: featureNormRegularizer,
  args: [{ name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' }],
  options,
  output: 'per-sample',
  reading: 'R_FR = λ_FR·mean_i ‖hᵢ‖²₂ on the penultimate features, λ_FR = 1e-4 by default (the paper\'s value is not in the abstract).',
});
