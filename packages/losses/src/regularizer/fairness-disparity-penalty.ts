import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { groupStats, membership } from '../parts/reg-a-group-stats.js';

const options = {
  lambda: opt.number(1, 'λ: the weight of the disparity penalty (not given in the abstract; 1 weighs it like the mean loss).', '[0, inf)'),
  penalty: opt.oneOf(['abs', 'variance'], 'abs', "'abs': Σ_g |L_g − L̄|; 'variance': the population variance of the group means L_g."),
};
export type FairnessDisparityPenaltyOptions = OptionsOf<typeof options>;

/**
 * Fairness-regularised loss: the mean loss plus a penalty on how far each demographic group's mean loss lies from it.
 *
 * L̄ = mean_i lᵢ, L_g = mean_{i: gᵢ = g} lᵢ (segment means through a one-hot membership, no loop);
 * 'abs': L = L̄ + λ·Σ_{g present} |L_g − L̄|; 'variance': L = L̄ + λ·mean_g (L_g − mean_g L_g)² over the present groups.
 *
 * @param input per-sample losses l [N] (from any loss with reduction 'none')
 * @param groups group membership [N, G] (0/1; rows may overlap), or group ids g [N] (int32, G = max g + 1); empty groups are left out
 * @returns a scalar
 * @see "Assessing Algorithmic Bias in Language-Based Depression Detection: A Comparison of DNN and LLM Approaches", 2025
 */
export function fairnessDisparityPenalty(...args: Call<[input: Tensor, groups: Tensor], FairnessDisparityPenaltyOptions>): Tensor {
  const [l, groups, { lambda, penalty }] = entry.check(args);
  const { present, mean } = groupStats(l, membership(groups, l));
  const overall = l.mean();
  if (penalty === 'abs') return overall.add(mean.sub(overall).abs().mul(present).sum().mul(lambda));
  const k = present.sum();
  const centre = mean.mul(present).sum().div(k);
  return overall.add(mean.sub(centre).square().mul(present).sum().div(k).mul(lambda));
}

export const entry = defineLoss({
  id: 'fairness-disparity-penalty',
  fn: fairnessDisparityPenalty,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'groups', shape: ['N', 'G'], dtype: 'float', domain: 'mask', or: { shape: ['N'], dtype: 'int', domain: 'nonneg' } },
  ],
  options,
  output: 'batch',
  reading: 'L = mean loss + λ·Σ_g |L_g − mean loss| over the groups present in the batch (penalty \'variance\': λ·Var_g(L_g), population variance).',
});
