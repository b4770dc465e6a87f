import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction('none'),
};
export type MahalanobisConfidenceScoreOptions = OptionsOf<typeof options>;

/**
 * Mahalanobis confidence score: the closest class-conditional Gaussian (shared covariance) to a
 * feature vector, as a score for out-of-distribution and adversarial inputs.
 *
 * M(x) = max_c −(f(x) − μ_c)ᵀ Σ⁻¹ (f(x) − μ_c). μ_c and the precision Σ⁻¹ are fitted offline on
 * training features (the official code takes sklearn's `EmpiricalCovariance.precision_`; it also
 * scales the quadratic form by ½, which ranks identically). The paper's input pre-processing
 * x' = x + ε·sign(∇ₓM(x)) needs the network: compute M of its features, take `grad` with respect to
 * the input, and score again (ε = 0 by default, i.e. no pre-processing); the layer ensemble is a
 * logistic regression on per-layer scores. Both are outside this function.
 *
 * @param features f(x) [N, D]
 * @param means class means μ [C, D]
 * @param precision Σ⁻¹ [D, D] (symmetric positive definite)
 * @returns [N] with reduction 'none' (the default); a scalar with 'mean' or 'sum'
 * @see Lee, Lee, Lee & Shin, "A Simple Unified Framework for Detecting Out-of-Distribution Samples and Adversarial Attacks", NeurIPS 2018
 */
export function mahalanobisConfidenceScore(...args: Call<[features: Tensor, means: Tensor, precision: Tensor], MahalanobisConfidenceScoreOptions>): Tensor {
  const [features, means, precision, { reduction }] = entry.check(args);
  const d = features.unsqueeze(1).sub(means.unsqueeze(0)); // [N, C, D]
  const quad = d.matmul(precision).mul(d).sum(-1); // [N, C]
  return applyReduction(quad.neg().amax(-1), { reduction });
}

export const entry = defineLoss({
  id: 'mahalanobis-confidence-score',
  fn: mahalanobisConfidenceScore,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'means', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'precision', shape: ['D', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
