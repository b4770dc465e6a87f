import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { classMean, overlapCounts, perSampleOrBatch, targetMap, tverskyIndex } from '../parts/overlap-stats.js';

const options = {
  alpha: opt.number(0.3, 'α: weight of the false positives.', '[0, inf)'),
  beta: opt.number(0.7, 'β: weight of the false negatives.', '[0, inf)'),
  smooth: opt.number(1, 's: added to numerator and denominator.', '(0, inf)'),
  gamma: opt.number(0.75, 'γ: the exponent of (1 − TI_c) (the paper writes 1/γ with γ = 4/3).', '(0, inf)'),
  batchDice: opt.boolean(false, 'Sum over the batch and the spatial axes together: one value for the batch.'),
  classSet: opt.oneOf(['all', 'present'] as const, 'all', "Classes averaged: 'all', or 'present' (Σt > 0)."),
  reduction: opt.reduction(),
};
export type FocalTverskyOptions = OptionsOf<typeof options>;

/**
 * Focal Tversky loss: the Tversky loss per class raised to γ.
 *
 * ℓ = mean_c (1 − TI_c)^γ with TI_c the Tversky index of tversky. For γ < 1 the power's derivative is
 * unbounded at TI_c = 1; the base is clamped at 1e-12 (below any reachable 1 − TI_c unless the prediction is
 * perfect), so a perfect prediction has a finite (large) gradient instead of ∞.
 *
 * @param input probabilities [N, C, ...spatial]
 * @param target one-hot / binary targets [N, C, ...spatial], or class indices [N, ...spatial] (int32)
 * @returns a scalar; [N] with reduction 'none' (a scalar with batchDice)
 * @see Abraham & Khan, "A Novel Focal Tversky Loss Function with Improved Attention U-Net for Lesion Segmentation", ISBI 2019
 */
export function focalTverskyLoss(...args: Call<[input: Tensor, target: Tensor], FocalTverskyOptions>): Tensor {
  const [input, target, { alpha, beta, smooth, gamma, batchDice, classSet, reduction }] = entry.check(args);
  const { tp, sumP, sumT } = overlapCounts(input, targetMap(input, target), batchDice);
  const ti = tverskyIndex(tp, sumP, sumT, alpha, beta, smooth);
  const focal = ti.neg().add(1).clamp(1e-12).pow(gamma);
  return applyReduction(perSampleOrBatch(classMean(focal, sumT, classSet), batchDice), { reduction });
}

export const entry = defineLoss({
  id: 'focal-tversky',
  fn: focalTverskyLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'binary', or: { shape: ['N', '...'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'per-sample',
});
