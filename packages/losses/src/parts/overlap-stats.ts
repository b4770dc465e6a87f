/**
 * The overlap family's shared piece: soft confusion counts of probability maps [N, C, ...spatial] against
 * targets (one-hot, soft, or class indices [N, ...spatial]), summed over the spatial axes per sample ([N, C])
 * or over the batch too ([1, C], nnU-Net's batch Dice), and the mean of per-class scores over all classes or
 * over the classes present in the target. Dice, Tversky, focal Tversky, soft Jaccard and the JDT
 * (Jaccard/Dice semimetric) losses are instances.
 */
import { type Tensor } from '@graft/core';

/** Targets as a float map shaped like `probs` [N, C, ...]: class indices [N, ...] are one-hot encoded along dim 1. */
export function targetMap(probs: Tensor, target: Tensor): Tensor {
  if (target.dtype !== 'int32') return target.cast(probs.dtype);
  return target.oneHot(probs.shape[1]).movedim(-1, 1).cast(probs.dtype);
}

/** Σ over the spatial axes (dims 2..), and over the batch when `batch`: [N, C, ...] → [N, C] (or [1, C]). */
export function overlapSum(x: Tensor, batch: boolean): Tensor {
  const dims = [...(batch ? [0] : []), ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  return dims.length ? x.sum(dims, true).reshape(batch ? [1, x.shape[1]] : [x.shape[0], x.shape[1]]) : x;
}

/** Soft counts per (sample, class): tp = Σ p·t, Σp, Σt, and the L1 difference Σ|p − t| (JDT's soft-label form). */
export interface OverlapCounts { tp: Tensor; sumP: Tensor; sumT: Tensor; diff: Tensor }

/**
 * The counts of `probs` against `t` (a float map shaped like probs). fp = Σp − tp and fn = Σt − tp.
 * `norm` 2: squared L2 norms for Σp, Σt and the difference (JDT's norm-2 variant; the V-Net squared denominator).
 */
export function overlapCounts(probs: Tensor, t: Tensor, batch: boolean, norm: 1 | 2 = 1): OverlapCounts {
  const pow = (x: Tensor) => (norm === 2 ? x.square() : x);
  return {
    tp: overlapSum(probs.mul(t), batch),
    sumP: overlapSum(pow(probs), batch),
    sumT: overlapSum(pow(t), batch),
    diff: overlapSum(norm === 2 ? probs.sub(t).square() : probs.sub(t).abs(), batch),
  };
}

/** JDT's soft true positives (Σp + Σt − Σ|p − t|)/2: Σ p·t for hard targets, Σ min(p, t) for soft ones. */
export function softTp({ sumP, sumT, diff }: OverlapCounts): Tensor {
  return sumP.add(sumT).sub(diff).div(2);
}

/** The Tversky index (tp + s)/(tp + α·fp + β·fn + s) from tp, Σp, Σt. */
export function tverskyIndex(tp: Tensor, sumP: Tensor, sumT: Tensor, alpha: number, beta: number, smooth: number): Tensor {
  const fp = sumP.sub(tp);
  const fn = sumT.sub(tp);
  return tp.add(smooth).div(tp.add(fp.mul(alpha)).add(fn.mul(beta)).add(smooth));
}

/**
 * Mean of per-class losses [R, C] over the classes of each row: every class ('all'), or those with Σt > 0
 * ('present'; a row with none present gives 0). Returns [R].
 */
export function classMean(losses: Tensor, sumT: Tensor, classSet: 'all' | 'present', weight: Tensor | null = null): Tensor {
  let w: Tensor = classSet === 'present' ? sumT.gt(0).cast(losses.dtype) : losses.onesLike();
  if (weight) w = w.mul(weight);
  // where, not a product: an excluded class's value (0/0 at smooth 0 on an empty class) must not leak as NaN.
  return w.gt(0).where(losses, 0).mul(w).sum(1).div(w.sum(1).clamp(1e-12));
}

/** Per-sample rows [N] as they are, the batch row [1] as a scalar. */
export const perSampleOrBatch = (v: Tensor, batch: boolean): Tensor => (batch ? v.reshape([]) : v);

/** JDT's active classes: 'auto' is 'present' for hard (class-index) targets and 'all' for float (possibly soft) ones. */
export const activeClasses = (classSet: 'auto' | 'all' | 'present', target: Tensor): 'all' | 'present' =>
  classSet === 'auto' ? (target.dtype === 'int32' ? 'present' : 'all') : classSet;

export interface JdtOptions {
  alpha: number; beta: number; smooth: number; norm: 1 | 2; gamma: number; logLoss: boolean;
  classSet: 'auto' | 'all' | 'present'; perImage: boolean; classWeights: Tensor | null;
}

/**
 * The JDT (Jaccard/Dice semimetric) losses of Wang & Blaschko's code, one value per image (perImage) or for the
 * batch ([1]): tp = (Σp + Σt − Σ|p − t|)/2, fp = Σp − tp, fn = Σt − tp, score_c = (tp + s)/(tp + α·fp + β·fn + s),
 * ℓ_c = (1 − score_c)^γ or −log score_c, then the (weighted) mean over the active classes.
 */
export function jdtLoss(input: Tensor, target: Tensor, o: JdtOptions): Tensor {
  const counts = overlapCounts(input, targetMap(input, target), !o.perImage, o.norm);
  const tp = softTp(counts);
  const score = tverskyIndex(tp, counts.sumP, counts.sumT, o.alpha, o.beta, o.smooth);
  const perClass = o.logLoss ? score.log().neg() : o.gamma === 1 ? score.neg().add(1) : score.neg().add(1).clamp(0).pow(o.gamma);
  return classMean(perClass, counts.sumT, activeClasses(o.classSet, target), o.classWeights ? o.classWeights.reshape([1, -1]) : null);
}
