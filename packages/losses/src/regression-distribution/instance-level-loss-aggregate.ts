import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';
import { bagObjective } from '../parts/regression-bags.js';

const options = {};
export type InstanceLevelLossOptions = OptionsOf<typeof options>;

/**
 * Instance-level loss: every instance is regressed on its bag's mean response, L = mean_k mean_{i∈B_k} (ȳ_k − f_i)²; computed as mean_k [(ȳ_k − f̄_k)² + Var_{i∈B_k} f_i], the bag loss plus a within-bag prediction-variance regulariser (the same value).
 * Bags with no instance are left out of the mean.
 *
 * @param input predictions f(x_i) [n]
 * @param bag the bag index of each instance [n] (int32, 0 ≤ bag < K)
 * @param target each bag's aggregate (mean) response ȳ [K]
 * @returns a scalar (the mean over bags: an aggregate over instances, so no per-instance reduction)
 * @see Javanmard et al., "Learning from Aggregate Responses: Instance Level versus Bag Level Loss Functions", ICLR 2024, arXiv:2401.11081
 */
export function instanceLevelLoss(...args: Call<[input: Tensor, bag: Tensor, target: Tensor], InstanceLevelLossOptions>): Tensor {
  const [input, bag, target] = entry.check(args);
  return bagObjective(input, bag, target, 1);
}

export const entry = defineLoss({
  id: 'instance-level-loss-aggregate',
  fn: instanceLevelLoss,
  args: [
    { name: 'input', shape: ['n'], dtype: 'float', domain: 'real' },
    { name: 'bag', shape: ['n'], dtype: 'int', domain: 'label', classes: 'K' },
    { name: 'target', shape: ['K'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
