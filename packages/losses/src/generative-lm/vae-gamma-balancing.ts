import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { elementsPerSample, gaussianDecoderNll, gaussianKl, sumSquaredError } from '../parts/gen-vae.js';
import { applyReduction } from '../reduce.js';

const options = {
  gammaMin: opt.number(1e-3, 'γ_min: the floor of γ (the catalog gives 1e-3 to 1e-2; the lower end keeps the balancing active longest).', '(0, inf)'),
  gamma: opt.number(null, "γ supplied by the caller, e.g. a running average of the MSE (then clamped at γ_min); null: this batch's mean squared error.", '(0, inf)'),
  reduction: opt.reduction(),
};
export type VaeGammaBalancingOptions = OptionsOf<typeof options>;

/**
 * VAE loss with the decoder variance set deterministically to the reconstruction error (Asperti & Trentin).
 *
 * γ = max(sg(mse), γ_min), mse = the batch mean of (x − x̂)² over all elements (or the caller's running average);
 * ℓᵢ = D·mseᵢ/(2γ) + (D/2)·log γ + KLᵢ, mseᵢ the sample's mean squared error, D its elements. γ is held constant
 * (a stop-gradient), so log γ adds no gradient and the KL's effective weight relative to the MSE is 2γ/D.
 *
 * @param input decoder means x̂ [N, ...]
 * @param target data x [N, ...]
 * @param mu encoder means [N, d]
 * @param logvar encoder log-variances [N, d]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Asperti & Trentin, "Balancing reconstruction error and Kullback-Leibler divergence in Variational
 *   Autoencoders", IEEE Access 2020, arXiv:2002.07514
 */
export function vaeGammaBalancing(...args: Call<[input: Tensor, target: Tensor, mu: Tensor, logvar: Tensor], VaeGammaBalancingOptions>): Tensor {
  const [input, target, mu, logvar, { gammaMin, gamma, reduction }] = entry.check(args);
  const d = elementsPerSample(input);
  const sse = sumSquaredError(input, target);
  const g = gamma === null ? sse.detach().mean().div(d).clamp(gammaMin) : input.newOnes([]).mul(Math.max(gamma, gammaMin));
  return applyReduction(gaussianDecoderNll(sse, g, d).add(gaussianKl(mu, logvar)), { reduction });
}

export const entry = defineLoss({
  id: 'vae-gamma-balancing',
  fn: vaeGammaBalancing,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'mu', shape: ['N', 'K'], dtype: 'float', domain: 'real' },
    { name: 'logvar', shape: ['N', 'K'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  surrogateGradient: 'γ is the batch MSE held constant (the paper\'s deterministic γ): the gradient treats it as a constant, the value does not',
});
