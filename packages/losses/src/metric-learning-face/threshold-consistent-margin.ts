import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { allPairs, maskedMean } from '../parts/miners.js';

const options = {
  mPos: opt.number(0.9, 'm⁺: positive pairs with similarity at most m⁺ are penalised.', '[-1, 1]'),
  mNeg: opt.number(0.5, 'm⁻: negative pairs with similarity at least m⁻ are penalised.', '[-1, 1]'),
  lambdaPos: opt.number(1, 'λ⁺: the weight of the positive term.', '[0, inf)'),
  lambdaNeg: opt.number(1, 'λ⁻: the weight of the negative term.', '[0, inf)'),
};
export type ThresholdConsistentMarginOptions = OptionsOf<typeof options>;

/**
 * Threshold-Consistent Margin (TCM) regularizer: penalises only hard positives and hard negatives.
 *
 * S = ÊÊᵀ (cosines of the L2-normalised embeddings); P = same-label pairs i ≠ j, N = different-label pairs;
 * L = λ⁺·mean_{P, S ≤ m⁺}(m⁺ − S) + λ⁻·mean_{N, S ≥ m⁻}(S − m⁻); each term is 0 when its set is empty
 * (as pytorch-metric-learning's ThresholdConsistentMarginLoss). Added to a base metric loss.
 *
 * @param embeddings [N, D]
 * @param labels class indices [N] (int32)
 * @returns a scalar (a batch-level regularizer: no reduction)
 * @see Zhang et al., "Threshold-Consistent Margin Loss for Open-World Deep Metric Learning", ICLR 2024, arXiv:2307.04047
 */
export function thresholdConsistentMarginLoss(...args: Call<[embeddings: Tensor, labels: Tensor], ThresholdConsistentMarginOptions>): Tensor {
  const [embeddings, labels, { mPos, mNeg, lambdaPos, lambdaNeg }] = entry.check(args);
  const s = cosineSimilarityMatrix(embeddings, embeddings);
  const { pos, neg } = allPairs(labels);
  const sd = s.detach();
  const posTerm = maskedMean(s.neg().add(mPos), pos.logicalAnd(sd.le(mPos)));
  const negTerm = maskedMean(s.sub(mNeg), neg.logicalAnd(sd.ge(mNeg)));
  return posTerm.mul(lambdaPos).add(negTerm.mul(lambdaNeg));
}

export const entry = defineLoss({
  id: 'threshold-consistent-margin',
  fn: thresholdConsistentMarginLoss,
  args: [
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'real' },
  ],
  options,
  output: 'batch',
});
