import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { validMask } from '../parts/ranking-sort.js';

const options = {
  tau: opt.number(1, 'τ: the temperature of the score differences (1, or the contrastive temperature).', '(0, inf)'),
  pooled: opt.boolean(false, 'Pool all (positive, negative) pairs of the batch into one mean instead of a mean per query.'),
  reduction: opt.reduction(),
};
export type MannWhitneyAucOptions = OptionsOf<typeof options>;

/**
 * Mann–Whitney (AUC) pairwise loss for retrieval: the logistic surrogate of 1 − AUC over positive–negative pairs.
 *
 * Per query: ℓ = mean_{i∈P, j∈N} softplus(−(s_i − s_j)/τ) (= BCE(σ((s_i − s_j)/τ), 1)), from the broadcast
 * difference matrix with a positive–negative mask (padding excluded). Queries without a positive or a negative
 * give 0 and are left out of 'mean'. pooled: one mean over every pair of the batch (the value for each query in
 * 'none' is then its share, summing to that mean).
 *
 * @param input scores s [Q, M] of each query's candidates
 * @param target multi-hot relevance [Q, M] (1 = positive)
 * @param mask optional validity mask [Q, M] (0 = padding)
 * @returns a scalar, or [Q] with reduction 'none'
 * @see "Optimizing What Matters: AUC-Driven Learning for Robust Neural Retrieval", 2025
 */
export function mannWhitneyAucLoss(...args: Call<[input: Tensor, target: Tensor, mask?: Tensor], MannWhitneyAucOptions>): Tensor {
  const [s, y, mask, { tau, pooled, reduction }] = entry.check(args);
  const valid = validMask(s, mask);
  const pos = y.gt(0.5).logicalAnd(valid);
  const neg = y.le(0.5).logicalAnd(valid);
  const pairs = pos.unsqueeze(-1).logicalAnd(neg.unsqueeze(-2)).cast(s.dtype); // [Q, i, j]
  const l = s.unsqueeze(-1).sub(s.unsqueeze(-2)).div(-tau).softplus().mul(pairs).sum([1, 2]);
  const count = pairs.sum([1, 2]);
  if (pooled) { const total = count.sum().clamp(1); return applyReduction(l.div(total), { reduction, meanOver: 1 }); }
  return applyReduction(l.div(count.clamp(1)), { reduction, meanOver: count.gt(0).cast(s.dtype).sum().clamp(1) });
}

export const entry = defineLoss({
  id: 'mann-whitney-auc-loss',
  fn: mannWhitneyAucLoss,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'K'], dtype: 'float', domain: 'multi-hot' },
    { name: 'mask', shape: ['N', 'K'], dtype: 'float', domain: 'mask', optional: true, or: { shape: ['N', 'K'], dtype: 'bool', domain: 'mask' } },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' averages over the queries with both a positive and a negative (pooled: the sum of the shares).",
});
