import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  tau: opt.number(1, 'τ ≥ 0: 0 sum-exponential, 1 cross-entropy, (1, 2) generalized cross-entropy with q = τ − 1, 2 MAE-like 1 − p_y.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type CompSumOptions = OptionsOf<typeof options>;

/**
 * The comp-sum loss family Φ^τ of Mao, Mohri & Zhong.
 *
 * With u = Σ_{k≠y} e^{z_k − z_y} = 1/p_y − 1, Φ^τ(u) = ((1 + u)^{1−τ} − 1)/(1 − τ) (log(1 + u) at τ = 1).
 * Stable form: since 1 + u = e^{CE} with CE = −log softmax(z)_y (a max-shifted logSoftmax),
 * Φ^τ = expm1((1 − τ)·CE)/(1 − τ), and CE itself when |τ − 1| < 1e-6. For τ < 1 the loss grows like
 * e^{(1−τ)·CE}: it is +∞ in float64 once (1 − τ)·CE exceeds ~709 (a margin of −1e4 at τ = 0), which is
 * the true value overflowing, not an instability.
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Mao, Mohri & Zhong, "Cross-Entropy Loss Functions: Theoretical Analysis and Applications", ICML 2023
 */
export function compSumLoss(...args: Call<[input: Tensor, target: Tensor], CompSumOptions>): Tensor {
  const [input, target, { tau, reduction }] = entry.check(args);
  const ce = input.logSoftmax(-1).gather(-1, target.unsqueeze(-1)).squeeze(-1).neg();
  const values = Math.abs(tau - 1) < 1e-6 ? ce : ce.mul(1 - tau).expm1().div(1 - tau);
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'comp-sum',
  fn: compSumLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
