import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { logPriors } from '../parts/class-stats.js';
import { adjustedCe } from '../parts/imbalance-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training class counts n [C] (> 0); π = n/Σn. Absent (and no classPriors): uniform, plain cross-entropy.'),
  classPriors: opt.tensor(['C'], 'Class priors π [C] (> 0), instead of classCounts.'),
  tau: opt.number(1, 'τ: the scale of the adjustment τ·log π (1: Balanced Softmax).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type LogitAdjustedLossOptions = OptionsOf<typeof options>;

/**
 * Logit-adjusted loss (Balanced Softmax at τ = 1): cross-entropy of the logits plus τ·log prior.
 *
 * ℓᵢ = logsumexp_k(z_ik + τ·log π_k) − (z_{iyᵢ} + τ·log π_{yᵢ}), the bias added first, then a max-shifted
 * log-softmax. log n_k and log π_k differ by a constant that cancels, so counts or priors give the same
 * loss. Training-time only: predict with the plain z. Zero counts are an error (pass counts + 1).
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Menon et al., "Long-tail learning via logit adjustment", ICLR 2021; Ren et al., "Balanced Meta-Softmax for Long-Tailed Visual Recognition", NeurIPS 2020
 */
export function logitAdjustedLoss(...args: Call<[input: Tensor, target: Tensor], LogitAdjustedLossOptions>): Tensor {
  const [input, target, { classCounts, classPriors, tau, reduction }] = entry.check(args);
  const offset = logPriors('logitAdjustedLoss', classCounts, classPriors, input, input.shape[1]).mul(tau);
  return applyReduction(adjustedCe(input, target, { offset }).values, { reduction });
}

/** Balanced Softmax cross-entropy (Ren et al. 2020): the logit-adjusted loss at τ = 1 (its default). */
export const balancedSoftmaxLoss = logitAdjustedLoss;

export const entry = defineLoss({
  id: 'logit-adjusted-loss',
  fn: logitAdjustedLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  aliases: ['balanced-softmax'],
  output: 'per-sample',
});
