import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { targetMap } from '../parts/overlap-stats.js';

const options = {
  alpha: opt.number(1, 'α: exponent of the self-adjusting factor (1 − p)^α (tuned, about 0.1–1).', '[0, inf)'),
  gamma: opt.number(1, 'γ: the smoothing term added to numerator and denominator.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type SelfAdjustingDiceOptions = OptionsOf<typeof options>;

/**
 * Self-adjusting Dice loss (DSC): a per-example Dice whose prediction is down-weighted by (1 − p)^α.
 *
 * Per example (and class): q = (1 − p)^α·p, DSC = (2·q·y + γ)/(q + y + γ), ℓ = 1 − DSC; the mean over examples
 * and classes. With γ > 0 the ratio is finite at p ∈ {0, 1}; q's factor (1 − p)^α is exp(α·log1p(−p)) with the
 * base clamped at 0, whose derivative at p = 1 is finite for α ≥ 1 (and clamped below).
 *
 * @param input probabilities [N, ...] (binary), or [N, C, ...] (one-vs-rest per class)
 * @param target {0, 1} targets shaped like input, or class indices [N, ...] (int32) for input [N, C, ...]
 * @returns a scalar, or the elementwise values shaped like input with reduction 'none'
 * @see Li et al., "Dice Loss for Data-imbalanced NLP Tasks", ACL 2020
 */
export function selfAdjustingDiceLoss(...args: Call<[input: Tensor, target: Tensor], SelfAdjustingDiceOptions>): Tensor {
  const [input, target, { alpha, gamma, reduction }] = entry.check(args);
  const y = targetMap(input, target);
  const q = alpha === 0 ? input : input.neg().add(1).clamp(1e-12).pow(alpha).mul(input);
  const dsc = q.mul(y).mul(2).add(gamma).div(q.add(y).add(gamma));
  return applyReduction(dsc.neg().add(1), { reduction });
}

export const entry = defineLoss({
  id: 'self-adjusting-dice',
  fn: selfAdjustingDiceLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'binary', or: { shape: ['N', '...'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'elementwise',
});
