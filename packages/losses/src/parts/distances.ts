/**
 * Distances and similarities between embeddings, shared by the pair, triplet, proxy and margin-softmax
 * losses: row-wise ([N, D] with [N, D] → [N]) and all-pairs matrices ([N, D] with [M, D] → [N, M]).
 *
 * Every function stays finite, with finite gradients, at a zero embedding and at a zero distance:
 * - `l2Normalize` is F.normalize: x / max(‖x‖, eps), computed as x·rsqrt(max(Σx², eps²)), whose gradient
 *   at x = 0 is finite (PyTorch's F.normalize value; no 0·∞ from the norm's kink);
 * - Euclidean distances take the square root through `safeSqrt`, whose gradient at 0 is 0 (PyTorch's cdist
 *   subgradient), so the zero diagonal of a batch × batch distance matrix does not poison the backward pass;
 * - squared distances are formed from the differences (not ‖a‖² + ‖b‖² − 2a·b), so no cancellation makes
 *   them negative and the diagonal is exactly 0.
 */
import type { Tensor } from '@graft/core';

/** The distances every pair and triplet loss accepts. 'cosine' is 1 − cos(a, b). */
export type DistanceKind = 'euclidean' | 'squared-euclidean' | 'cosine';

/** F.normalize(x, dim): x / max(‖x‖₂, eps) along `dim` (a zero row stays zero, gradient finite). */
export function l2Normalize(x: Tensor, dim = -1, eps = 1e-12): Tensor {
  return x.mul(x.square().sum(dim, true).clamp(eps * eps).rsqrt());
}

/** √x for x ≥ 0 with gradient 0 (not ∞) at x = 0: the value is exact, the backward pass never divides by 0. */
export function safeSqrt(x: Tensor): Tensor {
  const pos = x.gt(0);
  return pos.where(pos.where(x, 1).sqrt(), 0);
}

/** Σ (a − b)² over the last dim, row by row: [..., D] with [..., D] → [...]. */
export function squaredEuclidean(a: Tensor, b: Tensor): Tensor {
  return a.sub(b).square().sum(-1);
}

/** ‖a − b‖₂ over the last dim, row by row (gradient 0 where a = b). */
export function euclidean(a: Tensor, b: Tensor): Tensor {
  return safeSqrt(squaredEuclidean(a, b));
}

/** cos(a, b) over the last dim, row by row, on F.normalize'd rows (a zero row gives 0). */
export function cosineSimilarity(a: Tensor, b: Tensor): Tensor {
  return l2Normalize(a).mul(l2Normalize(b)).sum(-1);
}

/** The matrix of squared distances ‖a_i − b_j‖²: [N, D] with [M, D] → [N, M] (exactly 0 where a_i = b_j). */
export function squaredEuclideanMatrix(a: Tensor, b: Tensor): Tensor {
  return a.unsqueeze(-2).sub(b.unsqueeze(-3)).square().sum(-1);
}

/** The matrix of distances ‖a_i − b_j‖₂: [N, D] with [M, D] → [N, M] (gradient 0 on a zero distance, as cdist). */
export function euclideanMatrix(a: Tensor, b: Tensor): Tensor {
  return safeSqrt(squaredEuclideanMatrix(a, b));
}

/** The matrix of cosine similarities cos(a_i, b_j): [N, D] with [M, D] → [N, M]. */
export function cosineSimilarityMatrix(a: Tensor, b: Tensor): Tensor {
  return l2Normalize(a).matmul(l2Normalize(b).T);
}

/** The matrix of cosine distances 1 − cos(a_i, b_j): [N, D] with [M, D] → [N, M]. */
export function cosineDistanceMatrix(a: Tensor, b: Tensor): Tensor {
  return cosineSimilarityMatrix(a, b).neg().add(1);
}

/** Row-wise distance of the given kind: [..., D] with [..., D] → [...]. */
export function distance(a: Tensor, b: Tensor, kind: DistanceKind): Tensor {
  if (kind === 'euclidean') return euclidean(a, b);
  if (kind === 'squared-euclidean') return squaredEuclidean(a, b);
  return cosineSimilarity(a, b).neg().add(1);
}

/** All-pairs distance matrix of the given kind: [N, D] with [M, D] → [N, M]. */
export function distanceMatrix(a: Tensor, b: Tensor, kind: DistanceKind): Tensor {
  if (kind === 'euclidean') return euclideanMatrix(a, b);
  if (kind === 'squared-euclidean') return squaredEuclideanMatrix(a, b);
  return cosineDistanceMatrix(a, b);
}
