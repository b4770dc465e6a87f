import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { bernoulliKl } from '../parts/distill-kl.js';

const options = {
  T: opt.number(2, 'T: the temperature of the per-class sigmoids.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type BinaryKlLogitOptions = OptionsOf<typeof options>;

/**
 * BinaryKL: logit-level distillation as one Bernoulli KL per class (sigmoids, not a softmax).
 *
 * q = σ(z/T) per class; ℓᵢ = T²·Σ_k [q_t·(log q_t − log q_s) + (1 − q_t)·(log(1 − q_t) − log(1 − q_s))], so
 * 'mean' is (T²/B)·Σ_{i,k}. Stable form: every log is a logSigmoid (log(1 − σ(x)) = logσ(−x)) instead of the
 * clamp to [1e-8, 1 − 1e-8] of the third-party code, so logits of ±1e4 stay finite. Teacher detached.
 *
 * @param input student logits z_s [N, K]
 * @param teacher teacher logits z_t [N, K] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Yang et al., "Dual-Head Knowledge Distillation: Enhancing Logits Utilization with an Auxiliary Head", 2024, arXiv:2411.08937
 */
export function binaryKlLogitLoss(...args: Call<[input: Tensor, teacher: Tensor], BinaryKlLogitOptions>): Tensor {
  const [input, teacher, { T, reduction }] = entry.check(args);
  return applyReduction(bernoulliKl(input, teacher, T).sum(-1).mul(T * T), { reduction });
}

export const entry = defineLoss({
  id: 'binary-kl-logit',
  fn: binaryKlLogitLoss,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'teacher', shape: ['N', 'K'], dtype: 'float', domain: 'logits', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The BinaryKL form of mdistiller-style code (per-class sigmoid Bernoulli KL at temperature T, times T², summed over classes, averaged over the batch), with logSigmoid in place of the probability clamp; the logit-MSE alternative is not this entry.',
});
