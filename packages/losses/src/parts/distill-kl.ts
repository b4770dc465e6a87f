/**
 * The distillation family's shared core, all in log space: tempered log-softmaxes, the KL between two
 * categorical distributions from their log-probabilities, the soft cross-entropy, the entropy, the
 * per-class Bernoulli KL, and Hinton's tempered KD term. The teacher side is detached here, once, so
 * every entry built on these pieces holds the teacher constant by construction.
 */
import type { Tensor } from '@graft/core';

/** log softmax(z / T) over the last dim (a max-shifted logsumexp inside logSoftmax). */
export const temperedLogSoftmax = (z: Tensor, T: number): Tensor => z.div(T).logSoftmax(-1);

/**
 * KL(p ‖ q) = Σ_k p_k·(log p_k − log q_k) over the last dim, from log-probabilities [..., C] → [...]. p_k is
 * exp(log p_k): a class of vanishing probability contributes 0·(finite) = 0, and log-softmaxes of finite
 * logits are finite, so the value and its gradient stay finite at logits of ±1e4.
 */
export const klFromLogProbs = (logP: Tensor, logQ: Tensor): Tensor => logP.exp().mul(logP.sub(logQ)).sum(-1);

/** −Σ_k p_k·log q_k over the last dim (soft-target cross-entropy): p given as probabilities (exact zeros allowed). */
export const softCrossEntropy = (p: Tensor, logQ: Tensor): Tensor => p.mul(logQ).sum(-1).neg();

/** H(p) = −Σ_k p_k·log p_k over the last dim, from log-probabilities. */
export const entropyFromLogProbs = (logP: Tensor): Tensor => logP.exp().mul(logP).sum(-1).neg();

/** −log softmax(z)_y: the hard-label cross-entropy per sample, logits [N, C], class indices [N] (int32) → [N]. */
export const hardCrossEntropy = (logits: Tensor, target: Tensor): Tensor =>
  logits.logSoftmax(-1).gather(-1, target.unsqueeze(-1)).squeeze(-1).neg();

export interface TemperedKlOptions {
  /** The teacher's temperature (default: the student's T). */
  teacherT?: number;
  /** The factor in front (default T², Hinton et al.'s gradient-scale correction). */
  scale?: number;
}

/**
 * Hinton et al.'s KD term per sample: scale·KL(softmax(sg(z_t)/T_t) ‖ softmax(z_s/T)), scale = T² by default so
 * that the soft targets' gradient, T·(q − p) with respect to z_s, keeps its size as T changes. [..., C] → [...].
 */
export function temperedKl(student: Tensor, teacher: Tensor, T: number, { teacherT = T, scale = T * T }: TemperedKlOptions = {}): Tensor {
  return klFromLogProbs(temperedLogSoftmax(teacher.detach(), teacherT), temperedLogSoftmax(student, T)).mul(scale);
}

/**
 * The per-class Bernoulli KL of sigmoids at temperature T, elementwise:
 * q_t·(log q_t − log q_s) + (1 − q_t)·(log(1 − q_t) − log(1 − q_s)), q = σ(z/T), every log a logSigmoid
 * (log(1 − σ(x)) = logσ(−x)) and q_t, 1 − q_t as σ(±z_t/T), so exact 0s and 1s give 0·(finite). Teacher detached.
 */
export function bernoulliKl(student: Tensor, teacher: Tensor, T: number): Tensor {
  const zs = student.div(T);
  const zt = teacher.detach().div(T);
  const pos = zt.sigmoid().mul(zt.logSigmoid().sub(zs.logSigmoid()));
  const neg = zt.neg().sigmoid().mul(zt.neg().logSigmoid().sub(zs.neg().logSigmoid()));
  return pos.add(neg);
}
