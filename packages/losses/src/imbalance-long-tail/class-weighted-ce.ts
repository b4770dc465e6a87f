import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { classWeights, countsOrUniform } from '../parts/class-stats.js';
import { pickNll } from '../parts/class-nll.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.tensor(['C'], 'Per-class weights w [C], used as given (overrides classCounts and weightScheme).'),
  classCounts: opt.tensor(['C'], 'Training class counts n [C] (> 0) from which weightScheme derives w; absent: uniform counts (plain cross-entropy).'),
  weightScheme: opt.oneOf(['inverse-frequency', 'inverse-sqrt', 'median-frequency', 'effective-number'], 'inverse-frequency', 'How w derives from n: N/(C·n_k), 1/√n_k, median(n)/n_k, or (1 − β)/(1 − β^{n_k}).'),
  beta: opt.number(0.9999, "β of the 'effective-number' scheme.", '[0, 1)'),
  normalize: opt.boolean(true, 'Renormalise derived weights to Σ_k w_k = C.'),
  ignoreIndex: opt.integer(-100, 'Targets equal to this class index contribute nothing.'),
  reduction: opt.reduction(),
};
export type ClassWeightedCeOptions = OptionsOf<typeof options>;

/**
 * Class-weighted (cost-sensitive) cross-entropy.
 *
 * CEᵢ = logsumexp(zᵢ) − z_{i,yᵢ} (max-shifted log-softmax), ℓᵢ = w_{yᵢ}·CEᵢ, and 'mean' is PyTorch's
 * weighted mean Σᵢ w_{yᵢ}CEᵢ / Σᵢ w_{yᵢ}. The weights are given, or derived from class counts:
 * inverse frequency w_k = N/(C·n_k), inverse square root, median frequency median_j(n_j)/n_k or the
 * effective number (class-balanced-loss), renormalised to sum C. Dense inputs [N, C, d1, ...] weigh
 * every position alike.
 *
 * @param input logits [N, C] or [N, C, d1, ...]
 * @param target class indices [N] or [N, d1, ...] (int32)
 * @returns a scalar, or the weighted per-sample losses [N, d1, ...] with reduction 'none'
 * @see Cao et al., "Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss", NeurIPS 2019 (re-weighting baselines)
 */
export function classWeightedCe(...args: Call<[input: Tensor, target: Tensor], ClassWeightedCeOptions>): Tensor {
  const [input, target, { weight, classCounts, weightScheme, beta, normalize, ignoreIndex, reduction }] = entry.check(args);
  const c = input.shape[1];
  const w = weight ?? classWeights(countsOrUniform('classWeightedCe', classCounts, input, c), weightScheme, { beta, normalize });
  const { values, weights } = pickNll(input.movedim(1, -1).logSoftmax(-1), target, w, ignoreIndex);
  return applyReduction(values, { reduction, meanOver: weights.sum() });
}

export const entry = defineLoss({
  id: 'class-weighted-ce',
  fn: classWeightedCe,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' is PyTorch's weighted mean: Σ w_y·CE / Σ w_y",
});
