import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, marginLogits, marginSoftmaxArgs, softmaxCrossEntropy, targetMask, targetOf } from '../parts/margin-softmax.js';
import { maskedLogSumExp } from '../parts/miners.js';
import { applyReduction } from '../reduce.js';

const options = {
  rho: opt.number(0.02, 'ρ: the target probability the median sample is held at (m is chosen so p_median = ρ).', '(0, 1)'),
  sPrev: opt.number(null, "The previous step's scale s (training state); null: the initial √2·log(C − 1) (AdaCos's fixed scale).", '(0, inf)'),
  mPrev: opt.number(0, "The previous step's margin m (training state; 0 at the start).", '[0, inf)'),
  reduction: opt.reduction(),
};
export type MadaCosOptions = OptionsOf<typeof options>;

/**
 * MadaCos's per-batch scale and margin (no gradient), from cosines c [N, C] and labels: B_avg = mean_i Σ_{j≠y_i}
 * exp(s_prev·c_ij) (as log B_avg, a masked logsumexp), θ_med = median_i acos(c_{i,y_i}) (the lower median);
 * s = max(s_prev, log B_avg / cos(min(π/4, θ_med))), m = max(m_prev, cos θ_med − (log B_avg + log(ρ/(1 − ρ)))/s).
 * Returns the numbers, for the caller to keep as the next step's state.
 */
export function madaCosScaleMargin(cos: Tensor, labels: Tensor, { rho = 0.02, sPrev = null as number | null, mPrev = 0 } = {}): { s: number; m: number } {
  const c = cos.detach();
  const s0 = sPrev ?? Math.SQRT2 * Math.log(c.shape[1] - 1);
  const others = targetMask(labels, c.shape[1]).logicalNot();
  const logB = maskedLogSumExp(c.mul(s0).reshape([1, -1]), others.reshape([1, -1]), 1).item() - Math.log(c.shape[0]);
  const thetaMed = targetOf(c, labels).clamp(-1, 1).acos().median().item();
  const s = Math.max(s0, logB / Math.cos(Math.min(Math.PI / 4, thetaMed)));
  const m = s > 0 ? Math.max(mPrev, Math.cos(thetaMed) - (logB + Math.log(rho / (1 - rho))) / s) : mPrev;
  return { s, m };
}

/**
 * MadaCos: a CosFace-form softmax whose scale s and margin m are set from the batch (AdaCos's scale rule, and the
 * margin that holds the median sample's target probability at ρ), both allowed only to increase.
 *
 * (s, m) = madaCosScaleMargin(c, y) (without gradient: the gradient holds them constant, as the paper's update);
 * logits s·(c_ij − m·[j = y_i]); ℓᵢ = logsumexp_j − target logit (max-shifted).
 *
 * @param embeddings features x [N, D]
 * @param labels class indices [N] (int32)
 * @param weight class weights W [C, D] (C ≥ 2)
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Zhu et al., "Coarse-to-Fine: Learning Compact Discriminative Representation for Single-Stage Image Retrieval", ICCV 2023, arXiv:2308.04008
 */
export function madaCosLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], MadaCosOptions>): Tensor {
  const [embeddings, labels, weight, { rho, sPrev, mPrev, reduction }] = entry.check(args);
  const cos = cosineLogits(embeddings, weight);
  const { s, m } = madaCosScaleMargin(cos, labels, { rho, sPrev, mPrev });
  return applyReduction(softmaxCrossEntropy(marginLogits(cos, labels, { s, m3: m }), labels), { reduction });
}

export const entry = defineLoss({
  id: 'madacos',
  fn: madaCosLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
  needsTwoClasses: 'The scale rule needs a non-target class: B_avg is a sum over j ≠ y, empty for C = 1 (and √2·log(C − 1) is −∞).',
  surrogateGradient: 'The scale s and margin m are computed from the batch without gradient (the paper updates them as statistics, not parameters); the gradient holds them constant.',
  reading: "The catalog's reading: AdaCos's B_avg with the previous scale, the lower median of the target angles, s = log B_avg / cos(min(π/4, θ_med)), m = cos θ_med − (log B_avg + logit ρ)/s, each floored at its previous value (the monotone rule); the state is passed in as sPrev, mPrev and returned by madaCosScaleMargin; ρ = 0.02.",
});
