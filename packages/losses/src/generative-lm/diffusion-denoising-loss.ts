import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { denoisingValues } from '../parts/gen-diffusion.js';
import { applyReduction } from '../reduce.js';

const options = {
  prediction: opt.oneOf(['epsilon', 'x0', 'v'] as const, 'epsilon', "What the network predicts: 'epsilon' the noise, 'x0' the clean data, 'v' = α_t·ε − σ_t·x₀."),
  weight: opt.tensor(['N'], 'w(t_b) per sample [N]; null: 1 (with ε-prediction, DDPM\'s "simple" loss). debiased-diffusion-weighting gives one schedule-derived choice.'),
  reduction: opt.reduction(),
};
export type DiffusionDenoisingLossOptions = OptionsOf<typeof options>;

/**
 * The denoising diffusion loss: ε-, x₀- or v-prediction, with a per-sample time weighting.
 *
 * x_t = α_t·x₀ + σ_t·ε (DDPM: α_t = √ᾱ_t, σ_t = √(1 − ᾱ_t)); the target is ε, x₀ or v = α_t·ε − σ_t·x₀; ℓ_b =
 * w(t_b)·mean over elements (F_θ(x_t, t_b) − target)². The network F_θ, the schedule and the draw of t (uniform
 * over steps) and ε ~ N(0, I) are the caller's: x_t is built from the same x₀, ε, α_t, σ_t passed here.
 * x₀-prediction MSE = ε-prediction MSE / SNR(t), SNR = α_t²/σ_t².
 *
 * @param input the network output F_θ(x_t, t) [N, ...]
 * @param x0 clean data [N, ...]
 * @param noise the ε used to build x_t [N, ...]
 * @param alpha α_t per sample [N]
 * @param sigma σ_t per sample [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Ho, Jain & Abbeel, "Denoising Diffusion Probabilistic Models", NeurIPS 2020, arXiv:2006.11239;
 *   Salimans & Ho, "Progressive Distillation for Fast Sampling of Diffusion Models", ICLR 2022 (v-prediction)
 */
export function diffusionDenoisingLoss(...args: Call<[input: Tensor, x0: Tensor, noise: Tensor, alpha: Tensor, sigma: Tensor], DiffusionDenoisingLossOptions>): Tensor {
  const [input, x0, noise, alpha, sigma, { prediction, weight, reduction }] = entry.check(args);
  const values = denoisingValues(input, x0, noise, alpha, sigma, prediction);
  return applyReduction(weight ? values.mul(weight) : values, { reduction });
}

export const entry = defineLoss({
  id: 'diffusion-denoising-loss',
  fn: diffusionDenoisingLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'x0', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'noise', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'alpha', shape: ['N'], dtype: 'float', domain: 'positive' },
    { name: 'sigma', shape: ['N'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'per-sample',
});
