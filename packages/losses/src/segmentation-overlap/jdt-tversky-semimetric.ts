import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { jdtLoss, perSampleOrBatch } from '../parts/overlap-stats.js';

const options = {
  alpha: opt.number(1, 'α: weight of the soft false positives (α = β = 1: Jaccard metric loss, 0.5: Dice semimetric loss).', '[0, inf)'),
  beta: opt.number(1, 'β: weight of the soft false negatives.', '[0, inf)'),
  smooth: opt.number(0.001, 's: added to numerator and denominator.', '(0, inf)'),
  classSet: opt.oneOf(['auto', 'all', 'present'] as const, 'auto', "Active classes: 'auto' (present for class-index targets, all for float targets, as the code), 'all', 'present'."),
  perImage: opt.boolean(false, 'One value per image (mIoU-I); default: counts over the whole batch (mIoU-D), one value.'),
  reduction: opt.reduction(),
};
export type JdtTverskySemimetricOptions = OptionsOf<typeof options>;

/**
 * Tversky form of the JDT losses: a Tversky loss whose counts stay a semimetric for soft labels.
 *
 * card_x = Σp, card_t = Σt, diff = Σ|p − t| per class; tp = (card_x + card_t − diff)/2, fp = card_x − tp,
 * fn = card_t − tp; ℓ = mean_c 1 − (tp + s)/(tp + α·fp + β·fn + s) over the active classes. For hard targets it
 * equals tversky; for soft ones tp = Σ min(p, t). |p − t| has a kink at p = t (subgradient 0 there).
 *
 * @param input probabilities [N, C, ...spatial]
 * @param target soft or one-hot targets [N, C, ...spatial], or class indices [N, ...spatial] (int32)
 * @returns a scalar; [N] with reduction 'none' and perImage (a scalar otherwise)
 * @see Wang & Blaschko, "Dice Semimetric Losses: Optimizing the Dice Score with Soft Labels", MICCAI 2023 (JDTLosses code)
 */
export function jdtTverskySemimetricLoss(...args: Call<[input: Tensor, target: Tensor], JdtTverskySemimetricOptions>): Tensor {
  const [input, target, { alpha, beta, smooth, classSet, perImage, reduction }] = entry.check(args);
  const v = jdtLoss(input, target, { alpha, beta, smooth, norm: 1, gamma: 1, logLoss: false, classSet, perImage, classWeights: null });
  return applyReduction(perSampleOrBatch(v, !perImage), { reduction });
}

export const entry = defineLoss({
  id: 'jdt-tversky-semimetric',
  fn: jdtTverskySemimetricLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob', or: { shape: ['N', '...'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'per-sample',
});
