import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { logProbAtTarget } from '../parts/robust-symmetric.js';

const options = {
  q: opt.number(0.7, 'q ∈ [0, 1]: 0 is cross-entropy, 1 is MAE-like 1 − p_y.', '[0, 1]'),
  reduction: opt.reduction(),
};
export type GceOptions = OptionsOf<typeof options>;

/**
 * Generalized cross-entropy (GCE), the comp-sum member with τ = 1 + q.
 *
 * ℓᵢ = (1 − p_y^q)/q with p = softmax(z). Stable form: log p_y = z_y − logsumexp(z) (max-shifted), then
 * ℓᵢ = −expm1(q·log p_y)/q, exact for small q and finite at logits of ±1e4 (p_y = 0 gives 1/q). q = 0 is
 * cross-entropy −log p_y (the limit). Its gradient is p_y^q times cross-entropy's, so a confidently wrong
 * (likely mislabelled) sample pulls less than under cross-entropy.
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhang & Sabuncu, "Generalized Cross Entropy Loss for Training Deep Neural Networks with Noisy Labels",
 *   NeurIPS 2018; Mao, Mohri & Zhong, "Cross-Entropy Loss Functions: Theoretical Analysis and Applications", ICML 2023
 */
export function gceLoss(...args: Call<[input: Tensor, target: Tensor], GceOptions>): Tensor {
  const [input, target, { q, reduction }] = entry.check(args);
  const logpy = logProbAtTarget(input.logSoftmax(-1), target);
  return applyReduction(q === 0 ? logpy.neg() : logpy.mul(q).expm1().div(-q), { reduction });
}

export const entry = defineLoss({
  id: 'gce',
  fn: gceLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
