/**
 * Logit margins of attack objectives (Carlini–Wagner margin and its decomposition, Ma et al. 2022): the target
 * logit z_y and the largest other logit max_{k≠y} z_k, the target masked to −∞ before the max.
 */
import type { Tensor } from '@graft/core';

/** z_y [N] from logits [N, C] and class indices [N]. */
export const targetLogit = (logits: Tensor, target: Tensor): Tensor => logits.gather(-1, target.unsqueeze(-1)).squeeze(-1);

/** max_{k≠y} z_k [N] (rows need C ≥ 2). */
export function bestOtherLogit(logits: Tensor, target: Tensor): Tensor {
  const c = logits.shape[logits.ndim - 1];
  return logits.maskedFill(target.oneHot(c).bool(), -Infinity).amax(-1);
}
