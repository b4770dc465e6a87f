import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { bernoulliNll, elementsPerSample, gaussianDecoderNll, gaussianKl, sumSquaredError } from '../parts/gen-vae.js';
import { applyReduction } from '../reduce.js';

const options = {
  beta: opt.number(1, 'β: the weight of the KL term (1: the ELBO; β > 1: β-VAE).', '[0, inf)'),
  gamma: opt.numberOrTensor(1, ['N'], "γ: the Gaussian decoder's variance (a number, or a tensor: learned, e.g. e^{log γ} with a parameter log γ, as in Dai & Wipf's two-stage VAE); 1: the plain squared error halved.", '(0, inf)'),
  likelihood: opt.oneOf(['gaussian', 'bernoulli'] as const, 'gaussian', "'gaussian': recon = Σ(x − x̂)²/(2γ) + (D/2)·log γ; 'bernoulli': the input is decoder logits and recon = Σ BCE-with-logits(x̂, x) (x in [0, 1]), γ unused."),
  reduction: opt.reduction(),
};
export type VaeElboOptions = OptionsOf<typeof options>;

/**
 * The negative evidence lower bound of a Gaussian-latent VAE (β-VAE, learned decoder variance γ).
 *
 * ℓᵢ = recon(xᵢ, x̂ᵢ) + β·KL(N(μᵢ, σᵢ²) ‖ N(0, I)), KL = ½Σ(μ² + e^{logvar} − logvar − 1) (vae-gaussian-kl).
 * Gaussian decoder N(x̂, γI): recon = Σ_D (x − x̂)²/(2γ) + (D/2)·log γ (the constant (D/2)·log 2π dropped);
 * Bernoulli decoder: recon = Σ_D softplus(x̂) − x·x̂ (BCE with logits). Sums over data and latent dims, then the
 * batch reduction. The decoder mean x̂ = dec(z) comes from z = μ + e^{logvar/2}·ε (the caller's reparameterised
 * sample, so the gradient reaches μ and logvar through x̂ as well).
 *
 * @param input decoder output x̂ [N, ...] (means, or logits for 'bernoulli')
 * @param target data x [N, ...]
 * @param mu encoder means [N, d]
 * @param logvar encoder log-variances [N, d]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014; Higgins et al., "β-VAE", ICLR 2017;
 *   Dai & Wipf, "Diagnosing and Enhancing VAE Models", ICLR 2019; Asperti & Trentin, "Balancing reconstruction error
 *   and Kullback-Leibler divergence in Variational Autoencoders", IEEE Access 2020, arXiv:2002.07514
 */
export function vaeElbo(...args: Call<[input: Tensor, target: Tensor, mu: Tensor, logvar: Tensor], VaeElboOptions>): Tensor {
  const [input, target, mu, logvar, { beta, gamma, likelihood, reduction }] = entry.check(args);
  const recon = likelihood === 'bernoulli'
    ? bernoulliNll(input, target)
    : gaussianDecoderNll(sumSquaredError(input, target), typeof gamma === 'number' ? gamma : gamma.reshape(gamma.ndim === 0 ? [] : [-1]), elementsPerSample(input));
  return applyReduction(recon.add(gaussianKl(mu, logvar).mul(beta)), { reduction });
}

export const entry = defineLoss({
  id: 'vae-elbo',
  fn: vaeElbo,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'mu', shape: ['N', 'K'], dtype: 'float', domain: 'real' },
    { name: 'logvar', shape: ['N', 'K'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
