import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { discounts, idealDcg, neuralSort, sinkhorn, validMask } from '../parts/ranking-sort.js';

const options = {
  tau: opt.number(1, 'τ: NeuralSort temperature (→ 0: the hard sort, NDCG itself).', '(0, inf)'),
  k: opt.integer(null, 'Cut-off k of NDCG@k (null: the list length).', '[1, inf)'),
  sinkhornIters: opt.integer(50, 'Rounds of Sinkhorn scaling (allRank\'s max_iter; 0: plain NeuralSort).', '[0, inf)'),
  powered: opt.boolean(true, 'Gains 2^y − 1 (allRank\'s powered_relevancies); false: gains y.'),
  reduction: opt.reduction(),
};
export type NeuralNdcgOptions = OptionsOf<typeof options>;

/**
 * NeuralNDCG and its transposed form, one implementation: P̂ = Sinkhorn(NeuralSort(s)) on each list's valid block,
 * g = 2^y − 1 (padded items 0), d_i = 1/log2(i + 2) for ranks i < k. NeuralNDCG = Σ_i (P̂g)_i·d_i / maxDCG@k;
 * transposed: Σ_j g_j·(P̂ᵀd)_j / maxDCG@k. Returns −NeuralNDCG per list [B], 0 for a list with maxDCG = 0, and
 * the number of lists with maxDCG > 0 (the denominator of allRank's mean).
 */
export function neuralNdcgPerList(scores: Tensor, relevance: Tensor, mask: Tensor | null | undefined, o: { tau: number; k: number | null; sinkhornIters: number; powered: boolean; transposed: boolean }): { values: Tensor; lists: Tensor } {
  const n = scores.shape[1];
  const valid = validMask(scores, mask);
  const y = valid.where(relevance, 0);
  const gains = o.powered ? y.mul(Math.LN2).expm1() : y;
  const p = sinkhorn(neuralSort(scores, valid, o.tau), o.sinkhornIters);
  const d = discounts(n, o.k ?? n, scores);
  const dcg = o.transposed
    ? gains.mul(p.mul(d.reshape([1, n, 1])).sum(-2)).sum(-1)
    : p.matmul(gains.unsqueeze(-1)).squeeze(-1).mul(d).sum(-1);
  const ideal = idealDcg(gains, o.k ?? n);
  const has = ideal.gt(0);
  const values = has.where(dcg.div(ideal.add(1e-10)).neg(), 0);
  return { values, lists: has.cast(scores.dtype).sum() };
}

/**
 * NeuralNDCG: NDCG@k with the sort relaxed by NeuralSort and made doubly stochastic by Sinkhorn scaling.
 *
 * P̂ = Sinkhorn(NeuralSort(s; τ)); NeuralNDCG@k = (1/maxDCG@k)·Σ_{i<k} (P̂g)_i/log2(i + 2), g = 2^y − 1;
 * ℓ = −NeuralNDCG. Padded items (mask 0) get no probability and no gain; lists may have unequal lengths. Lists
 * with maxDCG = 0 give 0 and are left out of 'mean' (allRank's mean over the lists with a positive ideal DCG).
 * As τ → 0 the value tends to −NDCG@k. NeuralSort is a max-free softmax of bounded logits; Sinkhorn's
 * denominators are clamped at 1e-10.
 *
 * @param input scores [B, n]
 * @param target relevance labels [B, n] (≥ 0)
 * @param mask optional validity mask [B, n] (1 = item, 0 = padding)
 * @returns a scalar, or [B] with reduction 'none'
 * @see Pobrotyn & Białobrzeski, "NeuralNDCG: Direct Optimisation of a Ranking Metric via Differentiable Relaxation of Sorting", 2021 (allRank)
 */
export function neuralNdcgLoss(...args: Call<[input: Tensor, target: Tensor, mask?: Tensor], NeuralNdcgOptions>): Tensor {
  const [input, target, mask, { tau, k, sinkhornIters, powered, reduction }] = entry.check(args);
  const { values, lists } = neuralNdcgPerList(input, target, mask, { tau, k, sinkhornIters, powered, transposed: false });
  return applyReduction(values, { reduction, meanOver: lists.clamp(1) });
}

export const entry = defineLoss({
  id: 'neural-ndcg',
  fn: neuralNdcgLoss,
  args: [
    { name: 'input', shape: ['B', 'K'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['B', 'K'], dtype: 'float', domain: 'nonneg' },
    { name: 'mask', shape: ['B', 'K'], dtype: 'float', domain: 'mask', optional: true, or: { shape: ['B', 'K'], dtype: 'bool', domain: 'mask' } },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' divides by the number of lists with a positive ideal DCG (allRank); lists without one give 0 in 'none'.",
});
