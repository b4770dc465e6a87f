import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { euclidean } from '../parts/distances.js';

const options = {
  lambda: opt.number(0.7, 'λ: the weight of the edit-distance term in D-SLA\'s objective.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type DslaEditDistanceOptions = OptionsOf<typeof options>;

/**
 * D-SLA edit-distance discrepancy: the embedding distance of each perturbed graph to its original, per unit of
 * edit distance, should be the same for every perturbation.
 *
 * d_m = ‖h_m − h_0‖₂; ℓ_b = λ·mean_{m<m'} (d_m/e_m − d_m'/e_m')² over the M(M − 1)/2 pairs of perturbations of
 * graph b (0 when M = 1). The distance's gradient at h_m = h_0 is 0 (cdist's subgradient).
 *
 * @param input original-graph embeddings h_0 [N, D]
 * @param target perturbed-graph embeddings h [N, M, D]
 * @param editDistance edit distances e [N, M] (positive)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Kim et al., "Graph Self-supervised Learning with Accurate Discrepancy Learning", NeurIPS 2022
 */
export function dslaEditDistanceLoss(...args: Call<[input: Tensor, target: Tensor, editDistance: Tensor], DslaEditDistanceOptions>): Tensor {
  const [input, target, editDistance, { lambda, reduction }] = entry.check(args);
  const m = target.shape[1];
  const r = euclidean(target, input.unsqueeze(1)).div(editDistance);
  if (m < 2) return applyReduction(r.sum(-1).mul(0), { reduction });
  const pairs = r.newOnes([m, m]).triu(1);
  const sq = r.unsqueeze(2).sub(r.unsqueeze(1)).square().mul(pairs).sum([1, 2]);
  return applyReduction(sq.mul(lambda / ((m * (m - 1)) / 2)), { reduction });
}

export const entry = defineLoss({
  id: 'dsla-edit-distance',
  fn: dslaEditDistanceLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'editDistance', shape: ['N', 'M'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'per-sample',
});
