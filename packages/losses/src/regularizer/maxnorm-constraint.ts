import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  delta: opt.number(1, 'δ: the radius of the L2 ball each row is projected onto (the paper tunes 0.1 to 1).', '(0, inf)'),
};
export type MaxnormConstraintOptions = OptionsOf<typeof options>;

/**
 * MaxNorm: projects each row w_k of a weight (per class, for a classifier [C, D]) onto the L2 ball of radius δ.
 *
 * w_k ← w_k·min(1, δ/‖w_k‖₂), computed as w_k·δ/sqrt(max(‖w_k‖², δ²)): the max makes rows inside the ball exactly
 * unchanged and keeps a zero row finite (no 1/‖0‖, value or gradient). It is a projection applied after each
 * optimiser step, not a loss: call it under `noGrad` and copy the result into the parameter
 * (`noGrad(() => w.assign(maxnormConstraint(w)))`); it is differentiable almost everywhere all the same.
 *
 * @param weight weights [..., D] (rows along the last dim: [C, D] for a classifier)
 * @returns the projected weights, the shape of weight
 * @see Alshammari et al., "Long-Tailed Recognition via Weight Balancing", CVPR 2022 (analysed by Hasegawa & Sato,
 *   "Exploring Weight Balancing on Long-Tailed Recognition Problem", ICLR 2024)
 */
export function maxnormConstraint(...args: Call<[weight: Tensor], MaxnormConstraintOptions>): Tensor {
  const [weight, { delta }] = entry.check(args);
  const sq = weight.square().sum(-1, true);
  return weight.mul(sq.clamp(delta * delta).rsqrt().mul(delta));
}

export const entry = defineLoss({
  id: 'maxnorm-constraint',
  fn: maxnormConstraint,
  args: [{ name: 'weight', shape: ['...', 'D'], dtype: 'float', domain: 'real' }],
  options,
  output: 'same-as-input',
});
