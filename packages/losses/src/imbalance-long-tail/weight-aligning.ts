import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type WeightAligningOptions = OptionsOf<typeof options>;

/**
 * Weight Aligning (WA): rescale the new classes' classifier rows to the old classes' mean norm.
 *
 * γ = mean_k ‖w_k^old‖ / mean_k ‖w_k^new‖; W_new ← γ·W_new, applied after each incremental step with no
 * gradient (call it under noGrad, or on detached weights, and assign the result). WA's training also
 * clamps the FC weights to be non-negative after each step (`w.clamp(0)`), an optimiser-side step.
 *
 * @param newWeights the new classes' rows W_new [M, D]
 * @param oldWeights the old classes' rows W_old [K, D]
 * @returns the aligned W_new [M, D]
 * @see Zhao et al., "Maintaining Discrimination and Fairness in Class Incremental Learning", CVPR 2020
 */
export function weightAligning(...args: Call<[newWeights: Tensor, oldWeights: Tensor], WeightAligningOptions>): Tensor {
  const [newWeights, oldWeights] = entry.check(args);
  const gamma = oldWeights.norm(2, 1).mean().div(newWeights.norm(2, 1).mean());
  return newWeights.mul(gamma);
}

export const entry = defineLoss({
  id: 'weight-aligning',
  fn: weightAligning,
  args: [
    { name: 'newWeights', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'oldWeights', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'same-as-input',
});
