import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { l2Normalize, squaredEuclideanMatrix } from '../parts/distances.js';
import { targetMask, targetOf } from '../parts/margin-softmax.js';
import { maskedMean, maskedMin } from '../parts/miners.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(0.8, 'm: the margin between the own-centre and other-centre squared distances.', '[0, inf)'),
  negative: opt.oneOf(['nearest', 'all'], 'nearest', "The negative centre: the nearest other-class centre ('nearest') or every other class, averaged ('all')."),
  reduction: opt.reduction(),
};
export type ClassCenterTripletOptions = OptionsOf<typeof options>;

/**
 * Class-center triplet loss: a triplet whose positive is the sample's own class centre and whose negative is
 * another class's centre.
 *
 * u_i = l2_normalize(x_i), c_k = l2_normalize(C_k), d_ik = ‖u_i − c_k‖²; ℓᵢ = relu(m + d_iy − min_{k≠y} d_ik)
 * ('nearest'), or mean_{k≠y} relu(m + d_iy − d_ik) ('all'). With a single class there is no negative and ℓᵢ = 0
 * (zero gradient). The embedding-softmax term the paper adds is a separate cross-entropy.
 *
 * @param features embeddings u [N, D] (normalised inside)
 * @param labels class indices [N] (int32)
 * @param centers learnable class centres C [C, D] (normalised inside)
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Zhu et al., "Semantic-Guided Multi-Attention Localization for Zero-Shot Learning", NeurIPS 2019, arXiv:1903.00502
 */
export function classCenterTripletLoss(...args: Call<[features: Tensor, labels: Tensor, centers: Tensor], ClassCenterTripletOptions>): Tensor {
  const [features, labels, centers, { margin, negative, reduction }] = entry.check(args);
  const d = squaredEuclideanMatrix(l2Normalize(features), l2Normalize(centers)); // [N, C]
  const others = targetMask(labels, centers.shape[0]).logicalNot();
  const pos = targetOf(d, labels);
  const values = negative === 'nearest'
    ? others.any(1).where(pos.sub(maskedMin(d, others, 1)).add(margin).relu(), 0)
    : maskedMean(pos.unsqueeze(1).sub(d).add(margin).relu(), others, 1);
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'class-center-triplet',
  fn: classCenterTripletLoss,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'centers', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'The CCT term alone (the embedding softmax is its own entry): squared Euclidean distances between L2-normalised features and L2-normalised centres, margin 0.8, the nearest other-class centre as the negative by default (every other centre, averaged, as an option).',
});
