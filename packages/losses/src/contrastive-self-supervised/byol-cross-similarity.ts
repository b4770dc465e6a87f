import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  similarity: opt.oneOf(['cosine', 'sigmoid'] as const, 'cosine', "'cosine': CCSL (cosine similarity, BYOL's normalised MSE on the positives); 'sigmoid': CSSL (sigmoid of the dot product, logistic loss on positives and negatives)."),
  thetaPositive: opt.number(0.8, 'θ⁺: a cross pair whose (detached) similarity is at least θ⁺ is a self-labelled positive (the authors\' theta_positive, 0.8).', '[-1, 1]'),
  thetaNegative: opt.number(0.2, "θ⁻: with 'sigmoid', a cross pair whose similarity is at most θ⁻ (and is not a positive) is a self-labelled negative (the authors' theta_negative, 0.2); 'cosine' uses no negatives.", '[-1, 1]'),
  reduction: opt.reduction(),
};
export type ByolCrossSimilarityOptions = OptionsOf<typeof options>;

type Similarity = 'cosine' | 'sigmoid';

/** One direction: the online predictions q [N, D] against the other view's target projections t [N, D] (detached). */
function crossLoss(q: Tensor, t: Tensor, similarity: Similarity, thetaPositive: number, thetaNegative: number): Tensor {
  const n = q.shape[0];
  const own = q.newOnes([n, n]).triu(0).tril(0).gt(0);
  if (similarity === 'cosine') {
    const s = l2Normalize(q).matmul(l2Normalize(t.detach()).T);
    const positive = own.logicalOr(s.detach().ge(thetaPositive));
    const w = positive.cast(q.dtype);
    // ‖q̂ − t̂‖² = 2 − 2·cos: BYOL's regression loss, averaged over the anchor's positives (its own pair included).
    return w.mul(s.mul(-2).add(2)).sum(-1).div(w.sum(-1));
  }
  const logits = q.matmul(t.detach().T);
  const p = logits.detach().sigmoid();
  const positive = own.logicalOr(p.ge(thetaPositive));
  const negative = positive.logicalNot().logicalAnd(p.le(thetaNegative));
  // −log σ(a) = softplus(−a) for positives, −log(1 − σ(a)) = softplus(a) for negatives: finite at |a| = 1e4.
  const pairLoss = positive.where(logits.neg().softplus(), negative.where(logits.softplus(), 0));
  const labelled = positive.logicalOr(negative).cast(q.dtype);
  return pairLoss.sum(-1).div(labelled.sum(-1));
}

/**
 * BYOL self-labelling refinement: CCSL / CSSL. Besides its own positive pair, each online prediction is pulled
 * towards every target projection in the batch that its similarity labels as semantically similar.
 *
 * Cross pairs (i, j) of the online predictions q of one view and the target projections t of the other, t
 * detached (stop-gradient, as in BYOL). Self-labels from the detached similarity s_ij: positive when i = j or
 * s_ij ≥ θ⁺; negative ('sigmoid' only) when not positive and s_ij ≤ θ⁻.
 * CCSL ('cosine'): s = cos(q_i, t_j); ℓᵢ = mean_{j ∈ P(i)} (2 − 2·s_ij).
 * CSSL ('sigmoid'): a_ij = q_i·t_j, s = σ(a); ℓᵢ = mean over labelled j of −log σ(a_ij) (positives) or −log(1 − σ(a_ij))
 *   (negatives), computed as softplus(∓a).
 * Symmetrised like BYOL: the value of sample i is ℓᵢ(q1, t2) + ℓᵢ(q2, t1). The labels are piecewise constant in the
 * inputs, so the gradient is that of the selected terms. The EMA target update is `byolTargetUpdate` (byol.ts).
 *
 * The authors' loss module (byol.py's BYOLContrastive / BYOLSigmoid) is not in their released files; the
 * thresholds 0.8 / 0.2 are their training scripts' defaults (gargsid/Self-Supervised-Self-Labeling-Refinement-
 * with-Bootstrap-Your-Own-Latent, train_byol_contrastive.py, train_byol_sigmoid.py).
 *
 * @param q1 online predictions of view 1 [N, D]
 * @param q2 online predictions of view 2 [N, D]
 * @param t1 target projections of view 1 [N, D] (no gradient reaches them)
 * @param t2 target projections of view 2 [N, D] (no gradient reaches them)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Garg, Jain, "Self-Labeling Refinement for Robust Representation Learning with Bootstrap Your Own Latent",
 *   arXiv:2204.04545, 2022
 */
export function byolCrossSimilarityLoss(...args: Call<[q1: Tensor, q2: Tensor, t1: Tensor, t2: Tensor], ByolCrossSimilarityOptions>): Tensor {
  const [q1, q2, t1, t2, { similarity, thetaPositive, thetaNegative, reduction }] = entry.check(args);
  const values = crossLoss(q1, t2, similarity, thetaPositive, thetaNegative).add(crossLoss(q2, t1, similarity, thetaPositive, thetaNegative));
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'byol-cross-similarity',
  fn: byolCrossSimilarityLoss,
  args: [
    { name: 'q1', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'q2', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 't1', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 't2', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: "Self-labels from the detached cross similarity of online predictions and the other view's target projections (positive: own pair or s ≥ θ⁺ = 0.8; negative, CSSL only: s ≤ θ⁻ = 0.2); CCSL pulls positives with BYOL's 2 − 2·cos averaged per anchor, CSSL is a logistic loss on σ(q·t) over the labelled pairs; symmetrised over views. The authors' loss code is not released, only their thresholds, so the pair losses are this reading's.",
});
