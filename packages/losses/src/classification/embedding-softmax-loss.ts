import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { crossEntropy } from './cross-entropy.js';

const options = {
  reduction: opt.reduction(),
};
export type EmbeddingSoftmaxLossOptions = OptionsOf<typeof options>;

/**
 * Embedding softmax loss: softmax cross-entropy over the bilinear compatibility of visual features
 * with the seen classes' semantic vectors.
 *
 * score_ic = θᵢᵀ W φ_c, ℓᵢ = lse_c(score_ic) − score_iy (cross-entropy on the scores, through the
 * max-shifted logSoftmax).
 *
 * @param input visual features θ [N, D]
 * @param target class indices [N] (int32) among the seen classes
 * @param semantics class semantic vectors φ (attributes or word vectors) [C, A]
 * @param projection the learned compatibility matrix W [D, A]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhu, Xie, Tang, Peng & Elgammal, "Semantic-Guided Multi-Attention Localization for Zero-Shot
 *   Learning", NeurIPS 2019
 */
export function embeddingSoftmaxLoss(...args: Call<[input: Tensor, target: Tensor, semantics: Tensor, projection: Tensor], EmbeddingSoftmaxLossOptions>): Tensor {
  const [input, target, semantics, projection, { reduction }] = entry.check(args);
  const scores = input.matmul(projection).matmul(semantics.T);
  return applyReduction(crossEntropy(scores, target, { reduction: 'none' }), { reduction });
}

export const entry = defineLoss({
  id: 'embedding-softmax-loss',
  fn: embeddingSoftmaxLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'semantics', shape: ['C', 'A'], dtype: 'float', domain: 'real' },
    { name: 'projection', shape: ['D', 'A'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
