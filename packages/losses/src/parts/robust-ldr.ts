/**
 * Label-distributionally robust (LDR) losses of Zhu et al. (2023): the score normalisation of the official
 * code, the margins d_k = c·1[k≠y] + f_k − f_y, and the KL-regularised worst case over label distributions
 * λ·(logsumexp_k(d_k/λ) − log K), a max-shifted logsumexp (finite for any λ > 0). Shared by ldr-kl (a fixed λ)
 * and aldr-kl (a per-sample λ).
 */
import type { Tensor } from '@graft/core';

/** f = softplus(z)/mean_k softplus(z_k) per row (normalize), or z itself. The mean is floored at 1e-30: a row of logits all near −∞ gives f = 0, not 0/0. */
export function ldrScores(logits: Tensor, normalize: boolean): Tensor {
  if (!normalize) return logits;
  const sp = logits.softplus();
  return sp.div(sp.mean(-1, true).clamp(1e-30));
}

/** d [N, K]: c·1[k ≠ y] + f_k − f_y. */
export function ldrMargins(f: Tensor, target: Tensor, c: number): Tensor {
  const k = f.shape[f.ndim - 1];
  const onehot = target.oneHot(k).cast(f.dtype);
  const fy = f.gather(-1, target.unsqueeze(-1));
  return onehot.neg().add(1).mul(c).add(f).sub(fy);
}

/** λ·(logsumexp_k(d_k/λ) − log K) per row; λ a number or a tensor [N]. */
export function ldrKlValue(d: Tensor, lam: number | Tensor): Tensor {
  const k = d.shape[d.ndim - 1];
  const l = typeof lam === 'number' ? lam : lam.unsqueeze(-1);
  return d.div(l).logsumexp(-1).sub(Math.log(k)).mul(lam);
}
