import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { angleOfCos, cosineLogits, marginSoftmaxArgs, targetMask } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  s: opt.number(64, 's: the scale (the height of both sigmoids).', '(0, inf)'),
  k: opt.number(80, 'k: the slope of both sigmoids.', '[0, inf)'),
  a: opt.number(0.8, 'a: the intra-class sigmoid centre, in radians.', '[0, 3.141592653589793]'),
  b: opt.number(1.22, 'b: the inter-class sigmoid centre, in radians.', '[0, 3.141592653589793]'),
  reduction: opt.reduction(),
};
export type SFaceOptions = OptionsOf<typeof options>;

/**
 * SFace: sigmoid-constrained hypersphere loss; detached sigmoids of the angles re-weight the cosines' gradients.
 *
 * c_j = cos(x, W_j) (normalised), θ_j = acos(c_j) (no gradient); ℓ_i = −sg(σ(k(θ_y − a)))·s·c_y +
 * Σ_{j≠y} sg(σ(−k(θ_j − b)))·s·c_j, as in the authors' code (loss = intra.mean() + inter.mean(), i.e. the mean of ℓ_i).
 *
 * @param embeddings features x [N, D]
 * @param labels class indices [N] (int32)
 * @param weight class weights W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Zhong et al., "SFace: Sigmoid-Constrained Hypersphere Loss for Robust Face Recognition", IEEE TIP 2021
 */
export function sFaceLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], SFaceOptions>): Tensor {
  const [embeddings, labels, weight, { s, k, a, b, reduction }] = entry.check(args);
  const cos = cosineLogits(embeddings, weight);
  const theta = angleOfCos(cos.detach());
  const onehot = targetMask(labels, cos.shape[1]);
  const w = onehot.where(theta.sub(a).mul(k).sigmoid().neg(), theta.sub(b).mul(-k).sigmoid());
  return applyReduction(w.mul(cos).mul(s).sum(1), { reduction });
}

export const entry = defineLoss({
  id: 'sface',
  fn: sFaceLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
  surrogateGradient: "The sigmoid weights of the angles are held constant (stop-gradient), as SFace defines them: the backward re-weights the cosines' gradients and is not the derivative of the forward, so finite differences cannot match it; the fixtures check that gradient against PyTorch.",
});
