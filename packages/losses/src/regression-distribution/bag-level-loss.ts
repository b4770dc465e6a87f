import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';
import { bagObjective } from '../parts/regression-bags.js';

const options = {};
export type BagLevelLossOptions = OptionsOf<typeof options>;

/**
 * Bag-level loss: the squared error between each bag's mean response and the bag's mean prediction, L = mean_k (ȳ_k − mean_{i∈B_k} f_i)² over the non-empty bags (the mean over bags, as seed 003b; seed 001 writes the sum).
 * Bags with no instance are left out of the mean.
 *
 * @param input predictions f(x_i) [n]
 * @param bag the bag index of each instance [n] (int32, 0 ≤ bag < K)
 * @param target each bag's aggregate (mean) response ȳ [K]
 * @returns a scalar (the mean over bags: an aggregate over instances, so no per-instance reduction)
 * @see Javanmard et al., "Learning from Aggregate Responses: Instance Level versus Bag Level Loss Functions", ICLR 2024, arXiv:2401.11081
 */
export function bagLevelLoss(...args: Call<[input: Tensor, bag: Tensor, target: Tensor], BagLevelLossOptions>): Tensor {
  const [input, bag, target] = entry.check(args);
  return bagObjective(input, bag, target, 0);
}

export const entry = defineLoss({
  id: 'bag-level-loss',
  fn: bagLevelLoss,
  args: [
    { name: 'input', shape: ['n'], dtype: 'float', domain: 'real' },
    { name: 'bag', shape: ['n'], dtype: 'int', domain: 'label', classes: 'K' },
    { name: 'target', shape: ['K'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
