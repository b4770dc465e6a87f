/**
 * Robust per-class Gaussians of a representation, for the distribution-sampling objectives (RCAL): outliers of each
 * class removed by the Local Outlier Factor, mean and covariance of the rest, and tail classes calibrated with the
 * statistics of their nearest head classes. Host-side float64 loops (a data-preparation step, not differentiated);
 * the results are float64 tensors on the features' backend.
 */
import { ArgumentError, type Tensor, tensor } from '@graft/core';

export interface ClassGaussianOptions {
  /** k of the LOF (capped at the class size − 1; sklearn's default 20). */
  neighbors?: number;
  /** A point whose LOF exceeds this is dropped (sklearn's 'auto' offset: 1.5). */
  lofThreshold?: number;
  /** Classes with fewer kept points than this are tail classes (default: the median kept count). */
  tailBelow?: number | null;
  /** q: the number of nearest head classes (by distance of the means) a tail class borrows from. */
  headClasses?: number;
  /** α: added to the diagonal of a calibrated tail covariance. */
  alpha?: number;
  /** Jitter on the diagonal before the Cholesky factor (a class of one point has a zero covariance). */
  jitter?: number;
}

export interface ClassGaussians {
  /** μ [C, D] */
  means: Tensor;
  /** Σ [C, D, D] */
  covariances: Tensor;
  /** L [C, D, D] with Σ + jitter·I = L Lᵀ, for reparameterised draws. */
  scaleTril: Tensor;
  /** Which rows survived the outlier removal [N] (bool). */
  kept: Tensor;
}

type Vec = number[];
const dist = (a: Vec, b: Vec) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));

/** Local Outlier Factor (Breunig et al. 2000) of each point among `pts`, with k nearest neighbours. */
export function localOutlierFactors(pts: readonly Vec[], k: number): number[] {
  const n = pts.length;
  const nn = pts.map((p, i) => pts.map((q, j) => ({ j, d: dist(p, q) })).filter((o) => o.j !== i).sort((a, b) => a.d - b.d).slice(0, k));
  const kdist = nn.map((o) => o[o.length - 1].d);
  const lrd = nn.map((o) => 1 / (o.reduce((s, { j, d }) => s + Math.max(kdist[j], d), 0) / o.length + 1e-10));
  return Array.from({ length: n }, (_, i) => nn[i].reduce((s, { j }) => s + lrd[j], 0) / nn[i].length / lrd[i]);
}

function cholesky(a: number[][]): number[][] {
  const d = a.length;
  const l = a.map(() => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(Math.max(s, 0)) : s / l[j][j];
    }
  }
  return l;
}

/** Robust class Gaussians of `features` [N, D] grouped by `labels` [N] (int32); every class needs at least one row. */
export function robustClassGaussians(features: Tensor, labels: Tensor, numClasses: number, opts: ClassGaussianOptions = {}): ClassGaussians {
  const { neighbors = 20, lofThreshold = 1.5, tailBelow = null, headClasses = 2, alpha = 0, jitter = 1e-6 } = opts;
  const [n, d] = features.shape;
  const x = features.detach().data();
  const y = labels.data();
  const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
  const keep = new Array<boolean>(n).fill(true);
  const means: Vec[] = [];
  const covs: number[][][] = [];
  const counts: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    let idx = Array.from(y.keys()).filter((i) => y[i] === c);
    if (idx.length === 0) throw new ArgumentError('robustClassGaussians', `class ${c} has no rows`);
    if (idx.length > 2) {
      const lof = localOutlierFactors(idx.map((i) => rows[i]), Math.min(neighbors, idx.length - 1));
      idx.forEach((i, t) => { if (lof[t] > lofThreshold) keep[i] = false; });
      idx = idx.filter((i) => keep[i]);
    }
    const mu = Array.from({ length: d }, (_, a) => idx.reduce((s, i) => s + rows[i][a], 0) / idx.length);
    const cov = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) =>
      (idx.length > 1 ? idx.reduce((s, i) => s + (rows[i][a] - mu[a]) * (rows[i][b] - mu[b]), 0) / (idx.length - 1) : 0)));
    means.push(mu); covs.push(cov); counts.push(idx.length);
  }
  const sorted = [...counts].sort((a, b) => a - b);
  const threshold = tailBelow ?? sorted[Math.floor(sorted.length / 2)];
  const heads = counts.map((m, c) => (m >= threshold ? c : -1)).filter((c) => c >= 0);
  const calibrated = counts.map((m, c) => {
    if (m >= threshold || heads.length === 0) return { mu: means[c], cov: covs[c] };
    const near = [...heads].sort((a, b) => dist(means[a], means[c]) - dist(means[b], means[c])).slice(0, headClasses);
    const group = [c, ...near];
    return {
      mu: means[c].map((_, a) => group.reduce((s, j) => s + means[j][a], 0) / group.length),
      cov: covs[c].map((r, a) => r.map((_, b) => group.reduce((s, j) => s + covs[j][a][b], 0) / group.length + (a === b ? alpha : 0))),
    };
  });
  const like = { dtype: 'float64' as const, backend: features.backendName };
  return {
    means: tensor(calibrated.map((g) => g.mu), like),
    covariances: tensor(calibrated.map((g) => g.cov), like),
    scaleTril: tensor(calibrated.map((g) => cholesky(g.cov.map((r, a) => r.map((v, b) => v + (a === b ? jitter : 0))))), like),
    kept: tensor(keep, { dtype: 'bool', backend: features.backendName }),
  };
}
