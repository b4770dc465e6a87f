import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { type ClassGaussianOptions, type ClassGaussians, robustClassGaussians } from '../parts/class-gaussians.js';
import { hardCe } from '../parts/pseudo-label-ce.js';

const options = {
  lambda: opt.number(1, 'λ: weight of the representation-calibration term mean ‖hᵢ − h⁰ᵢ‖² (the catalog leaves it open; 1 weighs it like the CE).', '[0, inf)'),
};
export type RcalOptions = OptionsOf<typeof options>;

/**
 * RCAL: cross-entropy on real and distribution-sampled features, plus a pull toward the contrastive representation.
 *
 * L = (Σᵢ CE(W hᵢ + b, yᵢ) + Σ_m CE(W h̃_m + b, ỹ_m)) / (N + M) + λ·(1/N)·Σᵢ ‖hᵢ − h⁰ᵢ‖², CE max-shifted.
 * h⁰ are the frozen self-supervised (contrastive) features, held constant. The sampled features h̃_m ~ N(μ_ỹ, Σ_ỹ)
 * come from the distributional calibration, `rcalClassGaussians` (per class: Local-Outlier-Factor outliers of h⁰ dropped,
 * mean and covariance of the rest; a tail class averages its statistics with its q nearest head classes');
 * `rcalSampleFeatures` draws them by reparameterisation from the means, Cholesky factors and standard-normal noise
 * (drawn by the caller from a seeded generator).
 *
 * @param features fine-tuned features h [N, D]
 * @param contrastiveFeatures frozen contrastive features h⁰ [N, D] (held constant)
 * @param target noisy labels y [N] (int32)
 * @param weight classifier weights W [C, D]
 * @param sampledFeatures features drawn from the calibrated class Gaussians h̃ [M, D]
 * @param sampledTarget the class of each drawn feature ỹ [M] (int32)
 * @param bias classifier bias b [C] (optional)
 * @returns a scalar
 * @see Zhang et al., "When Noisy Labels Meet Long Tail Dilemmas: A Representation Calibration Method", ICCV 2023
 */
export function rcalLoss(...args: Call<[features: Tensor, contrastiveFeatures: Tensor, target: Tensor, weight: Tensor, sampledFeatures: Tensor, sampledTarget: Tensor, bias?: Tensor], RcalOptions>): Tensor {
  const [h, h0, target, weight, sampled, sampledTarget, bias, { lambda }] = entry.check(args);
  const head = (x: Tensor) => (bias ? x.matmul(weight.T).add(bias) : x.matmul(weight.T));
  const ce = hardCe(head(h), target).sum().add(hardCe(head(sampled), sampledTarget).sum()).div(h.shape[0] + sampled.shape[0]);
  return ce.add(h.sub(h0.detach()).square().sum(-1).mean().mul(lambda));
}

/** RCAL's distributional calibration of the frozen features h⁰ [N, D] with their noisy labels [N] (see robustClassGaussians). */
export function rcalClassGaussians(contrastiveFeatures: Tensor, target: Tensor, numClasses: number, opts: ClassGaussianOptions = {}): ClassGaussians {
  return robustClassGaussians(contrastiveFeatures, target, numClasses, opts);
}

/** h̃_m = μ_{ỹ_m} + L_{ỹ_m}·ε_m: means [C, D], Cholesky factors L [C, D, D] (Σ = L Lᵀ), classes ỹ [M] (int32), noise ε [M, D] ~ N(0, I). */
export function rcalSampleFeatures(means: Tensor, scaleTril: Tensor, classes: Tensor, noise: Tensor): Tensor {
  const l = scaleTril.indexSelect(0, classes);
  return means.indexSelect(0, classes).add(l.matmul(noise.unsqueeze(-1)).squeeze(-1));
}

export const entry = defineLoss({
  id: 'rcal',
  fn: rcalLoss,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'contrastiveFeatures', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'sampledFeatures', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'sampledTarget', shape: ['M'], dtype: 'int', domain: 'label' },
    { name: 'bias', shape: ['C'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'batch',
  reading: 'CE of the linear classifier over the real fine-tuned features and the features sampled from the calibrated class Gaussians (one mean over both), plus λ·mean ‖h − h⁰‖² toward the frozen contrastive features; the robust Gaussian fit (rcalClassGaussians: LOF outlier removal, tail classes averaged with their q nearest head classes, as in the paper\'s text; its exact calibration formula is our reading) runs once before training and the draws are an argument (rcalSampleFeatures reparameterises them from seeded noise).',
});
