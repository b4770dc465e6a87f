/** Per-group (segment) statistics of per-sample values, shared by the group-fairness regularisers. */
import type { Tensor } from '@graft/core';

export interface GroupStats {
  /** Membership [N, G] (float 0/1). */
  member: Tensor;
  /** Samples per group [G]. */
  count: Tensor;
  /** 1 for groups with at least one sample, else 0 [G]. */
  present: Tensor;
  /** Mean of the values in each group [G] (0 for an empty group). */
  mean: Tensor;
}

/**
 * Group membership as a float [N, G] matrix: a membership mask passes through (rows may overlap: intersectional
 * groups); group ids g [N] (int32, ≥ 0) become one-hot rows with G = max(g) + 1.
 */
export function membership(groups: Tensor, like: Tensor): Tensor {
  if (groups.dtype !== 'int32') return groups.detach().cast(like.dtype); // membership is discrete: no gradient
  return groups.oneHot(groups.amax().item() + 1).cast(like.dtype);
}

/** Counts, presence and per-group means of `values` [N] under membership [N, G] (segment sums as a product, no loop). */
export function groupStats(values: Tensor, member: Tensor): GroupStats {
  const count = member.sum(0);
  const present = count.gt(0).cast(values.dtype);
  const mean = values.unsqueeze(-1).mul(member).sum(0).div(count.clamp(1));
  return { member, count, present, mean };
}
