import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { distanceMatrix } from '../parts/distances.js';
import { targetMask, targetOf } from '../parts/margin-softmax.js';
import { maskedMean, maskedMin } from '../parts/miners.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(1, "m: the triplet margin; the paper gives none: 1, PyTorch's TripletMarginLoss default (the 'original triplet loss' it modifies).", '[0, inf)'),
  distance: opt.oneOf(['euclidean', 'squared-euclidean', 'cosine'], 'euclidean', 'd: the distance between a query and a prototype (cosine: 1 − cos).'),
  negatives: opt.oneOf(['all', 'hardest'], 'all', "Every other prototype, averaged ('all'), or only the nearest one ('hardest')."),
  reduction: opt.reduction(),
};
export type ProtoTripletOptions = OptionsOf<typeof options>;

/**
 * Proto-Triplet loss: a triplet on each query whose positive is its class prototype and whose negatives are
 * the other classes' prototypes (few-shot episodes).
 *
 * c_k = mean of the support embeddings of class k (the classes present in the support set);
 * ℓ_q = mean_{k ≠ y_q} relu(d(q, c_{y_q}) − d(q, c_k) + m) ('all'), or relu(d(q, c_y) − min_{k ≠ y} d(q, c_k) + m)
 * ('hardest'). A query whose class has no support sample, or an episode of one class, gives 0 (zero gradient).
 *
 * @param query query embeddings [N, D]
 * @param queryLabels query classes [N] (int32) in [0, M)
 * @param support support embeddings [M, D]
 * @param supportLabels support classes [M] (int32) in [0, M) (an episode holds at most M classes)
 * @returns the mean over queries; 'sum'; or the per-query losses [N] with reduction 'none'
 * @see "SuSana Distancia is all you need: Enforcing class separability in metric learning via two novel distance-based loss functions for few-shot image classification", 2023, arXiv:2305.09828
 */
export function protoTripletLoss(...args: Call<[query: Tensor, queryLabels: Tensor, support: Tensor, supportLabels: Tensor], ProtoTripletOptions>): Tensor {
  const [query, queryLabels, support, supportLabels, { margin, distance, negatives, reduction }] = entry.check(args);
  const m = support.shape[0];
  const onehot = targetMask(supportLabels, m).cast(support.dtype); // [M, K = M]
  const count = onehot.sum(0);
  const protos = onehot.T.matmul(support).div(count.clamp(1).unsqueeze(1)); // segment mean [K, D]
  const present = count.gt(0).unsqueeze(0); // [1, K]
  const d = distanceMatrix(query, protos, distance); // [N, K]
  const others = present.logicalAnd(targetMask(queryLabels, m).logicalNot());
  const valid = targetOf(present.expand(d.shape).cast(d.dtype), queryLabels).gt(0);
  const pos = targetOf(d, queryLabels);
  const values = negatives === 'hardest'
    ? others.any(1).where(pos.sub(maskedMin(d, others, 1)).add(margin).relu(), 0)
    : maskedMean(pos.unsqueeze(1).sub(d).add(margin).relu(), others, 1);
  return applyReduction(valid.where(values, 0), { reduction });
}

export const entry = defineLoss({
  id: 'proto-triplet',
  fn: protoTripletLoss,
  args: [
    { name: 'query', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'queryLabels', shape: ['N'], dtype: 'int', domain: 'label', classes: 'M' },
    { name: 'support', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'supportLabels', shape: ['M'], dtype: 'int', domain: 'label', classes: 'M' },
  ],
  options,
  output: 'per-sample',
  reading: 'Anchor = the query, positive = its class prototype (segment mean of its support samples), negatives = every other present prototype averaged (or the hardest); Euclidean distance and margin 1 by default (the paper fixes neither); queries whose class is absent from the support set contribute 0 and still count in the mean.',
});
