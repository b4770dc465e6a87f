import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type EnergyGuidedEntropicOtOptions = OptionsOf<typeof options>;

/**
 * The energy-guided entropic OT potential's training loss, EBM-style (positives: target samples; negatives: samples
 * of the conditional plan).
 *
 * The dual sup_f E_{y~Q}[f(y)] − E_{x~P}[ε·log ∫ exp((f(y) − c(x, y))/ε) dy] has the gradient E_Q[∇f(y)] −
 * E_{x~P, ŷ~π_f(·|x)}[∇f(ŷ)], π_f(y|x) ∝ exp((f(y) − c(x, y))/ε); minimising L = mean_j f(ŷ_j) − mean_i f(y_i) gives
 * it, with ŷ drawn by the caller's Langevin MCMC on (f(y) − c(x, y))/ε (ŷ ← ŷ + (η/2)∇_y[(f(ŷ) − c(x, ŷ))/ε] + √η·ξ,
 * started from x or noise, detached) and f evaluated on both sets with the graph kept.
 *
 * @param input the potential on target samples f(y) [N]
 * @param sampled the potential on the MCMC samples of the conditional plan f(ŷ) [M]
 * @returns a scalar (one value per batch)
 * @see Mokrov et al., "Energy-guided Entropic Neural Optimal Transport", ICLR 2024
 */
export function energyGuidedEntropicOt(...args: Call<[input: Tensor, sampled: Tensor], EnergyGuidedEntropicOtOptions>): Tensor {
  const [input, sampled] = entry.check(args);
  return sampled.mean().sub(input.mean());
}

export const entry = defineLoss({
  id: 'energy-guided-entropic-ot',
  fn: energyGuidedEntropicOt,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'sampled', shape: ['M'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: "The EBM-style surrogate of the entropic dual: mean f(MCMC samples) − mean f(target samples), whose gradient in f's parameters is the dual's (the log-partition term differentiates to the plan's expectation of ∇f). The Langevin sampler, ε and the step counts are the caller's; the catalog marks the details as not in the abstract, so this is the standard EBM reading.",
});
