import { normal, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, marginSoftmax, marginSoftmaxArgs, targetOf } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  variant: opt.oneOf(['arc', 'cos'], 'arc', "'arc': a per-sample angular margin cos(θ_y + m_i) (ElasticFace-Arc); 'cos': a cosine margin c_y − m_i (ElasticFace-Cos)."),
  plus: opt.boolean(false, "ElasticFace+: the largest drawn margins go to the samples with the smallest target cosine."),
  s: opt.number(64, 's: the scale of every logit.', '(0, inf)'),
  m: opt.number(0.5, 'm: the mean of the drawn margins (Arc 0.5; Cos 0.35).', '[0, 3.141592653589793)'),
  sigma: opt.number(0.05, 'σ: the standard deviation of the drawn margins (Arc+ 0.0175, Cos+ 0.025); 0 gives ArcFace/CosFace without fallback.', '[0, inf)'),
  generator: opt.generator(),
  reduction: opt.reduction(),
};
export type ElasticFaceOptions = OptionsOf<typeof options>;

/**
 * ElasticFace: ArcFace or CosFace with a margin drawn per sample from N(m, σ) at every call.
 *
 * m_i ~ N(m, σ) (seeded `generator`, no gradient); Arc: target s·cos(θ_y + m_i) (no fallback, as the authors'
 * code), Cos: s·(c_y − m_i); others s·c_j; ℓ = lse − target (max-shifted). '+': the drawn margins sorted ascending
 * go to the samples in order of descending c_y (the paper's rule: the hardest samples get the largest margins;
 * the authors' code indexes the sorted margins by the sort permutation instead of its inverse).
 *
 * @param embeddings features x [N, D]
 * @param labels class indices [N] (int32)
 * @param weight class weights W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Boutros et al., "ElasticFace: Elastic Margin Loss for Deep Face Recognition", CVPRW 2022, arXiv:2109.09416
 */
export function elasticFaceLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], ElasticFaceOptions>): Tensor {
  const [embeddings, labels, weight, { variant, plus, s, m, sigma, generator, reduction }] = entry.check(args);
  const cos = cosineLogits(embeddings, weight);
  let margins = normal(m, sigma, [labels.shape[0]], { generator, dtype: cos.dtype, backend: cos.backendName });
  if (plus) {
    const order = targetOf(cos, labels).detach().argsort(0, true);
    margins = margins.zerosLike().scatter(0, order, margins.sort(0).values);
  }
  return applyReduction(marginSoftmax(variant === 'arc' ? { s, m2: margins } : { s, m3: margins })(cos, labels), { reduction });
}

export const entry = defineLoss({
  id: 'elasticface',
  fn: elasticFaceLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
  stochastic: true,
});
