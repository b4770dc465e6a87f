/**
 * Singular value decomposition by one-sided Jacobi on the host (float64), results built on A's
 * backend; backward is PyTorch's svd_backward in Tensor ops. Singular vectors are defined up to a
 * common sign per pair (uᵢ, vᵢ), so only sign-invariant functions of U and Vh are well defined.
 * svdvals and pinv compose svd.
 */
import type { Tensor } from '../tensor.js';
import { eigh } from './eigh.js';
import { jacobiSvd, transpose } from './host.js';
import { decompositionOutputs, type ShareRule } from './outputs.js';
import { batchOf, checkMatrix, eyeLike, hostMatrices, hostTensor, mT } from './util.js';

const skew = (x: Tensor): Tensor => x.sub(mT(x));

/**
 * gA's share from gU (0), gS (1) or gVh (2), PyTorch's svd_backward (A = U diag(s) Vh, k = min(m, n),
 * Eᵢⱼ = sⱼ² − sᵢ² with 1 on the diagonal): gS → U diag(gS) Vh; gU → U (skew(UᵀgU)/E · diag(s)) Vh
 * (+ (I − UUᵀ) gU diag(1/s) Vh when m > n); gVh likewise. Full matrices are cut to k columns first.
 */
const svdShare: ShareRule = (a, [uFull, s, vhFull], index, gFull) => {
  const [m, n] = a.shape.slice(-2);
  const k = s.shape[s.ndim - 1];
  const u = uFull.narrow(-1, 0, k);
  const vh = vhFull.narrow(-2, 0, k);
  if (index === 1) return m >= n ? u.matmul(gFull.unsqueeze(-1).mul(vh)) : u.mul(gFull.unsqueeze(-2)).matmul(vh);
  const s2 = s.square();
  const e = s2.unsqueeze(-2).sub(s2.unsqueeze(-1)).add(eyeLike(s, k));
  if (index === 0) {
    const g = gFull.narrow(-1, 0, k);
    const inner = skew(mT(u).matmul(g)).div(e).mul(s.unsqueeze(-2));
    if (m > n) {
      const gSinv = g.div(s.unsqueeze(-2));
      return u.matmul(inner).add(gSinv).sub(u.matmul(mT(u).matmul(gSinv))).matmul(vh);
    }
    return m >= n ? u.matmul(inner.matmul(vh)) : u.matmul(inner).matmul(vh);
  }
  const g = gFull.narrow(-2, 0, k);
  const inner = s.unsqueeze(-1).mul(skew(vh.matmul(mT(g))).div(e));
  if (m < n) {
    const sInvG = g.div(s.unsqueeze(-1));
    return u.matmul(inner.matmul(vh).add(sInvG).sub(sInvG.matmul(mT(vh)).matmul(vh)));
  }
  return m >= n ? u.matmul(inner.matmul(vh)) : u.matmul(inner).matmul(vh);
};

export interface SvdOptions {
  /** U [m, m] and Vh [n, n] (true, default, as PyTorch) or U [m, k] and Vh [k, n]. */
  fullMatrices?: boolean;
}

/** A = U diag(S) Vh for A [..., m, n], singular values S [..., k] descending. */
export function svd(a: Tensor, { fullMatrices = true }: SvdOptions = {}): { U: Tensor; S: Tensor; Vh: Tensor } {
  checkMatrix('svd', a, { square: false });
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  const [uCols, vRows] = fullMatrices ? [m, n] : [k, k];
  const batch = batchOf(a);
  const parts = hostMatrices(a).map((x) => jacobiSvd(x, m, n, fullMatrices));
  const values = [
    hostTensor(a, [...batch, m, uCols], parts.map((p) => p.u)),
    hostTensor(a, [...batch, k], parts.map((p) => p.s)),
    hostTensor(a, [...batch, vRows, n], parts.map((p) => transpose(p.v, n, vRows))),
  ];
  const [U, S, Vh] = decompositionOutputs('svd', a, values, svdShare);
  return { U, S, Vh };
}

/** The singular values [..., min(m, n)], descending; gradient U diag(gS) Vh. */
export function svdvals(a: Tensor): Tensor {
  checkMatrix('svdvals', a, { square: false });
  return svd(a, { fullMatrices: false }).S;
}

export interface PinvOptions {
  /** Absolute threshold below which singular values count as zero (default 0). */
  atol?: number;
  /** Relative threshold (times the largest singular value); default eps·max(m, n) when atol is unset, else 0. */
  rtol?: number;
  /** A is symmetric: use eigh (|λ| as singular values). */
  hermitian?: boolean;
}

const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const;

/** The Moore–Penrose pseudo-inverse [..., n, m]: V diag(1/sᵢ where sᵢ > max(atol, rtol·s₀), else 0) Uᵀ (PyTorch's linalg.pinv). */
export function pinv(a: Tensor, { atol, rtol, hermitian = false }: PinvOptions = {}): Tensor {
  checkMatrix('pinv', a, { square: hermitian });
  const [m, n] = a.shape.slice(-2);
  const rel = rtol ?? (atol === undefined || atol <= 0 ? EPS[a.dtype as 'float32' | 'float64'] * Math.max(m, n) : 0);
  const invertAbove = (values: Tensor, magnitudes: Tensor) => {
    const tol = magnitudes.amax(-1, true).mul(rel).maximum(atol ?? 0);
    const keep = magnitudes.gt(tol);
    // 1/s only where kept (the safe operand keeps the discarded branch's gradient finite).
    return keep.where(keep.where(values, 1).reciprocal(), 0);
  };
  if (hermitian) {
    const { eigenvalues: w, eigenvectors: v } = eigh(a);
    return v.mul(invertAbove(w, w.abs()).unsqueeze(-2)).matmul(mT(v));
  }
  const { U, S, Vh } = svd(a, { fullMatrices: false });
  return mT(Vh).mul(invertAbove(S, S).unsqueeze(-2)).matmul(mT(U));
}
