import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  alpha: opt.number(0.1, 'α: weight of the entropy maximisation on the unannotated labels.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SpmlEmLossOptions = OptionsOf<typeof options>;

/**
 * Entropy-maximisation (EM) loss for single-positive multi-label learning: BCE on the observed
 * positive, maximal entropy on every unannotated label.
 *
 * q = σ(z), H(q) = −(q·log q + (1 − q)·log(1 − q)) with log q = log σ(z), log(1 − q) = log σ(−z);
 * ℓᵢ = (1/C)·Σ_c [s_c·(−log q_c) − α·(1 − s_c)·H(q_c)], mean over the batch.
 *
 * @param input logits [N, C]
 * @param observed observed-positive mask s [N, C] in {0, 1}
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhou et al., "Acknowledging the Unknown for Multi-label Learning with Single Positive Labels", ECCV 2022
 */
export function spmlEmLoss(...args: Call<[input: Tensor, observed: Tensor], SpmlEmLossOptions>): Tensor {
  const [input, observed, { alpha, reduction }] = entry.check(args);
  const s = observed.cast(input.dtype);
  const logQ = input.logSigmoid();
  const log1mQ = input.neg().logSigmoid();
  const q = input.sigmoid();
  const entropy = q.mul(logQ).add(q.neg().add(1).mul(log1mQ)).neg();
  const values = s.mul(logQ.neg()).sub(s.neg().add(1).mul(entropy).mul(alpha)).mean(-1);
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'spml-em-loss',
  fn: spmlEmLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'observed', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'per-sample',
});
