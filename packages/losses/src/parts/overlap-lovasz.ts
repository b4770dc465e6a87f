/**
 * The Lovász extension of the Jaccard loss (Berman et al. 2018): per row of errors e ≥ 0 with ground truth
 * g ∈ {0, 1}, sort e descending (the permutation is held constant), J_i = 1 − (G − cumsum(g)_i)/(G + cumsum(1 − g)_i),
 * the extension's gradient δ = J with δ_i = J_i − J_{i−1} for i > 0, and the loss ⟨e_sorted, δ⟩. Gradients flow
 * through the sorted errors only, exactly the Lovász extension's (piecewise linear) gradient.
 */
import type { Tensor } from '@graft/core';

/**
 * Lovász hinge/softmax core for rows: errors [..., P] (≥ 0), ground truth [..., P] (0/1 floats), valid [..., P]
 * (bool, false = ignored pixel, removed). Ignored pixels are sorted last (key −1) and contribute nothing, so the
 * result equals the loss on the valid pixels alone. Returns [...].
 */
export function lovaszExtension(errors: Tensor, fg: Tensor, valid: Tensor): Tensor {
  const key = valid.where(errors.detach(), -1);
  const order = key.argsort(-1, true);
  const e = errors.gather(-1, order).mul(valid.gather(-1, order).cast(errors.dtype));
  const v = valid.cast(errors.dtype).gather(-1, order);
  const g = fg.detach().gather(-1, order).mul(v);
  const total = g.sum(-1, true);
  const inter = total.sub(g.cumsum(-1));
  const union = total.add(v.sub(g).cumsum(-1));
  // union ≥ 1 at every valid position (a count); clamping at 1 only touches the ignored tail (0/0 there).
  const jac = inter.div(union.clamp(1)).neg().add(1);
  // δ_0 = J_0, δ_i = J_i − J_{i−1}: diff with a prepended 0.
  return e.mul(jac.diff(1, -1, jac.narrow(-1, 0, 1).zerosLike())).sum(-1);
}
