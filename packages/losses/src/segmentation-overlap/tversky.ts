import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { classMean, overlapCounts, perSampleOrBatch, targetMap, tverskyIndex } from '../parts/overlap-stats.js';

const options = {
  alpha: opt.number(0.3, 'α: weight of the false positives Σp·(1 − t).', '[0, inf)'),
  beta: opt.number(0.7, 'β: weight of the false negatives Σ(1 − p)·t.', '[0, inf)'),
  smooth: opt.number(1, 's: added to numerator and denominator.', '(0, inf)'),
  batchDice: opt.boolean(false, 'Sum over the batch and the spatial axes together: one value for the batch.'),
  classSet: opt.oneOf(['all', 'present'] as const, 'all', "Classes averaged: 'all' (the paper's mean over classes), or 'present' (Σt > 0)."),
  reduction: opt.reduction(),
};
export type TverskyOptions = OptionsOf<typeof options>;

/**
 * Tversky loss: a Dice with separate weights for false positives and false negatives.
 *
 * Per class c (sums over the spatial axes): TP = Σp·t, FP = Σp·(1 − t), FN = Σ(1 − p)·t,
 * TI_c = (TP + s)/(TP + α·FP + β·FN + s); ℓ = 1 − mean_c TI_c. α = β = 0.5 is soft Dice, α = β = 1 soft Jaccard.
 * FP and FN are formed as Σp − TP and Σt − TP. s > 0 keeps the ratio finite at an empty class.
 *
 * @param input probabilities [N, C, ...spatial]
 * @param target one-hot / binary targets [N, C, ...spatial], or class indices [N, ...spatial] (int32)
 * @returns a scalar; [N] with reduction 'none' (a scalar with batchDice)
 * @see Salehi et al., "Tversky loss function for image segmentation using 3D fully convolutional deep networks", MLMI 2017
 */
export function tverskyLoss(...args: Call<[input: Tensor, target: Tensor], TverskyOptions>): Tensor {
  const [input, target, { alpha, beta, smooth, batchDice, classSet, reduction }] = entry.check(args);
  const { tp, sumP, sumT } = overlapCounts(input, targetMap(input, target), batchDice);
  const ti = tverskyIndex(tp, sumP, sumT, alpha, beta, smooth);
  return applyReduction(perSampleOrBatch(classMean(ti.neg().add(1), sumT, classSet), batchDice), { reduction });
}

export const entry = defineLoss({
  id: 'tversky',
  fn: tverskyLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'binary', or: { shape: ['N', '...'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'per-sample',
});
