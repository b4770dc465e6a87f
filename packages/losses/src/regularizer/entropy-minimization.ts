import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.number(0.1, 'λ: the weight of the entropy term added to the supervised loss (the paper\'s 0.1).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type EntropyMinimizationOptions = OptionsOf<typeof options>;

/**
 * Conditional entropy minimisation on unlabeled samples.
 *
 * ℓᵢ = −λ Σ_k p_ik log p_ik with log p = log softmax(zᵢ) (a max-shifted logsumexp) and p = exp(log p): no
 * probability is logged after the fact, so a class with p = 0 (logits of ±1e4) adds 0·(finite) = 0.
 *
 * @param input logits on unlabeled samples [N, C]
 * @returns λ times the mean entropy (a scalar), or the per-sample weighted entropies [N] with reduction 'none'
 * @see Grandvalet & Bengio, "Semi-supervised Learning by Entropy Minimization", NIPS 2004 (used by Kurmi et al.,
 *   "Collaborative Training of Balanced Random Forests for Open Set Domain Adaptation", 2020)
 */
export function entropyMinimization(...args: Call<[input: Tensor], EntropyMinimizationOptions>): Tensor {
  const [input, { weight, reduction }] = entry.check(args);
  const logp = input.logSoftmax(-1);
  return applyReduction(logp.exp().mul(logp).sum(-1).mul(-weight), { reduction });
}

export const entry = defineLoss({
  id: 'entropy-minimization',
  fn: entropyMinimization,
  args: [{ name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'per-sample',
});
