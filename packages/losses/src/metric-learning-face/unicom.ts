import { defaultGenerator, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, marginSoftmax, marginSoftmaxArgs, sampleClasses } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  classSampleRate: opt.number(0.1, "r_c: the fraction of class prototypes sampled per step (Partial FC's rule).", '(0, 1]'),
  dimSampleRate: opt.number(0.5, 'r_d: the fraction of embedding dimensions sampled per step, ⌈r_d·D⌉ of them.', '(0, 1]'),
  s: opt.number(64, 's: the scale of every logit.', '(0, inf)'),
  m: opt.number(0.3, 'm: the additive angular (ArcFace) margin.', '[0, 3.141592653589793)'),
  generator: opt.generator(),
  reduction: opt.reduction(),
};
export type UnicomOptions = OptionsOf<typeof options>;

/**
 * Unicom's dual random partial margin softmax: Partial FC's class sampling and a random subset of the feature
 * dimensions, drawn per step.
 *
 * S = the batch's classes ∪ uniformly drawn others, |S| = max(⌈r_c·C⌉, |unique(y)|); Dsub = ⌈r_d·D⌉ dimensions drawn
 * uniformly without replacement (both seeded by `generator`, not differentiable); c_ij = cos(x_i[Dsub], W_j[Dsub]) for
 * j ∈ S, each side renormalised over the subset; ℓᵢ = ArcFace cross-entropy over S (target s·cos(θ + m), InsightFace's
 * fallback past θ = π − m), a max-shifted logsumexp. Only the sampled rows and columns of W receive gradient.
 *
 * @param embeddings features x [N, D]
 * @param labels pseudo-class indices [N] (int32) into the full W (clusters of a data step)
 * @param weight every prototype W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see An et al., "Unicom: Universal and Compact Representation Learning for Image Retrieval", ICLR 2023, arXiv:2304.05884
 */
export function unicomLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], UnicomOptions>): Tensor {
  const [embeddings, labels, weight, { classSampleRate, dimSampleRate, s, m, generator, reduction }] = entry.check(args);
  const sample = sampleClasses(labels, weight.shape[0], classSampleRate, generator);
  const d = embeddings.shape[1];
  const g = generator ?? defaultGenerator;
  const keys = Array.from({ length: d }, () => g.uniform());
  const k = Math.max(1, Math.min(d, Math.ceil(dimSampleRate * d)));
  const dims = [...keys.keys()].sort((a, b) => keys[b] - keys[a]).slice(0, k).sort((a, b) => a - b);
  const sub = tensor(Int32Array.from(dims), { dtype: 'int32', backend: embeddings.backendName });
  const cos = cosineLogits(embeddings.indexSelect(1, sub), weight.indexSelect(0, sample.index).indexSelect(1, sub));
  return applyReduction(marginSoftmax({ s, m2: m, fallback: 'insightface' })(cos, sample.labels), { reduction });
}

export const entry = defineLoss({
  id: 'unicom',
  fn: unicomLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
  stochastic: true,
  reading: "Partial FC's class sampling (sampleClasses) composed with a uniform draw of ⌈r_d·D⌉ feature dimensions per call; embeddings and prototypes are both renormalised over the drawn dimensions before the cosine; ArcFace (m = 0.3, s = 64, InsightFace's fallback) on the sampled classes. With both rates 1 it is ArcFace.",
});
