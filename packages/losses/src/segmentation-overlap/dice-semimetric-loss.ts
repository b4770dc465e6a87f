import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { jdtLoss, perSampleOrBatch } from '../parts/overlap-stats.js';

const options = {
  smooth: opt.number(0.001, 's: added to numerator and denominator.', '(0, inf)'),
  norm: opt.integer(1, 'The norm of the cardinalities: 1 (L1), or 2 (squared L2 norms of p, t and p − t).', '[1, 2]'),
  logLoss: opt.boolean(false, 'Use −log Dice_c instead of 1 − Dice_c.'),
  gamma: opt.number(1, 'γ: focal exponent of (1 − Dice_c)^γ.', '(0, inf)'),
  classWeights: opt.tensor(['C'], 'Per-class weights of the class mean (default: equal).'),
  classSet: opt.oneOf(['auto', 'all', 'present'] as const, 'auto', "Active classes: 'auto' (present for class-index targets, all for float targets), 'all', 'present'."),
  perImage: opt.boolean(false, 'One value per image; default: counts over the whole batch, one value.'),
  reduction: opt.reduction(),
};
export type DiceSemimetricOptions = OptionsOf<typeof options>;

/**
 * Dice semimetric loss (DML): soft Dice written with L1 norms, so soft labels have their own minimiser.
 *
 * Per class (sums over batch and pixels): tp = (‖p‖₁ + ‖t‖₁ − ‖p − t‖₁)/2, Dice_c = (tp + s)/(‖p‖₁/2 + ‖t‖₁/2 + s);
 * ℓ = weighted mean_c (1 − Dice_c)^γ (or −log Dice_c) over the active classes. Equals soft-dice for hard
 * targets. The power's base 1 − Dice_c ≥ 0 is clamped at 0 against rounding.
 *
 * @param input probabilities [N, C, ...spatial]
 * @param target soft or one-hot targets [N, C, ...spatial], or class indices [N, ...spatial] (int32)
 * @returns a scalar; [N] with reduction 'none' and perImage (a scalar otherwise)
 * @see Wang & Blaschko, "Dice Semimetric Losses: Optimizing the Dice Score with Soft Labels", MICCAI 2023
 */
export function diceSemimetricLoss(...args: Call<[input: Tensor, target: Tensor], DiceSemimetricOptions>): Tensor {
  const [input, target, { smooth, norm, logLoss, gamma, classWeights, classSet, perImage, reduction }] = entry.check(args);
  const v = jdtLoss(input, target, { alpha: 0.5, beta: 0.5, smooth, norm: norm as 1 | 2, gamma, logLoss, classSet, perImage, classWeights });
  return applyReduction(perSampleOrBatch(v, !perImage), { reduction });
}

export const entry = defineLoss({
  id: 'dice-semimetric-loss',
  fn: diceSemimetricLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob', or: { shape: ['N', '...'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'per-sample',
});
