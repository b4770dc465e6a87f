/**
 * The teacher's class-mean directions of the feature-norm-and-direction family (ND loss, its cosine baseline):
 * e_y = c_y/‖c_y‖, the row of the class-mean table at each label, held constant (precomputed from the teacher).
 */
import type { Tensor } from '@graft/core';
import { l2Normalize } from './distances.js';

/** Unit class-mean directions at the labels: centres [K, D], class indices [N] (int32) → [N, D], detached. */
export function classMeanDirections(centres: Tensor, target: Tensor): Tensor {
  const c = centres.detach();
  const rows = c.gather(0, target.unsqueeze(1).expand([target.shape[0], c.shape[1]]));
  return l2Normalize(rows);
}
