/**
 * Cauchy–Schwarz divergences between row distributions (Zhang et al., "Cross-Modal Retrieval with Cauchy–Schwarz
 * Divergence"): for k non-negative row vectors F_1..F_k, Hölder's inequality Σ_j Π_f F_f,j ≤ Π_f ‖F_f‖_k makes
 * D = −log(Σ_j Π_f F_f,j / Π_f ‖F_f‖_k) ≥ 0, zero when the rows are proportional. k = 2 is the classical CS
 * divergence (up to its factor 2), k = 4 the generalised (GCS) one over three similarity matrices and the label match.
 *
 * Everything is in log space: the factors are given as log F (log-softmax rows, log eps for clamped entries), the
 * numerator is lse_j Σ_f log F_f,j and each norm (1/k)·lse_j(k·log F_f,j), all max-shifted.
 */
import { type Tensor } from '@graft/core';
import { cosineSimilarityMatrix } from './distances.js';

/** The Hölder divergence of row-wise log-factors [N, M] each → [N]. */
export function holderDivergence(logFactors: readonly Tensor[]): Tensor {
  const k = logFactors.length;
  const num = logFactors.reduce((a, b) => a.add(b)).logsumexp(1);
  const norms = logFactors.map((f) => f.mul(k).logsumexp(1).div(k)).reduce((a, b) => a.add(b));
  return norms.sub(num);
}

/** log of the row-normalised similarity exp(cos(a_i, b_j)/τ) / Σ_j: log_softmax over j [N, M], floored at log eps when eps > 0. */
export function logSimilarityRows(a: Tensor, b: Tensor, tau: number, eps = 0): Tensor {
  const l = cosineSimilarityMatrix(a, b).div(tau).logSoftmax(1);
  return eps > 0 ? l.clamp(Math.log(eps)) : l;
}

/** log of the label-match matrix 1[y_i = y_j] clamped at eps: 0 where labels match, log eps elsewhere [N, N]. */
export function logLabelMatch(labels: Tensor, eps: number, like: Tensor): Tensor {
  return labels.unsqueeze(1).eq(labels.unsqueeze(0)).where(0, Math.log(eps)).cast(like.dtype);
}
