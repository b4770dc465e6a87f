import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, marginSoftmaxArgs, targetMask } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  r: opt.number(30, 'r: the radius (scale) of the binary logits.', '(0, inf)'),
  m: opt.number(0.4, 'm: the additive cosine margin (SphereFace2-C).', '[0, inf)'),
  lam: opt.number(0.7, 'λ: the weight of the positive term (1 − λ of the negatives).', '[0, 1]'),
  t: opt.number(3, 't: the similarity adjustment g(c) = 2((c + 1)/2)^t − 1.', '(0, inf)'),
  b: opt.numberOrTensor(-30, [], 'b: the bias of every binary logit (learnable: pass a scalar tensor that requires grad; the paper initialises it near −r).'),
  reduction: opt.reduction(),
};
export type SphereFace2Options = OptionsOf<typeof options>;

/**
 * SphereFace2 (additive cosine margin form, SphereFace2-C): C one-vs-all binary classifications.
 *
 * c_j = cos(x, W_j) (normalised), g(c) = 2((c + 1)/2)^t − 1; ℓ_i = (λ/r)·softplus(−(r(g(c_y) − m) + b)) +
 * ((1 − λ)/r)·Σ_{j≠y} softplus(r(g(c_j) + m) + b) (softplus in its stable form). The gradient flows through g
 * (the formula as written; the authors' code applies g and m as a detached shift of c, which changes gradients only).
 *
 * @param embeddings features x [N, D]
 * @param labels class indices [N] (int32)
 * @param weight class weights W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Wen et al., "SphereFace2: Binary Classification is All You Need for Deep Face Recognition", ICLR 2022, arXiv:2108.01513
 */
export function sphereFace2Loss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], SphereFace2Options>): Tensor {
  const [embeddings, labels, weight, { r, m, lam, t, b, reduction }] = entry.check(args);
  const cos = cosineLogits(embeddings, weight).clamp(-1, 1);
  const g = cos.add(1).div(2).pow(t).mul(2).sub(1);
  const onehot = targetMask(labels, cos.shape[1]);
  const pos = g.sub(m).mul(r).add(b).neg().softplus().mul(lam / r);
  const neg = g.add(m).mul(r).add(b).softplus().mul((1 - lam) / r);
  return applyReduction(onehot.where(pos, neg).sum(1), { reduction });
}

export const entry = defineLoss({
  id: 'sphereface2',
  fn: sphereFace2Loss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
});
