import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, marginLogits, marginSoftmaxArgs, softmaxCrossEntropy } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  s: opt.number(64, 's: the scale of every logit (the radius of the hypersphere).', '(0, inf)'),
  m: opt.number(0.5, 'm: the additive angular margin on the target class, in radians.', '[0, 3.141592653589793)'),
  easyMargin: opt.boolean(false, "Apply the margin only where cos θ_y > 0 (easy_margin); otherwise InsightFace's fallback c − m·sin m past θ_y = π − m."),
  eps: opt.number(1e-7, 'The clamp |cos θ| ≤ 1 − eps under which √(1 − cos²θ) is differentiated (the value is exact).', '(0, 0.1]'),
  reduction: opt.reduction(),
};
export type ArcFaceOptions = OptionsOf<typeof options>;

/**
 * ArcFace's logits s·[cos θ_j, target cos(θ_y + m)] for embeddings [N, D], labels [N], class weights [C, D]
 * (the quantity the behavioural test reads); the loss is their cross-entropy.
 */
export function arcFaceLogits(embeddings: Tensor, labels: Tensor, weight: Tensor, { s = 64, m = 0.5, easyMargin = false, eps = 1e-7 } = {}): Tensor {
  return marginLogits(cosineLogits(embeddings, weight), labels, { s, m2: m, eps, fallback: easyMargin ? 'easy' : 'insightface' });
}

/**
 * ArcFace: softmax cross-entropy with an additive angular margin on the target class.
 *
 * c_j = cos(x, W_j) of the L2-normalised embedding and class weights; the target logit is s·cos(θ_y + m) =
 * s·(c_y·cos m − √(1 − c_y²)·sin m) (no acos, as the paper's code), the others s·c_j; ℓ = lse_j(logits) −
 * logit_y (max-shifted). Past θ_y = π − m, where cos(θ_y + m) turns back up, the target is s·(c_y − m·sin m)
 * (InsightFace), or with `easyMargin` the margin applies only where c_y > 0. √(1 − c²) is differentiated as if c
 * were clamped to ±(1 − eps) (its slope is infinite at ±1); the value is exact. A zero embedding has c = 0.
 * ArcFace is combined-margin (1, m, 0) with this fallback.
 *
 * @param embeddings features x [N, D] (not normalised)
 * @param labels class indices [N] (int32)
 * @param weight class weights W [C, D] (a parameter: not normalised)
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Deng et al., "ArcFace: Additive Angular Margin Loss for Deep Face Recognition", CVPR 2019, arXiv:1801.07698
 */
export function arcFaceLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], ArcFaceOptions>): Tensor {
  const [embeddings, labels, weight, { reduction, ...o }] = entry.check(args);
  return applyReduction(softmaxCrossEntropy(arcFaceLogits(embeddings, labels, weight, o), labels), { reduction });
}

export const entry = defineLoss({
  id: 'arcface',
  fn: arcFaceLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
});
