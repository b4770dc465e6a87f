import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { maskedSoftmax } from '../parts/masked-softmax.js';

const options = {
  tau: opt.number(0.015, 'τ: temperature of the positive weights and of the negatives\' log-sum-exp.', '(0, inf)'),
  margin: opt.number(0.1, 'm: the margin.', '[0, inf)'),
  reduction: opt.reduction('sum'),
};
export type TripletAlignmentOptions = OptionsOf<typeof options>;

/** One direction of TAL on similarities S [B, B] (rows: anchors) with the same-identity mask M: [B]. */
function talDirection(s: Tensor, same: Tensor, tau: number, margin: number): Tensor {
  const alpha = maskedSoftmax(s.detach().div(tau), same, 1);
  const negatives = same.logicalNot();
  const has = negatives.any(1);
  // τ·logsumexp over the negatives (max-shifted); a row without negatives is 0 and dropped.
  const lse = has.unsqueeze(1).where(negatives.where(s.div(tau), -Infinity), 0).logsumexp(1).mul(tau);
  return has.where(alpha.mul(s).sum(1).neg().add(lse).add(margin).relu(), 0);
}

/**
 * Triplet-Alignment Loss (TAL): a log-sum-exp relaxation of the hardest-negative triplet loss with all positives
 * of the same identity, weighted by their (detached) softmax.
 *
 * S = normalize(T)·normalize(V)ᵀ, M_ij = 1[pid_i = pid_j], α_i = softmax over the positives of S_ij/τ (no gradient);
 * ℓ_t2i(i) = (m − Σ_j α_ij S_ij + τ·logsumexp_{j: M_ij = 0} S_ij/τ)₊, ℓ_i2t the same on Sᵀ;
 * ℓ_i = h_i·(ℓ_t2i(i) + ℓ_i2t(i)), summed (the code's reduction). The masked log-sum-exp is max-shifted (the
 * code's exp().sum().clamp().log() overflows).
 *
 * @param input image embeddings V [B, D]
 * @param other text embeddings T [B, D]
 * @param pids person identities [B] (int32)
 * @param clean optional consensus flags h [B] (1 = clean; default all 1)
 * @returns a scalar, or [B] with reduction 'none'
 * @see Qin et al., "Noisy-Correspondence Learning for Text-to-Image Person Re-identification", CVPR 2024 (RDE code, compute_TAL)
 */
export function tripletAlignmentLoss(...args: Call<[input: Tensor, other: Tensor, pids: Tensor, clean?: Tensor], TripletAlignmentOptions>): Tensor {
  const [v, t, pids, clean, { tau, margin, reduction }] = entry.check(args);
  const s = cosineSimilarityMatrix(t, v);
  const same = pids.unsqueeze(1).eq(pids.unsqueeze(0));
  const loss = talDirection(s, same, tau, margin).add(talDirection(s.T, same, tau, margin));
  return applyReduction(clean ? loss.mul(clean.cast(v.dtype)) : loss, { reduction });
}

export const entry = defineLoss({
  id: 'triplet-alignment-loss',
  fn: tripletAlignmentLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'other', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'pids', shape: ['N'], dtype: 'int', domain: 'nonneg' },
    { name: 'clean', shape: ['N'], dtype: 'float', domain: 'binary', optional: true },
  ],
  options,
  output: 'per-sample',
  surrogateGradient: 'The positive weights α are held constant (detached), as in the official code; the fixtures check the gradient.',
});
