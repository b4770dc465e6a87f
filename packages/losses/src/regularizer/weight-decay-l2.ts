import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lambda: opt.number(0.0005, 'λ: the decay coefficient (5e-4; weight balancing uses a larger 5e-3).', '[0, inf)'),
};
export type WeightDecayL2Options = OptionsOf<typeof options>;

/**
 * Weight decay as an L2 penalty added to the loss (coupled decay, as in SGD's weight_decay; AdamW's
 * decoupled decay is an optimizer concern).
 *
 * R = (λ/2)·‖W‖²_F. Sum one call per parameter tensor. The unconstrained-features model's regularised objective
 * is (1/N)Σ loss(W·hᵢ + b, yᵢ) + (λ_W/2)‖W‖² + (λ_H/2)‖H‖² + (λ_b/2)‖b‖²: one call for each of W, H and b with
 * its own λ.
 *
 * @param weight a parameter tensor [...]
 * @returns a scalar
 * @see Alshammari, Wang, Ramanan & Kong, "Long-Tailed Recognition via Weight Balancing", CVPR 2022; Dang et al.,
 *   "Neural Collapse in Deep Linear Networks: From Balanced to Imbalanced Data", ICML 2023
 */
export function weightDecayL2(...args: Call<[weight: Tensor], WeightDecayL2Options>): Tensor {
  const [weight, { lambda }] = entry.check(args);
  return weight.square().sum().mul(lambda / 2);
}

export const entry = defineLoss({
  id: 'weight-decay-l2',
  fn: weightDecayL2,
  args: [{ name: 'weight', shape: ['...'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
});
