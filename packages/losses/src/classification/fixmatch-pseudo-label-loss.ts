import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  tau: opt.number(0.95, 'τ: a weak-view prediction is used as a pseudo-label when its top probability is at least τ.', '[0, 1]'),
  lambdaU: opt.number(1, 'λ_u: weight of the unlabeled term in L = CE_labeled + λ_u·L_u.', '[0, inf)'),
  softTarget: opt.boolean(false, 'Use the weak view\'s full distribution q as the target (ShrinkMatch\'s code) instead of its argmax (FixMatch).'),
  reduction: opt.reduction(),
};
export type FixMatchLossOptions = OptionsOf<typeof options>;

/**
 * Confidence-thresholded pseudo-label consistency loss (the unlabeled term of FixMatch).
 *
 * q_b = softmax(sg(z_w,b)), mask_b = 1[max_k q_bk ≥ τ], ℓ_b = λ_u·mask_b·CE(z_s,b, argmax_k q_bk) (or
 * −Σ_k q_bk log softmax(z_s,b)_k with `softTarget`); 'mean' averages over all B unlabeled samples,
 * masked ones included, as FixMatch does. The weak-view logits are detached (no gradient reaches them);
 * the supervised CE on the labeled batch (and the μ = 7 unlabeled-to-labeled batch ratio) belong to the
 * caller: add `crossEntropy(labeledLogits, labels)`.
 *
 * @param input strong-view logits z_s [B, C]
 * @param target weak-view logits z_w [B, C] (treated as constants)
 * @returns a scalar, or [B] with reduction 'none'
 * @see Sohn et al., "FixMatch: Simplifying Semi-Supervised Learning with Consistency and Confidence",
 *   NeurIPS 2020; Yang et al., "Shrinking Class Space for Enhanced Certainty in Semi-Supervised Learning",
 *   ICCV 2023; Yang & Xu, "Rethinking the Value of Labels for Improving Class-Imbalanced Learning",
 *   NeurIPS 2020; Kalla & Biswas, "TACLE: Task and Class-aware Exemplar-free Semi-supervised Class Incremental Learning",
 *   2024; Oh, Kim & Kweon, "DASO: Distribution-Aware Semantics-Oriented Pseudo-label for Imbalanced
 *   Semi-Supervised Learning", CVPR 2022
 */
export function fixMatchLoss(...args: Call<[input: Tensor, target: Tensor], FixMatchLossOptions>): Tensor {
  const [input, target, { tau, lambdaU, softTarget, reduction }] = entry.check(args);
  const weakLogp = target.detach().logSoftmax(-1);
  const mask = weakLogp.amax(-1).exp().ge(tau).cast(input.dtype);
  const logp = input.logSoftmax(-1);
  const ce = softTarget
    ? weakLogp.exp().mul(logp).sum(-1).neg()
    : logp.gather(-1, weakLogp.argmax(-1, true)).squeeze(-1).neg();
  return applyReduction(ce.mul(mask).mul(lambdaU), { reduction });
}

export const entry = defineLoss({
  id: 'fixmatch-pseudo-label-loss',
  fn: fixMatchLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
