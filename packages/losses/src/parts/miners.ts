/**
 * Pair and triplet mining on a batch with class labels, and the masked reductions the pair losses are
 * built from. A miner returns boolean masks (never index lists), computed without gradient; the losses
 * reduce over them with `maskedMean`, `maskedLogSumExp` or `log1pSumExp`.
 *
 * Empty sets, documented once for every loss built on these parts: a miner that finds no valid pair or
 * triplet (a batch of one class, a batch of one sample) yields a loss of exactly 0 with a gradient of
 * exactly 0, never NaN: `maskedMean` divides by max(count, 1), `log1pSumExp` of an empty set is log 1 = 0,
 * and the masked-out entries are replaced (`where`), not multiplied, so an infinite fill never meets a 0.
 */
import { concat, eye, type Tensor } from '@graft/core';

/** Same-class and different-class masks of a batch, [N, M] bool. */
export interface PairMasks {
  /** y_i = y_j and i ≠ j (self-pairs excluded when the two sides are the same batch). */
  pos: Tensor;
  /** y_i ≠ y_j. */
  neg: Tensor;
}

/** The N × N identity as a bool mask on `like`'s backend. */
export function eyeMask(n: number, like: Tensor): Tensor {
  return eye(n, n, { dtype: 'bool', backend: like.backendName });
}

/**
 * All pairs: positives (same label, self excluded) and negatives (different label). With `labelsB`
 * (a second batch: proxies, a memory bank), pairs are (i, j) across the two and no self-pair is dropped.
 */
export function allPairs(labels: Tensor, labelsB?: Tensor): PairMasks {
  const same = labels.unsqueeze(1).eq((labelsB ?? labels).unsqueeze(0));
  const pos = labelsB ? same : same.logicalAnd(eyeMask(labels.shape[0], labels).logicalNot());
  return { pos, neg: same.logicalNot() };
}

/** Every valid triplet (a, p, n): y_p = y_a, p ≠ a, y_n ≠ y_a, as an [N, N, N] bool mask indexed [a, p, n]. */
export function allTriplets(labels: Tensor): Tensor {
  const { pos, neg } = allPairs(labels);
  return pos.unsqueeze(2).logicalAnd(neg.unsqueeze(1));
}

/** max over the masked entries along `dim` (`fill` where the mask is empty); gradient only to the arg-max. */
export function maskedMax(x: Tensor, mask: Tensor, dim: number, fill = 0): Tensor {
  const any = mask.any(dim);
  return any.where(mask.where(x, -Infinity).amax(dim), fill);
}

/** min over the masked entries along `dim` (`fill` where the mask is empty). */
export function maskedMin(x: Tensor, mask: Tensor, dim: number, fill = 0): Tensor {
  const any = mask.any(dim);
  return any.where(mask.where(x, Infinity).amin(dim), fill);
}

/** Σ over masked entries / max(count, 1) along `dim` (all dims when omitted): 0, with zero gradient, for an empty mask. */
export function maskedMean(x: Tensor, mask: Tensor, dim?: number): Tensor {
  const m = mask.expand(x.shape);
  const s = m.where(x, 0).sum(dim);
  return s.div(m.cast(x.dtype).sum(dim).clamp(1));
}

/**
 * log Σ_{masked} exp(x) along `dim`, max-shifted; −∞ for an empty set, with a zero (not NaN) gradient: an empty
 * row is evaluated on zeros and its result replaced.
 */
export function maskedLogSumExp(x: Tensor, mask: Tensor, dim: number, keepdim = false): Tensor {
  const m = mask.expand(x.shape);
  const any = m.any(dim, true);
  const lse = any.where(m.where(x, -Infinity), 0).logsumexp(dim, true);
  const out = any.where(lse, -Infinity);
  return keepdim ? out : out.squeeze(dim);
}

