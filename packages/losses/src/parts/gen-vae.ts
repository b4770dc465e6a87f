/** The VAE family's pieces: the diagonal-Gaussian KL to N(0, I) and the reconstruction terms, per sample. */
import type { Tensor } from '@graft/core';

const flat = (x: Tensor): Tensor => x.reshape([x.shape[0], -1]);

/** KL(N(μ, diag e^{logvar}) ‖ N(0, I)) per sample: ½ Σ_d (μ² + e^{logvar} − logvar − 1) [N]. */
export function gaussianKl(mu: Tensor, logvar: Tensor): Tensor {
  return flat(mu.square().add(logvar.exp()).sub(logvar).sub(1)).sum(-1).mul(0.5);
}

/** Σ over a sample's elements of (x − x̂)² [N]. */
export const sumSquaredError = (recon: Tensor, x: Tensor): Tensor => flat(recon.sub(x).square()).sum(-1);

/**
 * The Gaussian decoder N(x̂, γI)'s −log p(x | x̂) per sample without the (D/2)·log 2π constant, from the sum of
 * squared errors: sse/(2γ) + (D/2)·log γ [N]. γ a number (log taken in JS) or a tensor broadcasting against [N].
 */
export function gaussianDecoderNll(sse: Tensor, gamma: number | Tensor, d: number): Tensor {
  if (typeof gamma === 'number') return sse.div(2 * gamma).add(Math.log(gamma) * d / 2);
  return sse.div(gamma.mul(2)).add(gamma.log().mul(d / 2));
}

/** Bernoulli −log p(x | logits) summed per sample [N]: BCE with logits, softplus(z) − x·z (stable). */
export const bernoulliNll = (logits: Tensor, x: Tensor): Tensor => flat(logits.softplus().sub(logits.mul(x))).sum(-1);

/** The elements per sample, D. */
export const elementsPerSample = (x: Tensor): number => (x.shape[0] === 0 ? 0 : x.size / x.shape[0]);
