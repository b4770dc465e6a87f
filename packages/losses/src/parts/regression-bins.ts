/**
 * Distributional regression over K value bins, shared by hl-gauss, two-hot-ce, wasserstein-1-ordinal-bins and
 * the number-token losses: bin centres, the HL-Gauss and two-hot target histograms of scalar targets, the soft
 * cross-entropy against such a histogram (log_softmax, max-shifted) and the 1-D Wasserstein distance between
 * two histograms over ordered bins as Σ_k |F_p(k) − F_t(k)|·(c_{k+1} − c_k) (the |CDF difference| closed form).
 */
import { cat, type Tensor, linspace } from '@graft/core';

/** K uniform bin centres c_k spanning [vMin, vMax] (the first and last centres on the ends) on `like`'s backend. */
export function binCentres(like: Tensor, K: number, vMin: number, vMax: number): Tensor {
  return K === 1 ? like.newFull([1], (vMin + vMax) / 2) : linspace(vMin, vMax, K, { dtype: like.dtype, backend: like.backendName });
}

/**
 * HL-Gauss target: K bins of width w = (vMax − vMin)/K with edges b_k = vMin + k·w; q_k = Φ((b_k − y)/σ) −
 * Φ((b_{k−1} − y)/σ), renormalised by Φ((b_K − y)/σ) − Φ((b_0 − y)/σ), y clamped to [vMin, vMax]. Held constant.
 */
export function hlGaussTarget(y: Tensor, K: number, vMin: number, vMax: number, sigma: number): Tensor {
  const edges = linspace(vMin, vMax, K + 1, { dtype: y.dtype, backend: y.backendName });
  const yc = y.detach().clamp(vMin, vMax).unsqueeze(-1);
  const cdf = edges.sub(yc).div(sigma * Math.SQRT2).erf(); // 2Φ − 1: the ½ cancels in the ratio
  const mass = cdf.narrow(-1, 1, K).sub(cdf.narrow(-1, 0, K));
  return mass.div(cdf.narrow(-1, K, 1).sub(cdf.narrow(-1, 0, 1)));
}

/**
 * Two-hot target over centres c [K] (increasing): y clamped to [c_1, c_K] lies in [c_l, c_{l+1}], q_l =
 * (c_{l+1} − y)/(c_{l+1} − c_l), q_{l+1} = 1 − q_l; computed as the hat functions max(0, 1 − |y − c_k|/h_k)
 * with h_k the spacing on y's side of c_k. Held constant.
 */
export function twoHotTarget(y: Tensor, centres: Tensor): Tensor {
  const K = centres.shape[0];
  const yc = y.detach().clamp(centres.min(), centres.max()).unsqueeze(-1);
  if (K === 1) return yc.mul(0).add(1);
  const gaps = centres.diff();
  const left = cat([gaps.narrow(0, 0, 1), gaps]); // spacing to the centre below (the first repeats its right one)
  const right = cat([gaps, gaps.narrow(0, K - 2, 1)]);
  const d = yc.sub(centres);
  const h = d.lt(0).where(left, right);
  return d.abs().div(h).neg().add(1).relu();
}

/** −Σ_k q_k·log_softmax(z)_k over the last dim: [..., K] → [...]. */
export function softTargetCe(logits: Tensor, q: Tensor): Tensor {
  return q.mul(logits.logSoftmax(-1)).sum(-1).neg();
}

/** W1 between histograms p, t [..., K] over ordered centres c [K]: Σ_{k<K} |F_p(k) − F_t(k)|·(c_{k+1} − c_k). */
export function cdfW1(p: Tensor, t: Tensor, centres: Tensor): Tensor {
  const K = p.shape[p.ndim - 1];
  if (K === 1) return p.sum(-1).mul(0);
  const gap = p.cumsum(-1).sub(t.cumsum(-1)).narrow(-1, 0, K - 1).abs();
  return gap.mul(centres.diff()).sum(-1);
}
