/**
 * SCoRe's submodular set functions f(A) on a similarity kernel S [N, N], evaluated for every class set
 * A_k = {i : y_i = k} at once from the class-membership matrix M [K, N] (M_ki = 1 when y_i = k):
 *   graph-cut          f(A) = Σ_{i∈A} Σ_{j∉A} S_ij − λ·Σ_{i,j∈A} S_ij
 *   facility-location  f(A) = Σ_{i∉A} max_{j∈A} S_ij                   (the cross-class form; f(∅) = 0)
 *   log-det            f(A) = log det(S_AA + λI)                         (f(∅) = 0)
 * Log-det (Cholesky: the matrices are PD for λ > 0) is batched by padding: S ⊙ m mᵀ + diag(λm + (1 − m)) is S_AA + λI and the identity elsewhere, so
 * its determinant is det(S_AA + λI).
 */
import { linalg, type Tensor } from '@graft/core';
import { cosineSimilarityMatrix } from './distances.js';

export type ScoreInstance = 'graph-cut' | 'facility-location' | 'log-det';

/**
 * log det of symmetric positive-definite matrices [..., n, n] → [...]: 2·Σ log diag(L), A = L Lᵀ. Cholesky rather
 * than slogdet: core's batched slogdet backward mixes the batch's inverses (found here, reported, not ours to fix).
 */
function logDetPd(a: Tensor): Tensor {
  return linalg.cholesky(a).diagonal(0, -2, -1).log().sum(-1).mul(2);
}

/** The kernel: cos(z_i, z_j), or exp(cos(z_i, z_j)/τ) (PSD either way, the second by Schur's product theorem). */
export function scoreKernel(z: Tensor, kernel: 'cosine' | 'exp', tau: number): Tensor {
  const cos = cosineSimilarityMatrix(z, z);
  return kernel === 'exp' ? cos.div(tau).exp() : cos;
}

/** f(A_k) for each class k → [K], with membership M [K, N] (float 0/1). */
export function scoreSetValues(s: Tensor, m: Tensor, instance: ScoreInstance, lambda: number): Tensor {
  const ms = m.matmul(s); // [K, N]: (M S)_kj = Σ_{i∈A_k} S_ij
  if (instance === 'graph-cut') return ms.mul(m.neg().add(1)).sum(-1).sub(ms.mul(m).sum(-1).mul(lambda));
  const inA = m.gt(0);
  if (instance === 'facility-location') {
    // max over j ∈ A_k of S_ij, for each i: −∞ outside A_k, kept only where i ∉ A_k and A_k is not empty.
    const best = s.unsqueeze(0).maskedFill(inA.logicalNot().unsqueeze(1), -Infinity).amax(-1); // [K, N]
    return inA.logicalNot().logicalAnd(inA.any(-1, true)).where(best, 0).sum(-1);
  }
  const padded = s.unsqueeze(0).mul(m.unsqueeze(2).mul(m.unsqueeze(1))).add(m.mul(lambda).add(m.neg().add(1)).diagEmbed());
  return logDetPd(padded);
}

/** f(V) for the ground set V (every sample): graph-cut −λ·Σ_ij S_ij, facility-location 0, log-det log det(S + λI). */
export function scoreGroundValue(s: Tensor, instance: ScoreInstance, lambda: number): Tensor {
  if (instance === 'graph-cut') return s.sum().mul(-lambda);
  if (instance === 'facility-location') return s.sum().mul(0);
  return logDetPd(s.add(s.newOnes([s.shape[0]]).mul(lambda).diagEmbed()));
}
