import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { pairwiseDistance } from '../parts/pairwise-distance.js';
import { applyReduction } from '../reduce.js';

const options = {
  distanceFunction: opt.func<(x1: Tensor, x2: Tensor) => Tensor>('A distance between rows, [N, D] × [N, D] → [N] (default: pairwiseDistance, the Euclidean one with eps 1e-6).'),
  margin: opt.number(1, 'The margin by which the negative should be farther than the positive.', '(0, inf)'),
  swap: opt.boolean(false, 'Use min(d(a, n), d(p, n)) as the negative distance (the distance swap).'),
  reduction: opt.reduction(),
};
export type TripletMarginWithDistanceLossOptions = OptionsOf<typeof options>;

/**
 * Triplet margin loss with any distance, PyTorch's `F.triplet_margin_with_distance_loss`.
 *
 * ℓᵢ = max(0, margin + d(aᵢ, pᵢ) − d(aᵢ, nᵢ)) for the given distance d; with swap, d(aᵢ, nᵢ)
 * becomes min(d(aᵢ, nᵢ), d(pᵢ, nᵢ)). max is a clamp, as PyTorch's clamp_min.
 *
 * @param anchor embeddings a [N, D]
 * @param positive embeddings p [N, D]
 * @param negative embeddings n [N, D]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Balntas, Riba, Ponsa & Mikolajczyk, "Learning local feature descriptors with triplets and shallow convolutional neural networks", BMVC 2016
 */
export function tripletMarginWithDistanceLoss(...args: Call<[anchor: Tensor, positive: Tensor, negative: Tensor], TripletMarginWithDistanceLossOptions>): Tensor {
  const [anchor, positive, negative, { distanceFunction, margin, swap, reduction }] = entry.check(args);
  const d = distanceFunction ?? ((x1: Tensor, x2: Tensor) => pairwiseDistance(x1, x2));
  const dPos = d(anchor, positive);
  let dNeg = d(anchor, negative);
  if (swap) dNeg = dNeg.minimum(d(positive, negative));
  return applyReduction(dPos.sub(dNeg).add(margin).clamp(0), { reduction });
}

export const entry = defineLoss({
  id: 'triplet-margin-with-distance-loss',
  fn: tripletMarginWithDistanceLoss,
  args: [
    { name: 'anchor', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'positive', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'negative', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  meta: { name: 'Triplet margin loss with a distance function', category: 'pytorch', papers: [] },
});
