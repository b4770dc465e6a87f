import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  reduction: opt.reduction(),
};
export type ByolOptions = OptionsOf<typeof options>;

/** The EMA target update ξ ← τ·ξ + (1 − τ)·θ of BYOL (τ = 0.996, the catalog's ema_tau), returned as a new detached tensor. */
export function byolTargetUpdate(target: Tensor, online: Tensor, tau = 0.996): Tensor {
  return target.detach().mul(tau).add(online.detach().mul(1 - tau));
}

/**
 * BYOL: the normalised mean-squared error between the online predictions and the other view's target
 * projections, symmetrised over the two views.
 *
 * q = l2_normalize(q), t = l2_normalize(sg(t)); ℓ(q, t) = ‖q − t‖² = 2 − 2·cos(q, t); ℓ_b = ℓ(q1_b, t2_b) + ℓ(q2_b,
 * t1_b). The targets are detached inside the loss (stop-gradient); the target network's EMA step is
 * `byolTargetUpdate`, applied per parameter outside the loss.
 *
 * @param q1 online predictions of view 1 [N, D]
 * @param q2 online predictions of view 2 [N, D]
 * @param t1 target projections of view 1 [N, D] (no gradient reaches them)
 * @param t2 target projections of view 2 [N, D] (no gradient reaches them)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Grill et al., "Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning", NeurIPS 2020
 */
export function byolLoss(...args: Call<[q1: Tensor, q2: Tensor, t1: Tensor, t2: Tensor], ByolOptions>): Tensor {
  const [q1, q2, t1, t2, { reduction }] = entry.check(args);
  const l = (q: Tensor, t: Tensor) => l2Normalize(q).sub(l2Normalize(t.detach())).square().sum(-1);
  return applyReduction(l(q1, t2).add(l(q2, t1)), { reduction });
}

export const entry = defineLoss({
  id: 'byol',
  fn: byolLoss,
  args: [
    { name: 'q1', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'q2', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 't1', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 't2', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
