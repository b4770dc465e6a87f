import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { targetLogProbs } from '../parts/target-log-probs.js';
import { applyReduction } from '../reduce.js';

const options = {
  logEnd: opt.number(0.75, 'LE: above p_y = LE the bonus continues along its tangent (bounded); 1 gives the full, unbounded bonus.', '(0, 1]'),
  bonusWeight: opt.number(1, 'Weight of the bonus term.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type EncouragingLossOptions = OptionsOf<typeof options>;

/**
 * Encouraging loss: cross-entropy plus a bonus that rewards well-classified examples.
 *
 * ℓᵢ = −log p_y + w·b(p_y), with the bonus b(p) = log(1 − p) for p ≤ LE and, in the conservative form,
 * its tangent at LE for p > LE: b(p) = log(1 − LE) − (p − LE)/(1 − LE). log p_y and log(1 − p_y) =
 * lse_{k≠y}(z) − lse(z) are taken in log space, so the full bonus is finite (not clamped at 1e-5 as in
 * the official code) wherever the logits are.
 *
 * @param input logits [N, C], C ≥ 2
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhao et al., "Well-classified Examples are Underestimated in Classification with
 *   Deep Neural Networks", AAAI 2022
 */
export function encouragingLoss(...args: Call<[input: Tensor, target: Tensor], EncouragingLossOptions>): Tensor {
  const [input, target, { logEnd, bonusWeight, reduction }] = entry.check(args);
  const { logp, log1mp } = targetLogProbs(input, target);
  let bonus = log1mp;
  if (logEnd < 1) {
    const p = logp.exp();
    const tangent = p.sub(logEnd).div(logEnd - 1).add(Math.log(1 - logEnd));
    bonus = p.gt(logEnd).where(tangent, log1mp);
  }
  return applyReduction(logp.neg().add(bonus.mul(bonusWeight)), { reduction });
}

export const entry = defineLoss({
  id: 'encouraging-loss',
  fn: encouragingLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
