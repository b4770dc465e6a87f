import { type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.number(1, 'The weight of the balancing term beside the local loss (not given in the abstract; 1 leaves it unscaled).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type FedbrOutputBalancingOptions = OptionsOf<typeof options>;

/**
 * FedBR's classifier-output balancing on pseudo-data: pushes the local classifier's outputs on pseudo-data
 * (mixtures of local batch means) toward the uniform distribution, reducing its local label bias.
 *
 * ℓₙ = w·KL(u ‖ softmax(zₙ)), u = 1/K: = w·(−log K − mean_k log softmax(zₙ)_k), with log softmax a max-shifted
 * logsumexp (finite at logits of ±1e4, where it is large but finite: the KL to a point mass is unbounded).
 *
 * @param input logits on pseudo-data z [N, K]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Guo et al., "FedBR: Improving Federated Learning on Heterogeneous Data via Local Learning Bias Reduction", ICML 2023
 */
export function fedbrOutputBalancing(...args: Call<[input: Tensor], FedbrOutputBalancingOptions>): Tensor {
  const [input, { weight, reduction }] = entry.check(args);
  const k = input.shape[1];
  return applyReduction(input.logSoftmax(-1).mean(-1).neg().sub(Math.log(k)).mul(weight), { reduction });
}

export const entry = defineLoss({
  id: 'fedbr-output-balancing',
  fn: fedbrOutputBalancing,
  args: [{ name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'per-sample',
  reading: 'KL(uniform ‖ softmax(z)) per pseudo-sample, averaged: the catalog\'s reading of "balancing the classifier outputs on pseudo-data".',
});
