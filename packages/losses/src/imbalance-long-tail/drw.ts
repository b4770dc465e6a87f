import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import * as stats from '../parts/class-stats.js';

export type { DrwState, DrwWeights } from '../parts/class-stats.js';
/** The DRW schedule as an object with explicit state: `createDrwWeights({ classCounts }).update(epoch)`. */
export const createDrwWeights = stats.createDrwWeights;

const options = {
  epoch: opt.integer(0, 'The current epoch (0-based).', '[0, inf)'),
  deferEpoch: opt.integer(160, 'T₀: the epoch from which the class-balanced weights apply (of 200 in the paper; the total only shapes the learning-rate schedule).', '[0, inf)'),
  beta: opt.number(0.9999, 'β of the effective-number weights.', '[0, 1)'),
};
export type DrwOptions = OptionsOf<typeof options>;

/**
 * Deferred re-weighting (DRW): per-class weights that stay 1 until epoch T₀, then become class-balanced.
 *
 * w(epoch) = 1 [C] if epoch < T₀, else w_k = (1 − β)/(1 − β^{n_k}) renormalised to Σ_k w_k = C
 * (1 − β^n = −expm1(n·log β)). The weights feed the `weight` option of ldam or class-weighted-ce. For a
 * training loop, `createDrwWeights({ classCounts, deferEpoch, beta })` holds the schedule's state
 * (`update(epoch)`, `stateDict()`, `loadStateDict()`).
 *
 * @param classCounts training class counts n [C] (> 0)
 * @returns the weights of the epoch [C]
 * @see Cao et al., "Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss", NeurIPS 2019
 */
export function drwWeights(...args: Call<[classCounts: Tensor], DrwOptions>): Tensor {
  const [classCounts, { epoch, deferEpoch, beta }] = entry.check(args);
  return stats.drwWeightsAt(classCounts, epoch, deferEpoch, beta);
}

export const entry = defineLoss({
  id: 'drw',
  fn: drwWeights,
  args: [{ name: 'classCounts', shape: ['C'], dtype: 'float', domain: 'positive' }],
  options,
  output: 'same-as-input',
});
