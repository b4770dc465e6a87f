import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { classMean, overlapCounts, perSampleOrBatch, targetMap } from '../parts/overlap-stats.js';

const options = {
  smooth: opt.number(1, 's: added to numerator and denominator.', '(0, inf)'),
  classSet: opt.oneOf(['all', 'present'] as const, 'present', "Classes averaged: 'present' (Σt > 0; a sample with none gives 0), or 'all'."),
  logLoss: opt.boolean(false, 'Use −log J_c instead of 1 − J_c.'),
  batchDice: opt.boolean(false, 'Sum over the batch and the spatial axes together: one value for the batch.'),
  reduction: opt.reduction(),
};
export type SoftJaccardOptions = OptionsOf<typeof options>;

/**
 * Soft Jaccard (IoU) loss.
 *
 * Per class c (sums over the spatial axes): J_c = (Σp·t + s)/(Σp + Σt − Σp·t + s); ℓ = mean_c (1 − J_c) over
 * the present (or all) classes, or −mean_c log J_c. The union Σp + Σt − Σp·t ≥ 0 for p, t ∈ [0, 1], so with
 * s > 0 the ratio is positive and its log finite. For soft targets use jaccard-metric-loss.
 *
 * @param input probabilities [N, C, ...spatial]
 * @param target one-hot / binary targets [N, C, ...spatial], or class indices [N, ...spatial] (int32)
 * @returns a scalar; [N] with reduction 'none' (a scalar with batchDice)
 * @see Rahman & Wang, "Optimizing Intersection-Over-Union in Deep Neural Networks for Image Segmentation", ISVC 2016;
 *   Wang & Blaschko, "Jaccard Metric Losses: Optimizing the Jaccard Index with Soft Labels", NeurIPS 2023
 */
export function softJaccardLoss(...args: Call<[input: Tensor, target: Tensor], SoftJaccardOptions>): Tensor {
  const [input, target, { smooth, classSet, logLoss, batchDice, reduction }] = entry.check(args);
  const { tp, sumP, sumT } = overlapCounts(input, targetMap(input, target), batchDice);
  const j = tp.add(smooth).div(sumP.add(sumT).sub(tp).add(smooth));
  return applyReduction(perSampleOrBatch(classMean(logLoss ? j.log().neg() : j.neg().add(1), sumT, classSet), batchDice), { reduction });
}

export const entry = defineLoss({
  id: 'soft-jaccard',
  fn: softJaccardLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'binary', or: { shape: ['N', '...'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'per-sample',
});
