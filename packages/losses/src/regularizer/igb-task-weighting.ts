import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  tau: opt.number(1, 'τ: the softmax temperature over the gaps (not given in the abstract; 1).', '(0, inf)'),
  detachWeights: opt.boolean(true, 'Hold the weights constant (sg, the paper\'s form); false lets gradients flow through them too.'),
  gap: opt.oneOf(['ratio', 'difference'], 'ratio', "The improvable gap g_t: 'ratio' L_t/L_t⁰, 'difference' L_t − L_t⁰ (L_t⁰ then the attainable loss L_t*)."),
};
export type IgbTaskWeightingOptions = OptionsOf<typeof options>;

/** IGB's task weights w_t = T·softmax(g_t/τ) [T] from the current and the reference losses (pass losses.detach() for sg weights). */
export function igbWeights(losses: Tensor, reference: Tensor, { tau = 1, gap = 'ratio' }: { tau?: number; gap?: 'ratio' | 'difference' } = {}): Tensor {
  const l = losses;
  const g = gap === 'ratio' ? l.div(reference.detach()) : l.sub(reference.detach());
  return g.div(tau).softmax(-1).mul(l.shape[l.ndim - 1]);
}

/**
 * Improvable-gap balancing (IGB), the heuristic variant: multi-task weights that favour the tasks with the most
 * room left to improve.
 *
 * g_t = L_t/L_t⁰ (or L_t − L_t*), w_t = T·softmax(g/τ)_t, detached (a weight, not a path for gradients);
 * L = Σ_t w_t·L_t. The weights sum to T, so equal gaps give the plain sum of the task losses. The softmax is a
 * max-shifted exp (finite for any gap).
 *
 * @param input current task losses L [T]
 * @param reference reference losses [T]: the initial losses L⁰ (gap 'ratio'), or the attainable ones L* ('difference'); positive
 * @returns the weighted total loss, a scalar (the weights alone: igbWeights)
 * @see Dai et al., "Improvable Gap Balancing for Multi-Task Learning", UAI 2023
 */
export function igbTaskWeighting(...args: Call<[input: Tensor, reference: Tensor], IgbTaskWeightingOptions>): Tensor {
  const [losses, reference, { tau, gap, detachWeights }] = entry.check(args);
  return igbWeights(detachWeights ? losses.detach() : losses, reference, { tau, gap }).mul(losses).sum();
}

export const entry = defineLoss({
  id: 'igb-task-weighting',
  fn: igbTaskWeighting,
  args: [
    { name: 'input', shape: ['T'], dtype: 'float', domain: 'nonneg' },
    { name: 'reference', shape: ['T'], dtype: 'float', domain: 'positive', stopGradient: true },
  ],
  options,
  surrogateGradient: "the task weights are held constant (detachWeights, the paper's form)",
  output: 'batch',
  reading: 'Gap g_t = L_t/L_t⁰ (or L_t − L_t*), weights w_t = T·softmax(g/τ) detached, L = Σ_t w_t·L_t; τ = 1. The RL-based IGB variant (an agent outputs the weights) is a training procedure, not this function.',
});