/**
 * log(1 + Σ_{masked} exp(x)) along `dim` = logsumexp of the masked values with a 0 appended: max-shifted,
 * 0 (with zero gradient) for an empty set. The soft-plus of a masked logsumexp, without the −∞.
 */
export function log1pSumExp(x: Tensor, mask: Tensor, dim: number, keepdim = false): Tensor {
  const m = mask.expand(x.shape);
  const zero = x.newZeros(x.shape.map((n, i) => (i === (dim < 0 ? dim + x.ndim : dim) ? 1 : n)));
  const out = concat([m.where(x, -Infinity), zero], dim).logsumexp(dim, true);
  return keepdim ? out : out.squeeze(dim);
}

/** Batch-hard mining (Hermans et al. 2017): per anchor, its farthest positive and nearest negative. */
export interface BatchHard {
  /** max_{p ∈ P(a)} d(a, p), [N] (0 where the anchor has no positive). */
  ap: Tensor;
  /** min_{n ∈ N(a)} d(a, n), [N] (0 where the anchor has no negative). */
  an: Tensor;
  /** Anchors with at least one positive and one negative, [N] bool. */
  valid: Tensor;
}

/** Batch-hard triplets from an [N, N] distance matrix (anchors without a positive or a negative are not valid). */
export function batchHard(dist: Tensor, labels: Tensor): BatchHard {
  const { pos, neg } = allPairs(labels);
  return { ap: maskedMax(dist, pos, 1), an: maskedMin(dist, neg, 1), valid: pos.any(1).logicalAnd(neg.any(1)) };
}

/** Semi-hard mining (FaceNet; TensorFlow Addons' triplet_semihard_loss rule), per positive pair (a, p). */
export interface SemiHard {
  /** d(a, p), [N, N]. */
  ap: Tensor;
  /** The chosen negative's distance, [N, N]. */
  an: Tensor;
  /** Positive pairs (a, p) of anchors with at least one negative, [N, N] bool. */
  valid: Tensor;
}

/**
 * Semi-hard negatives from an [N, N] distance matrix: for each positive pair (a, p), the nearest negative
 * farther than the positive (d(a, n) > d(a, p)); where no negative is farther, the farthest negative
 * (TensorFlow Addons' rule). The choice is made without gradient; the gradient flows to the chosen d(a, n).
 */
export function semiHard(dist: Tensor, labels: Tensor): SemiHard {
  const { pos, neg } = allPairs(labels);
  const ap = dist.unsqueeze(2).expand([dist.shape[0], dist.shape[0], dist.shape[0]]); // [a, p, ·]
  const dn = dist.unsqueeze(1).expand(ap.shape); // [a, ·, n]
  const negs = neg.unsqueeze(1).expand(ap.shape);
  const harder = negs.logicalAnd(dn.detach().gt(ap.detach()));
  const semi = maskedMin(dn, harder, 2);
  const easiest = maskedMax(dn, negs, 2);
  const an = harder.any(2).where(semi, easiest);
  return { ap: dist, an, valid: pos.logicalAnd(neg.any(1).unsqueeze(1)) };
}

/**
 * Multi-similarity pair mining (Wang et al. 2019) on an [N, N] similarity matrix: a negative k of anchor i is kept
 * iff S_ik + ε > min_{j ∈ P_i} S_ij, a positive j iff S_ij − ε < max_{k ∈ N_i} S_ik (no gradient through the choice).
 * An anchor without positives keeps no negative and one without negatives keeps no positive.
 */
export function multiSimilarityMine(sim: Tensor, labels: Tensor, eps: number): PairMasks {
  const s = sim.detach();
  const { pos, neg } = allPairs(labels);
  const minPos = maskedMin(s, pos, 1, Infinity).unsqueeze(1);
  const maxNeg = maskedMax(s, neg, 1, -Infinity).unsqueeze(1);
  return { pos: pos.logicalAnd(s.sub(eps).lt(maxNeg)), neg: neg.logicalAnd(s.add(eps).gt(minPos)) };
}
