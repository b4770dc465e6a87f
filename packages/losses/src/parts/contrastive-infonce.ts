/**
 * The one InfoNCE core behind the softmax contrastive losses (InfoNCE, NT-Xent, CLIP, SupCon, AM/AAM
 * contrastive, Sy-CON, SBCL, ...): each row i of a logit matrix S is a softmax over its candidate set A(i),
 * and the row's loss is the mean negative log-probability of its positives P(i) ⊆ A(i),
 *
 *   ℓᵢ = −(1/|P(i)|)·Σ_{p ∈ P(i)} (S_ip − logsumexp_{a ∈ A(i)} S_ia).
 *
 * Stable form: the entries outside A(i) are set to −∞ before the max-shifted logSoftmax, so a batch × batch
 * matrix of logits ±1e4 stays finite, and excluded entries get no probability and no gradient. Positive weights
 * may be soft (SoftCLT) instead of a mask: ℓᵢ = −Σ_p w_ip·log softmax(S_i)_p / Σ_p w_ip.
 */
import type { Tensor } from '@graft/core';

export interface SoftmaxContrastOptions {
  /** The candidate set A(i) (bool [N, M]); null: every column. Each row must keep at least one entry. */
  candidates?: Tensor | null;
  /** Divide by Σ_p w_ip (the mean over positives, default) or not (a plain weighted sum). */
  normalize?: boolean;
}

/**
 * ℓᵢ = −Σ_p w_ip·log softmax_{A(i)}(S_i)_p / Σ_p w_ip for logits S [N, M] and positives w [N, M] (bool or
 * non-negative weights, zero outside A(i)) → [N]. A row with no positive gives 0 with zero gradient.
 */
export function softmaxContrast(logits: Tensor, positives: Tensor, { candidates = null, normalize = true }: SoftmaxContrastOptions = {}): Tensor {
  const logp = (candidates ? logits.maskedFill(candidates.logicalNot(), -Infinity) : logits).logSoftmax(-1);
  const w = positives.dtype === 'bool' ? positives.cast(logits.dtype) : positives;
  // where, not a product: log p is −∞ outside A(i), and 0·(−∞) would be NaN.
  const nll = w.ne(0).where(logp, 0).mul(w).sum(-1).neg();
  if (!normalize) return nll;
  const count = w.sum(-1);
  return nll.div(count.gt(0).where(count, 1));
}

/** Cross-entropy of each row of S [N, M] against the column index target [N] (int32): logsumexp_j S_ij − S_i,t(i). */
export function rowCrossEntropy(logits: Tensor, target: Tensor): Tensor {
  return logits.logSoftmax(-1).gather(-1, target.unsqueeze(-1)).squeeze(-1).neg();
}

/** Cross-entropy of each row of S [N, N] against its diagonal (the in-batch form: row i's positive is column i). */
export function diagonalCrossEntropy(logits: Tensor): Tensor {
  return logits.logSoftmax(-1).diagonal().neg();
}

/** The bool [N, N] mask of i ≠ j. */
export function offDiagonal(n: number, like: Tensor): Tensor {
  return like.newOnes([n, n]).triu(1).add(like.newOnes([n, n]).tril(-1)).gt(0);
}

/**
 * SupCon's L_out per anchor on already-normalised rows z [M, D] with labels [M] (int32): S = z zᵀ/τ, A(i) = {a ≠ i},
 * P(i) = {p ≠ i : y_p = y_i}; ℓᵢ = −mean_{p ∈ P(i)} (S_ip − logsumexp_{a ∈ A(i)} S_ia). Returns the values [M] (0 at
 * an anchor with no positive) and `valid` (bool [M], the anchors with at least one positive).
 */
export function supervisedContrast(z: Tensor, labels: Tensor, tau: number | Tensor): { values: Tensor; valid: Tensor } {
  const m = z.shape[0];
  const others = offDiagonal(m, z);
  const positives = labels.unsqueeze(1).eq(labels.unsqueeze(0)).logicalAnd(others);
  // A batch of one has no candidate at all: every row of `others` is empty, and there is no positive to score.
  if (m < 2) return { values: z.sum(-1).mul(0), valid: positives.any(-1) };
  return { values: softmaxContrast(z.matmul(z.T).div(tau), positives, { candidates: others }), valid: positives.any(-1) };
}

/** The denominator of a mean over the `valid` entries (their count, 1 when none is valid so the mean is 0, never NaN), in `like`'s dtype. */
export function validMeanDenominator(valid: Tensor, like: Tensor): Tensor {
  const count = valid.cast(like.dtype).sum();
  return count.gt(0).where(count, 1);
}
