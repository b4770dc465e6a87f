/** The denoising-diffusion regression shared by diffusion-denoising-loss and debiased-diffusion-weighting. */
import type { Tensor } from '@graft/core';

/** α_t [N] broadcast over a sample's elements [N, ...]. */
export const perSample = (s: Tensor, like: Tensor): Tensor => s.reshape([s.shape[0], ...like.shape.slice(1).map(() => 1)]);

/** ℓ_b = mean over elements (F − target)², target ε, x₀ or v = α·ε − σ·x₀ [N]. */
export function denoisingValues(out: Tensor, x0: Tensor, noise: Tensor, alpha: Tensor, sigma: Tensor, prediction: 'epsilon' | 'x0' | 'v'): Tensor {
  const target = prediction === 'epsilon' ? noise : prediction === 'x0' ? x0 : perSample(alpha, noise).mul(noise).sub(perSample(sigma, x0).mul(x0));
  return out.sub(target).reshape([out.shape[0], -1]).square().mean(-1);
}
