import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineSimilarityMatrix, squaredEuclideanMatrix } from '../parts/distances.js';

const options = {
  similarity: opt.oneOf(['cosine', 'euclidean'], 'cosine', "'cosine': cos(h, m_k); 'euclidean': −‖h − m_k‖²."),
};
export type NcmCosineClassifierOptions = OptionsOf<typeof options>;

/**
 * Nearest-class-mean (NCM) classifier scores: a post-hoc, non-parametric decision rule, not a loss.
 *
 * score_k = cos(h, m_k) of the L2-normalised feature and class mean (or −‖h − m_k‖²); the prediction is
 * argmax_k score_k (take it from the scores). The class means are scatter-means of training features by label
 * (the `prototypes` helper of prototypical-loss computes them). The scores are differentiable.
 *
 * @param features h [N, D]
 * @param means class-mean features m [K, D]
 * @returns the scores [N, K]
 * @see Kang et al., "Decoupling Representation and Classifier for Long-Tailed Recognition", ICLR 2020, arXiv:1910.09217
 */
export function ncmCosineClassifier(...args: Call<[features: Tensor, means: Tensor], NcmCosineClassifierOptions>): Tensor {
  const [features, means, { similarity }] = entry.check(args);
  return similarity === 'cosine' ? cosineSimilarityMatrix(features, means) : squaredEuclideanMatrix(features, means).neg();
}

export const entry = defineLoss({
  id: 'ncm-cosine-classifier',
  fn: ncmCosineClassifier,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'means', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
