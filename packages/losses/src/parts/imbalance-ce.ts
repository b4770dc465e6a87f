/**
 * The cross-entropy that the re-balancing losses share: logits rescaled, shifted by a per-class
 * offset, the target logit lowered by a per-class margin, then a max-shifted log-softmax and a
 * class-weighted pick. LDAM, logit adjustment / Balanced Softmax, VS, SADE and the class-weighted
 * losses are instances of it.
 */
import type { Tensor } from '@graft/core';
import { pickNll } from './class-nll.js';

export interface AdjustedLogits {
  /** Multiplies the logits: a number (LDAM's s) or a per-class tensor [C] (VS's Δ). */
  scale?: number | Tensor;
  /** Added to every logit of class k: ι_k (logit adjustment's τ·log π_k) [C]. */
  offset?: Tensor | null;
  /** Subtracted from the target logit only, before scaling by `outerScale`: LDAM's Δ_y [C]. */
  margin?: Tensor | null;
  /** Multiplies the logits after the margin (LDAM's s). */
  outerScale?: number;
}

/** The adjusted logits [N, C]: outerScale·(scale·z − margin_y·onehot(y)) + offset. */
export function adjustLogits(logits: Tensor, target: Tensor, { scale = 1, offset = null, margin = null, outerScale = 1 }: AdjustedLogits): Tensor {
  let z = scale === 1 ? logits : logits.mul(scale);
  if (margin) z = z.sub(target.oneHot(logits.shape[1]).cast(logits.dtype).mul(margin));
  if (outerScale !== 1) z = z.mul(outerScale);
  return offset ? z.add(offset) : z;
}

/**
 * −w_{yᵢ}·log softmax(adjusted zᵢ)_{yᵢ} per sample, and w_{yᵢ} (the denominator of PyTorch's weighted mean).
 *
 * @param logits [N, C]; @param target class indices [N] (int32); @param weight per-class weights [C] or null
 */
export function adjustedCe(logits: Tensor, target: Tensor, adjust: AdjustedLogits, weight: Tensor | null = null): { values: Tensor; weights: Tensor } {
  return pickNll(adjustLogits(logits, target, adjust).logSoftmax(-1), target, weight, -100);
}

/**
 * log(1 − p_y) per sample, p = softmax(z), in log space: logsumexp over the classes k ≠ y minus
 * logsumexp over all (finite at logits of ±1e4; −inf only for a single class).
 */
export function logOneMinusTargetProb(logits: Tensor, target: Tensor): Tensor {
  const isTarget = target.oneHot(logits.shape[1]).gt(0);
  const others = logits.maskedFill(isTarget, -Infinity).logsumexp(-1);
  return others.sub(logits.logsumexp(-1));
}
