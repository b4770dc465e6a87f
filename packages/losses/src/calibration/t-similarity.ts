import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction('none'),
};
export type TSimilarityOptions = OptionsOf<typeof options>;

/**
 * T-similarity: the mean pairwise agreement of an ensemble of M heads, a confidence measure for
 * pseudo-label selection that is robust to sample selection bias (used instead of the MSP).
 *
 * s_T(x) = 1/(M(M−1)) Σ_{m≠m'} p_m(x)·p_m'(x) = (‖Σ_m p_m‖² − Σ_m ‖p_m‖²) / (M(M−1)), computed in
 * that O(MC) form. In [0, 1]; 1 iff all heads put all mass on one class.
 *
 * @param probs the heads' softmax outputs [N, M, C] (the paper's [M, N, C], batch first), M ≥ 2
 * @returns [N] with reduction 'none' (the default); a scalar with 'mean' or 'sum'
 * @see Odonnat, Feofanov & Redko, "Leveraging Ensemble Diversity for Robust Self-Training in the Presence of Sample Selection Bias", AISTATS 2024
 */
export function tSimilarity(...args: Call<[probs: Tensor], TSimilarityOptions>): Tensor {
  const [probs, { reduction }] = entry.check(args);
  const m = probs.shape[1];
  const total = probs.sum(1).square().sum(-1);
  const self = probs.square().sum([1, 2]);
  return applyReduction(total.sub(self).div(m * (m - 1)), { reduction });
}

export const entry = defineLoss({
  id: 't-similarity',
  fn: tSimilarity,
  args: [{ name: 'probs', shape: ['N', 'M', 'C'], dtype: 'float', domain: 'simplex' }],
  options,
  output: 'per-sample',
});
