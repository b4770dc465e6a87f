import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  eta: opt.number(1, 'η: the floor of the weight (η + (1 − p)^γ)/(η + 1).', '[0, inf)'),
  gamma: opt.number(5, 'γ: how fast the weight falls with the sample\'s appearance likelihood.', '[0, inf)'),
  reduction: opt.reduction('sum'),
};
export type DatasetEquityGflOptions = OptionsOf<typeof options>;

/**
 * DatasetEquity's generalized focal loss: per-sample task losses weighted down for frequent-looking samples.
 *
 * wᵢ = (η + (1 − pᵢ)^γ)/(η + 1), L = Σᵢ wᵢ·lᵢ (the official code sums; 'mean' is the usual alternative).
 * pᵢ is a precomputed appearance likelihood (offline clustering of perceptual embeddings), constant
 * with respect to the model: it receives no gradient.
 *
 * @param losses per-sample task losses l [N] (≥ 0)
 * @param likelihood sample appearance likelihoods p [N] in [0, 1]
 * @returns Σ (default), the mean, or the weighted losses [N] with reduction 'none'
 * @see Shrivastava et al., "DatasetEquity: Are All Samples Created Equal? In The Quest For Equity Within Datasets", ICCV Workshops 2023
 */
export function datasetEquityGfl(...args: Call<[losses: Tensor, likelihood: Tensor], DatasetEquityGflOptions>): Tensor {
  const [losses, likelihood, { eta, gamma, reduction }] = entry.check(args);
  const w = likelihood.detach().neg().add(1).pow(gamma).add(eta).div(eta + 1);
  return applyReduction(losses.mul(w), { reduction });
}

export const entry = defineLoss({
  id: 'datasetequity-gfl',
  fn: datasetEquityGfl,
  args: [
    { name: 'losses', shape: ['N'], dtype: 'float', domain: 'nonneg' },
    { name: 'likelihood', shape: ['N'], dtype: 'float', domain: 'prob', stopGradient: true },
  ],
  options,
  output: 'elementwise',
});
