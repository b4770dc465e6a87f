import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { safeSqrt } from '../parts/distances.js';
import { cosineLogits, marginSoftmaxArgs, softmaxCrossEntropy, targetOf, withTarget } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  m: opt.number(0.4, 'm: the margin.', '[0, 3.141592653589793)'),
  h: opt.number(0.333, 'h: the concentration of the normalised norm (how much of it reaches ±1 before the clip).', '[0, inf)'),
  s: opt.number(64, 's: the scale of every logit.', '(0, inf)'),
  eps: opt.number(1e-3, 'ε: the cosine clamp [−1 + ε, 1 − ε], the angle clip [ε, π − ε] and the std offset (official code).', '(0, 0.1]'),
  batchMean: opt.number(null, "μ: the running mean of the clipped feature norms (AdaFaceNormStats.update); null: this batch's mean.", '[0, inf)'),
  batchStd: opt.number(null, "σ: the running std of the clipped feature norms; null: this batch's (unbiased) std, 0 for one sample.", '[0, inf)'),
  reduction: opt.reduction(),
};
export type AdaFaceOptions = OptionsOf<typeof options>;

/** Feature norms clipped to [0.001, 100], without gradient (the official code's safe_norms): [N, D] → [N]. */
export function adaFaceNorms(embeddings: Tensor): Tensor {
  return safeSqrt(embeddings.detach().square().sum(1)).clamp(0.001, 100);
}

/**
 * AdaFace's running norm statistics as an explicit, serialisable state (official init μ = 20, σ = 100, t_α = 0.01):
 * `update(embeddings)` folds in the batch (μ ← t_α·mean + (1 − t_α)·μ, σ likewise) and returns the values to pass
 * as `batchMean`/`batchStd` for that same batch, as the official forward does.
 */
export class AdaFaceNormStats {
  constructor(public mean = 20, public std = 100, public readonly alpha = 0.01) {}
  update(embeddings: Tensor): { batchMean: number; batchStd: number } {
    const n = adaFaceNorms(embeddings);
    const std = n.shape[0] > 1 ? n.std().item() : 0;
    this.mean = this.alpha * n.mean().item() + (1 - this.alpha) * this.mean;
    this.std = this.alpha * std + (1 - this.alpha) * this.std;
    return { batchMean: this.mean, batchStd: this.std };
  }
  toJSON(): { mean: number; std: number; alpha: number } { return { mean: this.mean, std: this.std, alpha: this.alpha }; }
}

/**
 * AdaFace: a margin that adapts to image quality through the feature norm, between ArcFace and CosFace.
 *
 * n_i = ‖x_i‖ clipped to [0.001, 100] (no gradient); n̂_i = clip(h·(n_i − μ)/(σ + ε), −1, 1); c = cos(x, W)
 * clamped to [−1 + ε, 1 − ε] (every class, official code); θ_y = acos(c_y); target logit
 * s·(cos(clip(θ_y − m·n̂_i, ε, π − ε)) − (m + m·n̂_i)), others s·c_j; ℓ = lse − target (max-shifted). n̂ = −1 gives
 * ArcFace (angular m), n̂ = 0 CosFace (additive m). The norm statistics are state: see AdaFaceNormStats.
 *
 * @param embeddings features x [N, D] (before normalisation: their norm is the quality proxy)
 * @param labels class indices [N] (int32)
 * @param weight class weights W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Kim et al., "AdaFace: Quality Adaptive Margin for Face Recognition", CVPR 2022, arXiv:2204.00964
 */
export function adaFaceLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], AdaFaceOptions>): Tensor {
  const [embeddings, labels, weight, { m, h, s, eps, batchMean, batchStd, reduction }] = entry.check(args);
  const norms = adaFaceNorms(embeddings);
  const mu = batchMean ?? norms.mean();
  const sd = batchStd ?? (norms.shape[0] > 1 ? norms.std() : 0);
  const scaler = norms.sub(mu).div(typeof sd === 'number' ? sd + eps : sd.add(eps)).mul(h).clamp(-1, 1);
  const cos = cosineLogits(embeddings, weight).clamp(-1 + eps, 1 - eps);
  const theta = targetOf(cos, labels).acos().sub(scaler.mul(m)).clamp(eps, Math.PI - eps);
  const target = theta.cos().sub(scaler.mul(m).add(m));
  return applyReduction(softmaxCrossEntropy(withTarget(cos, labels, target).mul(s), labels), { reduction });
}

export const entry = defineLoss({
  id: 'adaface',
  fn: adaFaceLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
  surrogateGradient: "The norms n_i and their batch statistics are held constant (stop-gradient), as the paper and its code define them: the backward is the margin softmax's at fixed n̂, not the derivative of the forward where n̂ varies with x, so finite differences cannot match it; the fixtures check that gradient against PyTorch.",
});
