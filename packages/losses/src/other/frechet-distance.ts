import { linalg, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type FrechetDistanceOptions = OptionsOf<typeof options>;

/** The covariance of rows [N, D] → [D, D], denominator max(N − 1, 1) (unbiased as np.cov; one sample: 0). */
function covariance(x: Tensor): Tensor {
  const c = x.sub(x.mean(0, true));
  return c.transpose(0, 1).matmul(c).div(Math.max(x.shape[0] - 1, 1));
}

/** Symmetric PSD square root by eigh: V diag(√max(λ, 0)) Vᵀ (round-off negatives clipped). */
function psdSqrt(s: Tensor): Tensor {
  const { eigenvalues, eigenvectors: v } = linalg.eigh(s);
  return v.mul(eigenvalues.clamp(0).sqrt().unsqueeze(0)).matmul(v.transpose(0, 1));
}

/**
 * Fréchet distance between Gaussians fitted to two feature sets (FID with Inception features; FD_DINOv2 with
 * DINOv2-ViT-L/14 features, which the paper recommends). The feature extractor is the caller's: pass its
 * embeddings of the real and the generated images.
 *
 * FD = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^{1/2}). Stable form: Σ₁Σ₂ is not symmetric, but with A = Σ₁^{1/2} it is
 * similar to A Σ₂ A (symmetric PSD), so Tr(Σ₁Σ₂)^{1/2} = Σᵢ √λᵢ(A Σ₂ A) by two symmetric eigendecompositions
 * (no complex parts to discard, as scipy's sqrtm route has). Covariances are unbiased (np.cov).
 *
 * @param real features of the reference set [N, D]
 * @param generated features of the generated set [M, D]
 * @returns a scalar
 * @see Stein et al., "Exposing flaws of generative model evaluation metrics and their unfair treatment of
 *   diffusion models", NeurIPS 2023; Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a
 *   Local Nash Equilibrium", NeurIPS 2017
 */
export function frechetDistance(...args: Call<[real: Tensor, generated: Tensor], FrechetDistanceOptions>): Tensor {
  const [real, generated] = entry.check(args);
  const s1 = covariance(real);
  const s2 = covariance(generated);
  const a = psdSqrt(s1);
  const m = a.matmul(s2).matmul(a);
  const traceSqrt = linalg.eigh(m.add(m.transpose(0, 1)).mul(0.5)).eigenvalues.clamp(0).sqrt().sum();
  const meanTerm = real.mean(0).sub(generated.mean(0)).square().sum();
  return meanTerm.add(s1.trace()).add(s2.trace()).sub(traceSqrt.mul(2));
}

export const entry = defineLoss({
  id: 'frechet-distance',
  fn: frechetDistance,
  args: [
    { name: 'real', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'generated', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  nonDifferentiable: 'an evaluation metric: the matrix square root has an unbounded gradient at the singular covariances of fewer samples than dimensions, and eigh\'s at repeated eigenvalues',
});
