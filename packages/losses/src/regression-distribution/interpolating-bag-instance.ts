import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { bagObjective } from '../parts/regression-bags.js';

const options = {
  rho: opt.number(0.5, 'ρ: the weight of the within-bag variance (0: bag loss, 1: instance loss). The catalog leaves it open (the paper picks it by a bias–variance trade-off); 0.5, halfway, is the default.', '[0, inf)'),
};
export type InterpolatingBagInstanceOptions = OptionsOf<typeof options>;

/**
 * Interpolating estimator between the bag and instance losses:
 * L_ρ = mean_k [(ȳ_k − f̄_k)² + ρ·mean_{i∈B_k}(f_i − f̄_k)²], f̄_k = mean_{i∈B_k} f_i, over the non-empty bags.
 * Reading: the parameterisation is inferred from "the instance loss is a regularised bag loss" (the paper's view);
 * ρ = 0 is bag-level-loss and ρ = 1 instance-level-loss exactly. The differentially private variant's Laplace noise
 * on ȳ is a data operation, left to the caller.
 *
 * @param input predictions f(x_i) [n]
 * @param bag the bag index of each instance [n] (int32, 0 ≤ bag < K)
 * @param target each bag's aggregate (mean) response ȳ [K]
 * @returns a scalar (the mean over bags)
 * @see Javanmard et al., "Learning from Aggregate Responses: Instance Level versus Bag Level Loss Functions", ICLR 2024, arXiv:2401.11081
 */
export function interpolatingBagInstanceLoss(...args: Call<[input: Tensor, bag: Tensor, target: Tensor], InterpolatingBagInstanceOptions>): Tensor {
  const [input, bag, target, { rho }] = entry.check(args);
  return bagObjective(input, bag, target, rho);
}

export const entry = defineLoss({
  id: 'interpolating-bag-instance',
  fn: interpolatingBagInstanceLoss,
  args: [
    { name: 'input', shape: ['n'], dtype: 'float', domain: 'real' },
    { name: 'bag', shape: ['n'], dtype: 'int', domain: 'label', classes: 'K' },
    { name: 'target', shape: ['K'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'L_ρ = mean over non-empty bags of (ȳ_k − f̄_k)² + ρ·within-bag variance of the predictions; ρ = 0 bag loss, ρ = 1 instance loss.',
});
