import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, marginSoftmax, marginSoftmaxArgs } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  s: opt.number(64, 's: the scale of every logit.', '(0, inf)'),
  m1: opt.number(1, 'm1: the multiplicative angular margin (1: none; SphereFace-style m1 > 1 without its piecewise ψ).', '[1, inf)'),
  m2: opt.number(0.3, 'm2: the additive angular margin, in radians.', '[0, 3.141592653589793)'),
  m3: opt.number(0.2, 'm3: the additive cosine margin.', '[0, inf)'),
  eps: opt.number(1e-7, 'The clamp |cos θ| ≤ 1 − eps under which acos and √(1 − cos²θ) are differentiated (values are exact).', '(0, 0.1]'),
  reduction: opt.reduction(),
};
export type CombinedMarginOptions = OptionsOf<typeof options>;

/**
 * Combined margin softmax (InsightFace): the target cosine cos θ_y becomes cos(m1·θ_y + m2) − m3.
 *
 * c_j = cos(x, W_j) (normalised); target logit s·(cos(m1·θ_y + m2) − m3), others s·c_j; ℓ = lse_j − target
 * (max-shifted). (1, m, 0) is ArcFace without its fallback, (1, 0, m) CosFace, (m, 0, 0) a multiplicative margin.
 * For m1 = 1 the target is c·cos m2 − √(1 − c²)·sin m2 (no acos); otherwise θ = acos(c). Both are differentiated
 * as if c were clamped to ±(1 − eps) and evaluated exactly. No monotonicity fallback (the original MXNet code
 * applies the formula directly); use arcface for InsightFace's fallback.
 *
 * @param embeddings features x [N, D]
 * @param labels class indices [N] (int32)
 * @param weight class weights W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Deng et al., "ArcFace: Additive Angular Margin Loss for Deep Face Recognition", CVPR 2019, arXiv:1801.07698 (§3.3)
 */
export function combinedMarginLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], CombinedMarginOptions>): Tensor {
  const [embeddings, labels, weight, { reduction, ...o }] = entry.check(args);
  return applyReduction(marginSoftmax(o)(cosineLogits(embeddings, weight), labels), { reduction });
}

export const entry = defineLoss({
  id: 'combined-margin',
  fn: combinedMarginLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
});
