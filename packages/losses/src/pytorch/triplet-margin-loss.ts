import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { pairwiseDistance } from '../parts/pairwise-distance.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(1, 'The margin by which the negative should be farther than the positive.', '[0, inf)'),
  p: opt.number(2, 'The norm degree of the distance.', '(0, inf)'),
  eps: opt.number(1e-6, 'Added to each difference before the norm (PyTorch\'s pairwise_distance).', '[0, inf)'),
  swap: opt.boolean(false, 'Use min(d(a, n), d(p, n)) as the negative distance (the distance swap).'),
  reduction: opt.reduction(),
};
export type TripletMarginLossOptions = OptionsOf<typeof options>;

/**
 * Triplet margin loss, PyTorch's `F.triplet_margin_loss`.
 *
 * ℓᵢ = max(0, margin + d(aᵢ, pᵢ) − d(aᵢ, nᵢ)), d(x, y) = ‖x − y + eps‖_p (pairwiseDistance); with
 * swap, d(aᵢ, nᵢ) becomes min(d(aᵢ, nᵢ), d(pᵢ, nᵢ)). max is a clamp (gradient passes at 0, as
 * PyTorch's clamp_min).
 *
 * @param anchor embeddings a [N, D]
 * @param positive embeddings p [N, D]
 * @param negative embeddings n [N, D]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Balntas, Riba, Ponsa & Mikolajczyk, "Learning local feature descriptors with triplets and shallow convolutional neural networks", BMVC 2016
 */
export function tripletMarginLoss(...args: Call<[anchor: Tensor, positive: Tensor, negative: Tensor], TripletMarginLossOptions>): Tensor {
  const [anchor, positive, negative, { margin, p, eps, swap, reduction }] = entry.check(args);
  const dPos = pairwiseDistance(anchor, positive, { p, eps });
  let dNeg = pairwiseDistance(anchor, negative, { p, eps });
  if (swap) dNeg = dNeg.minimum(pairwiseDistance(positive, negative, { p, eps }));
  return applyReduction(dPos.sub(dNeg).add(margin).clamp(0), { reduction });
}

export const entry = defineLoss({
  id: 'triplet-margin-loss',
  fn: tripletMarginLoss,
  args: [
    { name: 'anchor', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'positive', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'negative', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  notAtOptionEdges: {
    p: '‖d‖_p = (Σ|dᵢ|^p)^(1/p) grows like D^(1/p) as p → 0: the true distances at p = 1e-3 (3^1000·|d| for D = 3) are past float64, and the loss is ∞ − ∞, as in PyTorch.',
  },
  meta: { name: 'Triplet margin loss', category: 'pytorch', papers: [] },
});
