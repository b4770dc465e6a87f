import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { overlapSum, perSampleOrBatch } from '../parts/overlap-stats.js';

const options = {
  weight: opt.number(1, 'w: the term\'s weight in CE + Dice + w·L_skel.', '[0, inf)'),
  eps: opt.number(1e-8, 'ε: added to the skeleton\'s size (an empty skeleton gives recall 0).', '(0, inf)'),
  batchDice: opt.boolean(false, 'Sum over the batch and the spatial axes together: one value for the batch.'),
  reduction: opt.reduction(),
};
export type SkeletonRecallOptions = OptionsOf<typeof options>;

/**
 * Skeleton recall loss: soft recall of the prediction on the (tubed) skeleton of the ground truth.
 *
 * ℓ = w·(1 − mean_c Σ p_c·S_c/(Σ S_c + ε)), sums over the spatial axes (and the batch with batchDice). The
 * skeleton S is a data-side, non-differentiable step: skeletonise each ground-truth class mask and dilate it
 * into a tube on the host (e.g. skimage's skeletonize + binary_dilation), without gradient, and pass it as
 * `skeleton`; the loss itself is a plain ratio with ε > 0, finite at p ∈ {0, 1}. Leave out the background
 * channel as the code does (do_bg = False) by slicing both tensors.
 *
 * @param input probabilities [N, C, ...spatial]
 * @param skeleton binary tubed skeleton masks [N, C, ...spatial] (precomputed, no gradient)
 * @returns a scalar; [N] with reduction 'none' (a scalar with batchDice)
 * @see Kirchhoff et al., "Skeleton Recall Loss for Connectivity Conserving and Resource Efficient Segmentation of Thin Tubular Structures", ECCV 2024
 */
export function skeletonRecallLoss(...args: Call<[input: Tensor, skeleton: Tensor], SkeletonRecallOptions>): Tensor {
  const [input, skeleton, { weight, eps, batchDice, reduction }] = entry.check(args);
  const s = skeleton.cast(input.dtype);
  const recall = overlapSum(input.mul(s), batchDice).div(overlapSum(s, batchDice).add(eps));
  return applyReduction(perSampleOrBatch(recall.mean(1).neg().add(1).mul(weight), batchDice), { reduction });
}

export const entry = defineLoss({
  id: 'skeleton-recall',
  fn: skeletonRecallLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'skeleton', shape: ['N', 'C', '...'], dtype: 'float', domain: 'binary', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
