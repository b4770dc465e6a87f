import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { denoisingValues } from '../parts/gen-diffusion.js';
import { applyReduction } from '../reduce.js';

const options = {
  clip: opt.number(5, 'The ceiling of the weight 1/SNR(t) (1/SNR → ∞ as t → T); 5 is Min-SNR-γ\'s γ, the usual clip for SNR weights, chosen here because the abstract gives none.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type DebiasedDiffusionWeightingOptions = OptionsOf<typeof options>;

/**
 * ε-prediction diffusion loss weighted so that it estimates the x₀-reconstruction error without the constant-weight bias.
 *
 * ℓ_b = w(t_b)·mean over elements (ε̂ − ε)², w(t) = min(1/SNR(t), clip), 1/SNR = σ_t²/α_t² = (1 − ᾱ_t)/ᾱ_t, since
 * ‖x₀ − x̂₀‖² = ‖ε − ε̂‖²/SNR(t). The draw of t, ε and the network are the caller's (as in diffusion-denoising-loss).
 *
 * @param input the network's noise prediction ε̂ [N, ...]
 * @param noise the ε used to build x_t [N, ...]
 * @param alpha α_t per sample [N]
 * @param sigma σ_t per sample [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Yu et al., "Debias the Training of Diffusion Models", 2023
 */
export function debiasedDiffusionWeighting(...args: Call<[input: Tensor, noise: Tensor, alpha: Tensor, sigma: Tensor], DebiasedDiffusionWeightingOptions>): Tensor {
  const [input, noise, alpha, sigma, { clip, reduction }] = entry.check(args);
  const w = sigma.square().div(alpha.square()).clamp(undefined, clip).detach();
  return applyReduction(denoisingValues(input, noise, noise, alpha, sigma, 'epsilon').mul(w), { reduction });
}

export const entry = defineLoss({
  id: 'debiased-diffusion-weighting',
  fn: debiasedDiffusionWeighting,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'noise', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'alpha', shape: ['N'], dtype: 'float', domain: 'positive', stopGradient: true },
    { name: 'sigma', shape: ['N'], dtype: 'float', domain: 'positive', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'w(t) = min(1/SNR(t), clip) on the ε-prediction MSE, the unbiased x₀-reconstruction weighting the catalog reads from the abstract; the paper\'s exact weight and its normalisation are not in the abstract, so the clip (default 5) is a declared choice.',
});
