/**
 * Ranking pieces shared by the NeuralSort / NeuralNDCG entries and the pairwise and AUC surrogates: lists are
 * rows of scores [B, n] with a validity mask (padding; lists of unequal length), never a fixed length.
 */
import { arange, type Tensor } from '@graft/core';

/** The convex surrogates of the 0-1 ranking loss on a margin t: squared (1 − t)², logistic softplus(−t), hinge (1 − t)₊. */
export type Surrogate = 'squared' | 'logistic' | 'hinge';
export function surrogate(t: Tensor, kind: Surrogate): Tensor {
  if (kind === 'logistic') return t.neg().softplus();
  const m = t.neg().add(1);
  return kind === 'squared' ? m.square() : m.relu();
}

/** A mask as a bool tensor shaped like `like` (all true when absent). */
export const validMask = (like: Tensor, mask: Tensor | null | undefined): Tensor =>
  (mask ? (mask.dtype === 'bool' ? mask : mask.ne(0)) : like.onesLike().ne(0));

/**
 * NeuralSort's relaxed permutation (Grover et al. 2019) with padding: for a list with n′ valid items, row i
 * (0-based rank, i < n′) is softmax_j(((n′ + 1 − 2(i + 1))·s_j − Σ_k valid |s_j − s_k|)/τ) over the valid items j;
 * rows i ≥ n′ and padded columns are 0. scores [B, n], valid [B, n] bool → P̂ [B, n, n] (rows = ranks).
 */
export function neuralSort(scores: Tensor, valid: Tensor, tau: number): Tensor {
  const n = scores.shape[scores.ndim - 1];
  const v = valid.cast(scores.dtype);
  const s = valid.where(scores, 0);
  const a = s.unsqueeze(-1).sub(s.unsqueeze(-2)).abs().mul(v.unsqueeze(-1)).mul(v.unsqueeze(-2)).sum(-1); // [B, n]: Σ_k |s_j − s_k|
  const count = v.sum(-1, true); // n′ [B, 1]
  const rank = arange(1, n + 1, 1, { dtype: scores.dtype, backend: scores.backendName }); // i + 1
  const scale = count.add(1).sub(rank.mul(2)); // [B, n]: n′ + 1 − 2(i + 1)
  const logits = scale.unsqueeze(-1).mul(s.unsqueeze(-2)).sub(a.unsqueeze(-2)).div(tau); // [B, i, j]
  const rowValid = rank.unsqueeze(0).le(count); // [B, n]
  const keep = rowValid.unsqueeze(-1).logicalAnd(valid.unsqueeze(-2));
  // Padded rows see 0 logits (no −∞ − (−∞)), and are zeroed after the softmax.
  const filled = keep.where(logits, -Infinity);
  const safe = rowValid.unsqueeze(-1).where(filled, 0);
  return keep.where(safe.softmax(-1), 0);
}

/**
 * allRank's clamp(1e-10) denominator, except that an all-zero (padded) row or column divides by 1: the same value
 * (0), but its backward pass is not multiplied by 1e10 per round (50 rounds would overflow to ∞·0 = NaN).
 */
const denominator = (d: Tensor): Tensor => d.gt(0).where(d.clamp(1e-10), 1);

/**
 * Sinkhorn scaling of P̂ [B, n, n] to a doubly stochastic matrix on its valid block: `iters` rounds of column then
 * row normalisation (allRank's order: dim 1, then dim 2, denominators clamped at 1e-10); padded rows/columns stay 0. allRank
 * stops early once both marginals are within 1e-6 of 1; a fixed count keeps the result one differentiable program.
 */
export function sinkhorn(p: Tensor, iters: number): Tensor {
  let m = p;
  for (let k = 0; k < iters; k++) {
    m = m.div(denominator(m.sum(-2, true)));
    m = m.div(denominator(m.sum(-1, true)));
  }
  return m;
}

/** The DCG discounts 1/log2(i + 2) for ranks i < k, 0 beyond: [n]. */
export function discounts(n: number, k: number, like: Tensor): Tensor {
  const i = arange(0, n, 1, { dtype: like.dtype, backend: like.backendName });
  return i.lt(k).where(i.add(2).log2().reciprocal(), 0);
}

/** The ideal DCG@k of gains [B, n] (padded gains 0): the gains sorted descending, discounted. [B]. */
export function idealDcg(gains: Tensor, k: number): Tensor {
  const sorted = gains.sort(-1, true).values;
  return sorted.mul(discounts(gains.shape[gains.ndim - 1], k, gains)).sum(-1);
}
