import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  beta: opt.number(0.999, 'β of the effective number (catalog null: 0.999, the class-balanced loss\'s common choice; 0 gives plain MAE, β → 1 inverse frequency).', '[0, 1)'),
  reduction: opt.reduction(),
};
export type FrequencyWeightedMaeOptions = OptionsOf<typeof options>;

/**
 * Frequency-weighted MAE (fMAE) for heavy-tailed targets: errors on targets from rare value bins weigh more.
 *
 * w_b = (1 − β)/(1 − β^max(n_b, 1)) (the inverse effective number of bin b's n_b training targets; an empty bin
 * counts as 1), normalised so that Σ_b w_b = K; ℓ_i = w_{bin(y_i)}·|ŷ_i − y_i|. Reading: the effective-number
 * weights of Cui et al. on a histogram of the training targets; the bins (bucketize of y by the histogram's
 * edges) are the caller's, so the edges and bin count are whatever the histogram used.
 *
 * @param input predictions ŷ [N]
 * @param target targets y [N]
 * @param bins each target's histogram bin [N] (int32 in 0..K−1, e.g. y.bucketize(edges))
 * @param counts training-target counts per bin n [K]
 * @returns the mean over elements; 'sum'; or [N] with reduction 'none'
 * @see "AirCast: Improving Air Pollution Forecasting Through Multi-Variable Data Alignment", 2025; Cui et al., "Class-Balanced Loss Based on Effective Number of Samples", CVPR 2019
 */
export function frequencyWeightedMae(...args: Call<[input: Tensor, target: Tensor, bins: Tensor, counts: Tensor], FrequencyWeightedMaeOptions>): Tensor {
  const [input, target, bins, counts, { beta, reduction }] = entry.check(args);
  const K = counts.shape[0];
  const inv = counts.detach().clamp(1).mul(Math.log(beta)).exp().neg().add(1).reciprocal().mul(1 - beta);
  const w = inv.div(inv.sum()).mul(K);
  return applyReduction(w.gather(0, bins).mul(input.sub(target).abs()), { reduction });
}

export const entry = defineLoss({
  id: 'frequency-weighted-mae',
  fn: frequencyWeightedMae,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'bins', shape: ['N'], dtype: 'int', domain: 'label', classes: 'K' },
    { name: 'counts', shape: ['K'], dtype: 'float', domain: 'nonneg', stopGradient: true },
  ],
  options,
  output: 'elementwise',
  reading: 'Effective-number weights (1 − β)/(1 − β^n_b) of the target\'s histogram bin, normalised to sum K, times |ŷ − y|; mean over elements.',
});
