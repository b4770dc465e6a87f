import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { gaussianKl } from '../parts/gen-vae.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type VaeGaussianKlOptions = OptionsOf<typeof options>;

/**
 * The VAE's KL term: a diagonal Gaussian posterior N(μ, diag σ²) against the prior N(0, I).
 *
 * KLᵢ = ½ Σ_d (μ_d² + e^{logvar_d} − logvar_d − 1), parameterised by the log-variance so that σ² = e^{logvar} is
 * never logged; summed over latent dims, then reduced over the batch ('mean': Kingma & Welling's per-sample KL
 * averaged over the minibatch).
 *
 * @param input encoder means μ [N, d]
 * @param logvar encoder log-variances log σ² [N, d]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014, arXiv:1312.6114 (Appendix B)
 */
export function vaeGaussianKl(...args: Call<[input: Tensor, logvar: Tensor], VaeGaussianKlOptions>): Tensor {
  const [input, logvar, { reduction }] = entry.check(args);
  return applyReduction(gaussianKl(input, logvar), { reduction });
}

export const entry = defineLoss({
  id: 'vae-gaussian-kl',
  fn: vaeGaussianKl,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'logvar', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
