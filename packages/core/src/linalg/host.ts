/**
 * Host-side float64 kernels for the matrix decompositions (one row-major matrix at a time). The
 * linalg ops read their input with `data()`, run these in float64 whatever the tensor's dtype, and
 * put the results back on the input's backend with `fromTyped` (linalg/util.ts). The matrices in
 * losses are small, so plain loops are enough; accuracy comes first (LAPACK's conventions where
 * PyTorch's results depend on them, Jacobi iterations for eigh and svd).
 */

/** Row-major m×n matrix as a flat Float64Array. */
export type Mat = Float64Array;

// ---- LU with partial pivoting (getrf) --------------------------------------------------------

export interface LU {
  /** L (unit lower, below the diagonal) and U (upper) packed in one n×n matrix. */
  lu: Mat;
  /** Row i of PA is row perm[i] of A. */
  perm: Int32Array;
  /** Sign of the permutation, ±1. */
  parity: number;
  /** 1-based order of the first exactly-zero pivot, 0 when A is invertible (LAPACK's info). */
  zeroPivot: number;
}

/** PA = LU, pivoting on the largest |entry| of each column (the first one on ties, as idamax). */
export function luFactor(a: Mat, n: number): LU {
  const lu = Float64Array.from(a);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let parity = 1;
  let zeroPivot = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [lu[k * n + j], lu[p * n + j]] = [lu[p * n + j], lu[k * n + j]];
      [perm[k], perm[p]] = [perm[p], perm[k]];
      parity = -parity;
    }
    const pivot = lu[k * n + k];
    if (pivot === 0) { if (!zeroPivot) zeroPivot = k + 1; continue; }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= pivot);
      if (f !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { lu, perm, parity, zeroPivot };
}

/** Solves A X = B (B is n×k) from A's LU factors. */
export function luSolve({ lu, perm }: LU, n: number, b: Mat, k: number): Mat {
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) x[i * k + j] = b[perm[i] * k + j];
  triSolveInPlace(lu, n, x, k, false, true);
  triSolveInPlace(lu, n, x, k, true, false);
  return x;
}

/** Overwrites B (n×k) with T⁻¹B, T the upper or lower triangle of t (unit diagonal if asked). */
export function triSolveInPlace(t: Mat, n: number, b: Mat, k: number, upper: boolean, unit: boolean): void {
  for (let s = 0; s < n; s++) {
    const i = upper ? n - 1 - s : s;
    const [lo, hi] = upper ? [i + 1, n] : [0, i];
    for (let j = 0; j < k; j++) {
      let v = b[i * k + j];
      for (let q = lo; q < hi; q++) v -= t[i * n + q] * b[q * k + j];
      b[i * k + j] = unit ? v : v / t[i * n + i];
    }
  }
}

// ---- Cholesky (potrf) ---------------------------------------------------------------------------

/**
 * The lower Cholesky factor of the symmetric matrix whose lower triangle is a's, or the 1-based
 * order of the first leading minor that is not positive-definite (LAPACK's info).
 */
export function cholesky(a: Mat, n: number): { l: Mat; failedMinor: number } {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let q = 0; q < j; q++) d -= l[j * n + q] ** 2;
    if (!(d > 0)) return { l, failedMinor: j + 1 };
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let v = a[i * n + j];
      for (let q = 0; q < j; q++) v -= l[i * n + q] * l[j * n + q];
      l[i * n + j] = v / ljj;
    }
  }
  return { l, failedMinor: 0 };
}

// ---- Householder QR (geqrf + orgqr) ---------------------------------------------------------------

/**
 * A = QR by Householder reflections with LAPACK's dlarfg convention (β = −sign(α)·‖(α, x)‖, no
 * reflection where x = 0), so Q and R carry the signs PyTorch's LAPACK-backed qr gives.
 * Q is m×qCols (qCols = min(m, n) reduced, m complete), R is qCols×n.
 */
export function householderQr(a: Mat, m: number, n: number, qCols: number): { q: Mat; r: Mat } {
  const w = Float64Array.from(a);
  const k = Math.min(m, n);
  const vs: Float64Array[] = [];
  const taus: number[] = [];
  for (let j = 0; j < k; j++) {
    const alpha = w[j * n + j];
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, w[i * n + j]);
    const v = new Float64Array(m);
    v[j] = 1;
    if (xnorm === 0) { vs.push(v); taus.push(0); continue; }
    const beta = (alpha >= 0 ? -1 : 1) * Math.hypot(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    for (let i = j + 1; i < m; i++) v[i] = w[i * n + j] / (alpha - beta);
    w[j * n + j] = beta;
    for (let i = j + 1; i < m; i++) w[i * n + j] = 0;
    // Apply H = I − τ v vᵀ to the remaining columns.
    for (let c = j + 1; c < n; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i] * w[i * n + c];
      for (let i = j; i < m; i++) w[i * n + c] -= tau * dot * v[i];
    }
    vs.push(v);
    taus.push(tau);
  }
  // Q = H₀ H₁ … H_{k−1} applied to the first qCols columns of I, from the last reflector back.
  const q = new Float64Array(m * qCols);
  for (let i = 0; i < Math.min(m, qCols); i++) q[i * qCols + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j];
    for (let c = 0; c < qCols; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i] * q[i * qCols + c];
      for (let i = j; i < m; i++) q[i * qCols + c] -= taus[j] * dot * v[i];
    }
  }
  const r = new Float64Array(qCols * n);
  for (let i = 0; i < Math.min(qCols, m); i++) for (let c = i; c < n; c++) r[i * n + c] = w[i * n + c];
  return { q, r };
}

