import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { neuralNdcgPerList } from './neural-ndcg.js';

const options = {
  tau: opt.number(1, 'τ: NeuralSort temperature (→ 0: the hard sort, NDCG itself).', '(0, inf)'),
  k: opt.integer(null, 'Cut-off k of NDCG@k (null: the list length).', '[1, inf)'),
  sinkhornIters: opt.integer(50, 'Rounds of Sinkhorn scaling (allRank\'s max_iter; 0: plain NeuralSort).', '[0, inf)'),
  powered: opt.boolean(true, 'Gains 2^y − 1 (allRank\'s powered_relevancies); false: gains y.'),
  reduction: opt.reduction(),
};
export type NeuralNdcgTransposedOptions = OptionsOf<typeof options>;

/**
 * NeuralNDCG-Transposed: each item's gain times its expected discount under the relaxed permutation.
 *
 * P̂ = Sinkhorn(NeuralSort(s; τ)); NeuralNDCGᵀ@k = (1/maxDCG@k)·Σ_j g_j·Σ_{i<k} P̂_ij/log2(i + 2), g = 2^y − 1;
 * ℓ = −NeuralNDCGᵀ (the shared implementation is neural-ndcg's neuralNdcgPerList). Padded items (mask 0) get no probability and no gain; lists may have unequal lengths. Lists
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
export function neuralNdcgTransposedLoss(...args: Call<[input: Tensor, target: Tensor, mask?: Tensor], NeuralNdcgTransposedOptions>): Tensor {
  const [input, target, mask, { tau, k, sinkhornIters, powered, reduction }] = entry.check(args);
  const { values, lists } = neuralNdcgPerList(input, target, mask, { tau, k, sinkhornIters, powered, transposed: true });
  return applyReduction(values, { reduction, meanOver: lists.clamp(1) });
}

export const entry = defineLoss({
  id: 'neural-ndcg-transposed',
  fn: neuralNdcgTransposedLoss,
  args: [
    { name: 'input', shape: ['B', 'K'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['B', 'K'], dtype: 'float', domain: 'nonneg' },
    { name: 'mask', shape: ['B', 'K'], dtype: 'float', domain: 'mask', optional: true, or: { shape: ['B', 'K'], dtype: 'bool', domain: 'mask' } },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' divides by the number of lists with a positive ideal DCG (allRank); lists without one give 0 in 'none'.",
});
