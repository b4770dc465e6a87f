import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  w1: opt.number(0.5, 'w1: the weight of the reconstruction-bias term (x − μ)²/σ².', '[0, inf)'),
  w2: opt.number(0.5, 'w2: the weight of the judgement-uncertainty term log σ².', '[0, inf)'),
  reduction: opt.reduction(),
};
export type ApreOptions = OptionsOf<typeof options>;

/**
 * Adjustable probabilistic reconstruction error (APRE) of a Gaussian decoder.
 *
 * ℓ = Σ_d [w1·(x_d − μ_d)²/σ_d² + w2·log σ_d²] per sample; w1 = w2 = ½ is the Gaussian NLL summed over dimensions
 * (PRE, without the constant). Reading: the placement of the two weights (one per term) is the catalog's assumption.
 *
 * @param input data x [N, D]
 * @param mu decoder means μ [N, D]
 * @param sigma decoder standard deviations σ [N, D] (> 0)
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see "Improving Autoencoder-based Outlier Detection with Adjustable Probabilistic Reconstruction Error and Mean-shift Outlier Scoring" (the catalog's paper)
 */
export function apreLoss(...args: Call<[input: Tensor, mu: Tensor, sigma: Tensor], ApreOptions>): Tensor {
  const [x, mu, sigma, { w1, w2, reduction }] = entry.check(args);
  const s2 = sigma.square();
  return applyReduction(x.sub(mu).square().div(s2).mul(w1).add(s2.log().mul(w2)).sum(1), { reduction });
}

export const entry = defineLoss({
  id: 'apre',
  fn: apreLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'mu', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'sigma', shape: ['N', 'D'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'per-sample',
  reading: 'ℓ = Σ_d [w1·(x − μ)²/σ² + w2·log σ²]: one weight per term of the Gaussian NLL (w1 = w2 = ½ is PRE).',
});
