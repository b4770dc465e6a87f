/**
 * Per-sample terms of the normalized and symmetric losses for noisy labels (Ma et al., ICML 2020): NCE, NFL,
 * MAE and RCE, all from a max-shifted logSoftmax, shared by normalized-ce, normalized-focal, mae-prob, rce and
 * their active-passive combinations (apl). Every quantity stays in log space: 1 − p is −expm1(log p), and the
 * focal factor (1 − p_j)^γ is exp(γ·log(1 − p_j)) with log(1 − p_j) a logsumexp over the other classes, so
 * values and gradients are finite at logits of ±1e4 (where p_j is exactly 0 or 1).
 */
import type { Tensor } from '@graft/core';

/** log p_y [N] from logits [N, C] and class indices [N]. */
export const logProbAtTarget = (logp: Tensor, target: Tensor): Tensor => logp.gather(-1, target.unsqueeze(-1)).squeeze(-1);

/** log(1 − p_j) for every class j of softmax(z) [N, C] (rows need C ≥ 2): lse_{k≠j} z_k − lse_k z_k. */
export function logOneMinusSoftmax(logits: Tensor): Tensor {
  const c = logits.shape[logits.ndim - 1];
  const eye = logits.newOnes([c]).diag().bool(); // [C, C]: row j masks class j
  const rest = logits.unsqueeze(-2).expand([...logits.shape.slice(0, -1), c, c]).maskedFill(eye, -Infinity).logsumexp(-1);
  return rest.sub(logits.logsumexp(-1, true));
}

/** Normalized cross-entropy: (−log p_y) / Σ_j (−log p_j), in [0, 1]. */
export function nceValues(logits: Tensor, target: Tensor): Tensor {
  const logp = logits.logSoftmax(-1);
  return logProbAtTarget(logp, target).div(logp.sum(-1));
}

/** Focal loss against every class label j: FL_j = −(1 − p_j)^γ·log p_j [N, C]. */
export function focalAllClasses(logits: Tensor, gamma: number): Tensor {
  const logp = logits.logSoftmax(-1);
  return gamma === 0 ? logp.neg() : logOneMinusSoftmax(logits).mul(gamma).exp().mul(logp).neg();
}

/** Normalized focal loss: FL_y / Σ_j FL_j. */
export function nflValues(logits: Tensor, target: Tensor, gamma: number): Tensor {
  const fl = focalAllClasses(logits, gamma);
  return logProbAtTarget(fl, target).div(fl.sum(-1));
}

/** 1 − p_y = −expm1(log p_y) [N]. */
export const oneMinusPy = (logits: Tensor, target: Tensor): Tensor => logProbAtTarget(logits.logSoftmax(-1), target).expm1().neg();

/** MAE on the simplex: Σ_k |onehot_k − p_k| = 2(1 − p_y), times scale/2. */
export const maeValues = (logits: Tensor, target: Tensor, scale: number): Tensor => oneMinusPy(logits, target).mul(scale);

/** Reverse cross-entropy with log 0 := A: −A·(1 − p_y). */
export const rceValues = (logits: Tensor, target: Tensor, A: number): Tensor => oneMinusPy(logits, target).mul(-A);
