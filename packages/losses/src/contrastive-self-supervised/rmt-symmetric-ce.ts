import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type RmtSymmetricCeOptions = OptionsOf<typeof options>;

/**
 * RMT's symmetric cross-entropy between a student and its mean teacher (test-time adaptation).
 *
 * p = softmax(z_s), q = softmax(sg(z_t)); ℓᵢ = −½·Σ_k (q_ik·log p_ik + p_ik·log q_ik). Stable form: both logs from
 * the max-shifted logSoftmax, so a probability of 0 meets a finite log and the product is 0, never NaN. The
 * teacher is detached inside the loss; its EMA update (momentum 0.999) is an optimiser-side step.
 *
 * @param input student logits z_s [N, C]
 * @param target teacher (EMA) logits z_t [N, C] (no gradient reaches them)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Döbler et al., "Robust Mean Teacher for Continual and Gradual Test-Time Adaptation", CVPR 2023
 */
export function rmtSymmetricCeLoss(...args: Call<[input: Tensor, target: Tensor], RmtSymmetricCeOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  const logp = input.logSoftmax(-1);
  const logq = target.detach().logSoftmax(-1);
  return applyReduction(logq.exp().mul(logp).add(logp.exp().mul(logq)).sum(-1).mul(-0.5), { reduction });
}

export const entry = defineLoss({
  id: 'rmt-symmetric-ce',
  fn: rmtSymmetricCeLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
