import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  symmetric: opt.boolean(true, 'Also score the ground-truth vertices against the predicted polygon (gradients then reach the prediction as a polygon, not only as points).'),
  reduction: opt.reduction(),
};
export type AngleSummationLossOptions = OptionsOf<typeof options>;

/** The angle sum S(p, Q) [N, P]: Σ_i ∠(q_i − p, q_{i+1} − p) of each point p [N, P, 2] over the closed polygon Q [N, U, 2]. */
function angleSum(points: Tensor, polygon: Tensor): Tensor {
  const u = polygon.unsqueeze(1).sub(points.unsqueeze(2)); // [N, P, U, 2]
  const v = u.roll(-1, 2);
  const xy = (t: Tensor) => [t.narrow(3, 0, 1).squeeze(3), t.narrow(3, 1, 1).squeeze(3)];
  const [[ux, uy], [vx, vy]] = [xy(u), xy(v)];
  // The unsigned angle atan2(|u × v|, u · v): smooth in both vectors, unlike acos at ±1.
  return ux.mul(vy).sub(uy.mul(vx)).abs().atan2(ux.mul(vx).add(uy.mul(vy))).sum(2);
}

/** mean over the points of relu(2π − S): zero for a point inside (or on) the polygon, positive outside it. */
const outside = (points: Tensor, polygon: Tensor) => angleSum(points, polygon).neg().add(2 * Math.PI).relu().mean(1);

/**
 * Angle summation loss (PVD): geometry consistency between predicted and ground-truth polygons by the point-in-polygon
 * angle sum.
 *
 * For a point p and a closed polygon Q, S(p, Q) = Σᵢ ∠(qᵢ − p, qᵢ₊₁ − p) (unsigned angles) is 2π for p inside a convex Q
 * and at least 2π inside any simple Q; outside a convex Q it is less than 2π. ℓ = mean_v relu(2π − S(p̂_v, Q)) over the predicted
 * vertices against the ground-truth polygon, plus (symmetric) mean_u relu(2π − S(q_u, P̂)) over the ground-truth
 * vertices against the predicted polygon. Degenerate (undefined) when a point coincides with a vertex.
 *
 * @param input predicted polygon vertices [N, V, 2], in order
 * @param target ground-truth polygon vertices [N, U, 2], in order
 * @returns the mean over polygons; [N] with reduction 'none'
 * @see Cheng et al., "Parallel Vertex Diffusion for Unified Visual Grounding", AAAI 2024 (arXiv:2303.07216)
 */
export function angleSummationLoss(...args: Call<[input: Tensor, target: Tensor], AngleSummationLossOptions>): Tensor {
  const [input, target, { symmetric, reduction }] = entry.check(args);
  const loss = outside(input, target);
  return applyReduction(symmetric ? loss.add(outside(target, input)) : loss, { reduction });
}

export const entry = defineLoss({
  id: 'angle-summation-loss',
  fn: angleSummationLoss,
  args: [
    { name: 'input', shape: ['N', 'V', 2], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'U', 2], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'No authors\' code was found: each vertex is scored by relu(2π − its unsigned angle sum over the other polygon) (zero inside, growing outside), predicted vertices against the ground-truth polygon and, by default, the reverse; the Center Anchor Mechanism is a data transform left to the caller.',
});
