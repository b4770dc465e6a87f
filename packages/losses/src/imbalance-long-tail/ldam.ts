import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { countsOrUniform, ldamMargins } from '../parts/class-stats.js';
import { adjustedCe } from '../parts/imbalance-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training class counts n [C] (> 0); absent: uniform counts (every margin m_max).'),
  mMax: opt.number(0.5, 'The largest margin (the rarest class): Δ_j = m_max·(n_min/n_j)^{1/4}.', '[0, inf)'),
  s: opt.number(30, 's: the logit scale (the logits are usually cosines).', '(0, inf)'),
  weight: opt.tensor(['C'], 'Per-class weights [C] (DRW: createDrwWeights(...).weights); \'mean\' is then the weighted mean.'),
  reduction: opt.reduction(),
};
export type LdamOptions = OptionsOf<typeof options>;

/**
 * LDAM loss: cross-entropy with a label-distribution-aware margin, larger for rarer classes.
 *
 * Δ_j = C₀/n_j^{1/4} with C₀ such that max_j Δ_j = m_max; ℓᵢ = −w_y·log softmax(s·(zᵢ − Δ_y·onehot(y)))_y
 * (max-shifted log-softmax), as the authors' code. 'mean' divides by Σ w_y (PyTorch's weighted
 * mean). Deferred re-weighting (LDAM-DRW): pass `createDrwWeights({ classCounts }).update(epoch)` as weight.
 *
 * @param input logits [N, C] (cosine logits of normalised features and weights)
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Cao et al., "Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss", NeurIPS 2019
 */
export function ldamLoss(...args: Call<[input: Tensor, target: Tensor], LdamOptions>): Tensor {
  const [input, target, { classCounts, mMax, s, weight, reduction }] = entry.check(args);
  const margin = ldamMargins(countsOrUniform('ldamLoss', classCounts, input, input.shape[1]), mMax);
  const { values, weights } = adjustedCe(input, target, { margin, outerScale: s }, weight);
  return applyReduction(values, { reduction, meanOver: weights.sum() });
}

export const entry = defineLoss({
  id: 'ldam',
  fn: ldamLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "with a weight, 'mean' is PyTorch's weighted mean Σ w_y·ℓ / Σ w_y",
});
