import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { targetLogProbs } from '../parts/target-log-probs.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type SumExponentialOptions = OptionsOf<typeof options>;

/**
 * Sum-exponential loss (comp-sum with τ = 0): ℓᵢ = Σ_{k≠y} exp(z_k − z_y) = 1/p_y − 1.
 *
 * Stable form: exp(lse_{k≠y}(z) − z_y), the logsumexp over the other classes taken with the target's
 * logit masked to −∞ (max-shifted, no cancellation). The value is e^{margin}, so a margin of −1e4 is +∞
 * in float64: the true value overflows (the loss is not finite at logits of ±1e4 by its definition).
 *
 * @param input logits [N, C], C ≥ 2
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Mao, Mohri & Zhong, "Cross-Entropy Loss Functions: Theoretical Analysis and Applications", ICML 2023
 */
export function sumExponentialLoss(...args: Call<[input: Tensor, target: Tensor], SumExponentialOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  const { zy, lseRest } = targetLogProbs(input, target);
  return applyReduction(lseRest.sub(zy).exp(), { reduction });
}

export const entry = defineLoss({
  id: 'sum-exponential',
  fn: sumExponentialLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  notFiniteAtExtremes: 'ℓ = exp(max_{k≠y} z_k − z_y + …): at a margin of −1e4 the exact value e^{1e4} exceeds float64 (the definition has no bound)',
});
