/**
 * Symmetric eigendecomposition A = V diag(λ) Vᵀ by cyclic Jacobi on the host (float64), results
 * built on A's backend. Eigenvalues ascend; each eigenvector's sign is arbitrary (as in PyTorch,
 * where it depends on LAPACK), so only sign-invariant functions of V are well defined.
 */
import type { Tensor } from '../tensor.js';
import { jacobiEigh } from './host.js';
import { decompositionOutputs, type ShareRule } from './outputs.js';
import { batchOf, checkMatrix, checkOption, eyeLike, hostMatrices, hostTensor, mT } from './util.js';

// PyTorch's linalg_eig_backward (hermitian): gA = V (skew(VᵀgV)/E + diag(gλ)) Vᵀ, Eᵢⱼ = λⱼ − λᵢ (1 on the diagonal).
const eighShare: ShareRule = (_a, [w, v], index, g) => {
  if (index === 0) return v.mul(g.unsqueeze(-2)).matmul(mT(v));
  const vg = mT(v).matmul(g);
  const skew = vg.sub(mT(vg)).mul(0.5);
  const e = w.unsqueeze(-2).sub(w.unsqueeze(-1)).add(eyeLike(w, w.shape[w.ndim - 1]));
  return v.matmul(skew.div(e).matmul(mT(v)));
};

export interface EighOptions {
  /** Which triangle of A is read: 'L' (default) or 'U'. */
  UPLO?: 'L' | 'U';
}

/** Eigenvalues (ascending) [..., n] and orthonormal eigenvectors [..., n, n] of the symmetric matrix given by one triangle of A. */
export function eigh(a: Tensor, { UPLO = 'L' }: EighOptions = {}): { eigenvalues: Tensor; eigenvectors: Tensor } {
  checkMatrix('eigh', a);
  checkOption('eigh', 'UPLO', UPLO, ['L', 'U']);
  const n = a.shape[a.ndim - 1];
  const batch = batchOf(a);
  const mats = hostMatrices(a).map((m) => {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      if (UPLO === 'L') m[i * n + j] = m[j * n + i]; else m[j * n + i] = m[i * n + j];
    }
    return jacobiEigh(m, n);
  });
  const values = [hostTensor(a, [...batch, n], mats.map((r) => r.w)), hostTensor(a, a.shape, mats.map((r) => r.v))];
  const [eigenvalues, eigenvectors] = decompositionOutputs('eigh', a, values, eighShare);
  return { eigenvalues, eigenvectors };
}
