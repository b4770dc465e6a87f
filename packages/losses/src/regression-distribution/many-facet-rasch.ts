import { cat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = { reduction: opt.reduction('sum') };
export type ManyFacetRaschOptions = OptionsOf<typeof options>;

/**
 * Many-facet Rasch (rating-scale) negative log-likelihood of ordinal ratings.
 *
 * For rating x ∈ {0..K} of person n on item i by rater j: η_k = Σ_{h≤k}(θ_n − δ_i − λ_j − τ_h) = k·(θ − δ − λ) −
 * cumsum(τ)_k, η_0 = 0; log P(x = k) = η_k − lse_{k'} η_k' (max-shifted); ℓ = −log P(observed x). The default
 * 'sum' is the catalog's −Σ log P. The identifiability constraints (Σδ = Σλ = Στ = 0) are centring of the
 * parameters, the caller's; the number of levels is K + 1 with K the thresholds' length.
 *
 * @param theta ability of each observation's person θ [N]
 * @param delta difficulty of each observation's item δ [N]
 * @param lambda severity of each observation's rater λ [N]
 * @param tau the rating-scale thresholds τ [K]
 * @param ratings observed ratings x [N] (int32 in 0..K)
 * @returns the sum over observations (default); 'mean'; or [N] with reduction 'none'
 * @see Linacre, "Many-Facet Rasch Measurement", MESA Press 1989; Kennedy et al., "Constructing interval variables via faceted Rasch measurement and multitask deep learning: a hate speech application", 2020, arXiv:2009.10277
 */
export function manyFacetRaschLoss(...args: Call<[theta: Tensor, delta: Tensor, lambda: Tensor, tau: Tensor, ratings: Tensor], ManyFacetRaschOptions>): Tensor {
  const [theta, delta, lambda, tau, ratings, { reduction }] = entry.check(args);
  const K = tau.shape[0];
  const k = tau.newZeros([K + 1]).add(1).cumsum(0).sub(1); // 0..K
  const cumTau = cat([tau.newZeros([1]), tau.cumsum(0)]);
  const eta = theta.sub(delta).sub(lambda).unsqueeze(1).mul(k).sub(cumTau);
  const logp = eta.sub(eta.logsumexp(1, true));
  return applyReduction(logp.gather(1, ratings.unsqueeze(1)).squeeze(1).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'many-facet-rasch',
  fn: manyFacetRaschLoss,
  args: [
    { name: 'theta', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'delta', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'lambda', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'tau', shape: ['K'], dtype: 'float', domain: 'real' },
    { name: 'ratings', shape: ['N'], dtype: 'int', domain: 'ordinal', classes: 'K' },
  ],
  options,
  output: 'per-sample',
});
