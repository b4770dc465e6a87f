import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { classMean, overlapCounts, perSampleOrBatch, targetMap } from '../parts/overlap-stats.js';

const options = {
  smooth: opt.number(1, 's: added to numerator and denominator (an empty class with an empty prediction scores 1).', '[0, inf)'),
  squaredDenominator: opt.boolean(false, 'V-Net (Milletari) form: Σp² + Σt² in the denominator.'),
  batchDice: opt.boolean(false, 'Sum over the batch and the spatial axes together (nnU-Net batch Dice): one value for the batch.'),
  classSet: opt.oneOf(['all', 'present'] as const, 'all', "Classes averaged: 'all', or 'present' (Σt > 0 in the sample, or in the batch with batchDice)."),
  reduction: opt.reduction(),
};
export type SoftDiceOptions = OptionsOf<typeof options>;

/**
 * Soft Dice (Sørensen–Dice) loss on probability maps of any spatial rank.
 *
 * Per class c, sums over the spatial axes (and the batch with batchDice): Dice_c = (2·Σp·t + s)/(Σp + Σt + s)
 * (squaredDenominator: Σp² + Σt²); ℓ = 1 − mean_c Dice_c over all classes or the present ones. Plain sums
 * and a ratio with s > 0 in the denominator: finite at p ∈ {0, 1}. Equal to tversky at α = β = 0.5 and to
 * dice-semimetric-loss for hard targets.
 *
 * @param input probabilities [N, C, ...spatial] (softmax over C, or sigmoid per channel)
 * @param target one-hot / binary / soft targets [N, C, ...spatial], or class indices [N, ...spatial] (int32)
 * @returns a scalar; [N] with reduction 'none' (a scalar with batchDice)
 * @see Milletari et al., "V-Net", 3DV 2016; Li et al., "Dice Loss for Data-imbalanced NLP Tasks", ACL 2020
 */
export function softDiceLoss(...args: Call<[input: Tensor, target: Tensor], SoftDiceOptions>): Tensor {
  const [input, target, { smooth, squaredDenominator, batchDice, classSet, reduction }] = entry.check(args);
  const t = targetMap(input, target);
  const { tp, sumP, sumT } = overlapCounts(input, t, batchDice, squaredDenominator ? 2 : 1);
  const dice = tp.mul(2).add(smooth).div(sumP.add(sumT).add(smooth));
  const present = squaredDenominator ? overlapCounts(input, t, batchDice).sumT : sumT;
  return applyReduction(perSampleOrBatch(classMean(dice.neg().add(1), present, classSet), batchDice), { reduction });
}

export const entry = defineLoss({
  id: 'soft-dice',
  fn: softDiceLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob', or: { shape: ['N', '...'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'per-sample',
});
