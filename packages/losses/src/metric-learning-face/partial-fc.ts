import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, marginSoftmax, marginSoftmaxArgs, sampleClasses } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  sampleRate: opt.number(0.1, 'r: the fraction of class centres sampled per step (0.3 suggested on noisy data).', '(0, 1]'),
  marginType: opt.oneOf(['arcface', 'cosface'], 'arcface', 'The margin softmax computed on the sampled classes.'),
  s: opt.number(64, 's: the scale of every logit.', '(0, inf)'),
  m: opt.number(0.5, "m: the margin (ArcFace's angular m; the paper's CosFace variant uses 0.4).", '[0, 3.141592653589793)'),
  generator: opt.generator(),
  reduction: opt.reduction(),
};
export type PartialFcOptions = OptionsOf<typeof options>;

/**
 * Partial FC: a margin softmax over a random subset of the class centres.
 *
 * S = the classes present in the batch ∪ uniformly drawn others, |S| = max(⌈r·C⌉, |unique(y)|) (seeded by
 * `generator`; not differentiable); labels are remapped into S and the margin softmax (ArcFace with InsightFace's
 * fallback, or CosFace) runs on W[S] only, so only the sampled rows of W receive gradient: ℓ = lse over S − target.
 * The distributed form (a shard of W per device, all-reduced softmax statistics) is this computation on one device.
 *
 * @param embeddings features x [N, D]
 * @param labels class indices [N] (int32) into the full W
 * @param weight every class centre W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see An et al., "Partial FC: Training 10 Million Identities on a Single Machine", ICCVW 2021, arXiv:2010.05222
 */
export function partialFcLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], PartialFcOptions>): Tensor {
  const [embeddings, labels, weight, { sampleRate, marginType, s, m, generator, reduction }] = entry.check(args);
  const sample = sampleClasses(labels, weight.shape[0], sampleRate, generator);
  const head = marginSoftmax(marginType === 'arcface' ? { s, m2: m, fallback: 'insightface' } : { s, m3: m });
  return applyReduction(head(cosineLogits(embeddings, weight.indexSelect(0, sample.index)), sample.labels), { reduction });
}

export const entry = defineLoss({
  id: 'partial-fc',
  fn: partialFcLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
  stochastic: true,
});