// ---- symmetric eigenvalues: cyclic Jacobi ----------------------------------------------------------

const MAX_SWEEPS = 100;
const EPS = 2 ** -52;

/** Eigenvalues (ascending) and orthonormal eigenvectors (columns of v) of symmetric a, by cyclic Jacobi rotations. */
export function jacobiEigh(a: Mat, n: number): { w: Float64Array; v: Mat } {
  const s = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q];
        const [app, aqq] = [s[p * n + p], s[q * n + q]];
        // Skip rotations that would not change the diagonal in float64 (the off-diagonal is negligible).
        if (apq === 0 || (Math.abs(app) + 1e3 * Math.abs(apq) === Math.abs(app) && Math.abs(aqq) + 1e3 * Math.abs(apq) === Math.abs(aqq))) continue;
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) { // columns p, q of S ← S·J
          const [x, y] = [s[k * n + p], s[k * n + q]];
          s[k * n + p] = c * x - sn * y;
          s[k * n + q] = sn * x + c * y;
        }
        for (let k = 0; k < n; k++) { // rows p, q of S ← Jᵀ·S
          const [x, y] = [s[p * n + k], s[q * n + k]];
          s[p * n + k] = c * x - sn * y;
          s[q * n + k] = sn * x + c * y;
        }
        for (let k = 0; k < n; k++) {
          const [x, y] = [v[k * n + p], v[k * n + q]];
          v[k * n + p] = c * x - sn * y;
          v[k * n + q] = sn * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => s[i * n + i] - s[j * n + j]);
  const w = Float64Array.from(order, (i) => s[i * n + i]);
  const vs = new Float64Array(n * n);
  order.forEach((src, dst) => { for (let k = 0; k < n; k++) vs[k * n + dst] = v[k * n + src]; });
  return { w, v: vs };
}

// ---- SVD: one-sided (Hestenes) Jacobi ------------------------------------------------------------------

/**
 * A = U·diag(s)·Vᵀ with s descending. One-sided Jacobi orthogonalises the columns of A (or of Aᵀ
 * when m < n) by plane rotations, which gives singular vectors accurate to a few ulps relative to
 * the gaps between singular values. U is m×uCols (min(m, n), or m for full matrices) and V is
 * n×vCols; columns beyond the rank are completed to an orthonormal basis.
 */
export function jacobiSvd(a: Mat, m: number, n: number, full: boolean): { u: Mat; s: Float64Array; v: Mat } {
  if (m < n) {
    const { u, s, v } = jacobiSvd(transpose(a, m, n), n, m, full);
    return { u: v, s, v: u };
  }
  const g = Float64Array.from(a); // m×n, columns rotated in place
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const rotate = (x: Mat, rows: number, cols: number, p: number, q: number, c: number, sn: number) => {
    for (let k = 0; k < rows; k++) {
      const [xp, xq] = [x[k * cols + p], x[k * cols + q]];
      x[k * cols + p] = c * xp - sn * xq;
      x[k * cols + q] = sn * xp + c * xq;
    }
  };
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let [alpha, beta, gamma] = [0, 0, 0];
        for (let k = 0; k < m; k++) {
          const [gp, gq] = [g[k * n + p], g[k * n + q]];
          alpha += gp * gp; beta += gq * gq; gamma += gp * gq;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue; // columns orthogonal to working precision
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        rotate(g, m, n, p, q, c, c * t);
        rotate(v, n, n, p, q, c, c * t);
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => { let s = 0; for (let k = 0; k < m; k++) s = Math.hypot(s, g[k * n + j]); return s; });
  const order = norms.map((_, j) => j).sort((i, j) => norms[j] - norms[i]);
  const s = Float64Array.from(order, (j) => norms[j]);
  const uCols = full ? m : n;
  const u = new Float64Array(m * uCols);
  const vs = new Float64Array(n * n);
  // Singular values at rounding level carry no direction: their columns of U are completed
  // orthogonally instead (normalising rounding noise would give a non-orthogonal U).
  const rank = s.filter((x) => x > s[0] * Math.max(m, n) * EPS).length;
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vs[k * n + dst] = v[k * n + src];
    if (dst < rank) for (let k = 0; k < m; k++) u[k * uCols + dst] = g[k * n + src] / s[dst];
  });
  completeBasis(u, m, uCols, rank);
  return { u, s, v: vs };
}

/** Fills columns [from, cols) of the m×cols matrix x with unit vectors orthogonal to the earlier ones: each is the e_i with the largest residual after Gram–Schmidt (twice). */
function completeBasis(x: Mat, m: number, cols: number, from: number): void {
  for (let c = from; c < cols; c++) {
    let best = { norm: -1, col: new Float64Array(m) };
    for (let e = 0; e < m; e++) {
      const col = new Float64Array(m);
      col[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < c; j++) {
          let dot = 0;
          for (let k = 0; k < m; k++) dot += x[k * cols + j] * col[k];
          for (let k = 0; k < m; k++) col[k] -= dot * x[k * cols + j];
        }
      }
      const norm = Math.hypot(...col);
      if (norm > best.norm) best = { norm, col };
    }
    for (let k = 0; k < m; k++) x[k * cols + c] = best.col[k] / best.norm;
  }
}

export function transpose(a: Mat, m: number, n: number): Mat {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
  return t;
}
