import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { distance, type DistanceKind, distanceMatrix, l2Normalize } from '../parts/distances.js';
import { allTriplets, batchHard, semiHard } from '../parts/miners.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(0.2, 'm: the margin (FaceNet 0.2 on normalised embeddings; PyTorch 1.0).', '[0, inf)'),
  distance: opt.oneOf(['l2', 'cosine'], 'l2', "'l2': ‖u − v‖₂; 'cosine': 1 − cos(u, v) (the similarity form relu(s_n − s_p + m))."),
  squared: opt.boolean(false, 'Square the l2 distance (FaceNet).'),
  normalize: opt.boolean(false, 'L2-normalise the embeddings first (FaceNet).'),
  mining: opt.oneOf(['none', 'all', 'batch-hard', 'semi-hard'], 'none', "With labels: 'all' valid triplets, 'batch-hard' (hardest positive and negative per anchor) or 'semi-hard' (FaceNet); 'none' reads as 'all'. Ignored for explicit triplets."),
  reduction: opt.reduction(),
};
export type TripletOptions = OptionsOf<typeof options>;

/**
 * Triplet loss: explicit triplets (anchor, positive, negative), or triplets mined in a labelled batch.
 *
 * ℓ = relu(d(a, p) − d(a, n) + m), d = ‖u − v‖₂ (optionally squared, on optionally normalised embeddings;
 * √ with gradient 0 at a zero distance) or 1 − cos. Explicit triplets give one value per row. With labels
 * (second argument int32 [N]), D = all-pairs distances and: 'all': every (a, p, n) with y_p = y_a, p ≠ a,
 * y_n ≠ y_a, per anchor the sum over its triplets and 'mean' = Σ / #triplets; 'batch-hard': per anchor
 * relu(max_p D_ap − min_n D_an + m), 'mean' over anchors having a positive and a negative; 'semi-hard': per
 * positive pair the nearest negative farther than the positive (else the farthest; TensorFlow Addons' rule),
 * per anchor the sum and 'mean' over positive pairs. No valid triplet: 0 with zero gradient (parts/miners).
 *
 * @param anchor embeddings [N, D] (the batch, with labels)
 * @param positive embeddings [N, D], or the batch's labels [N] (int32) for in-batch mining
 * @param negative embeddings [N, D] (explicit triplets only)
 * @returns the mean (see above); 'sum'; or per-sample (per-anchor) losses [N] with reduction 'none'
 * @see Schroff et al., "FaceNet: A Unified Embedding for Face Recognition and Clustering", CVPR 2015, arXiv:1503.03832; Hermans et al., "In Defense of the Triplet Loss for Person Re-Identification", 2017
 */
export function tripletLoss(...args: Call<[anchor: Tensor, positive: Tensor, negative?: Tensor], TripletOptions>): Tensor {
  const [anchor, positive, negative, { margin, distance: dist, squared, normalize, mining, reduction }] = entry.check(args);
  const kind: DistanceKind = dist === 'cosine' ? 'cosine' : squared ? 'squared-euclidean' : 'euclidean';
  const prep = (x: Tensor) => (normalize ? l2Normalize(x) : x);
  if (positive.dtype !== 'int32') {
    if (!negative) throw new ArgumentError('tripletLoss', 'explicit triplets need a negative [N, D]');
    const a = prep(anchor);
    return applyReduction(distance(a, prep(positive), kind).sub(distance(a, prep(negative), kind)).add(margin).relu(), { reduction });
  }
  if (negative) throw new ArgumentError('tripletLoss', 'with labels (in-batch mining) there is no negative argument');
  const x = prep(anchor);
  const d = distanceMatrix(x, x, kind);
  if (mining === 'batch-hard') {
    const { ap, an, valid } = batchHard(d, positive);
    const v = valid.where(ap.sub(an).add(margin).relu(), 0);
    return applyReduction(v, { reduction, meanOver: valid.cast(v.dtype).sum().clamp(1) });
  }
  if (mining === 'semi-hard') {
    const { ap, an, valid } = semiHard(d, positive);
    const v = valid.where(ap.sub(an).add(margin).relu(), 0);
    return applyReduction(v.sum(1), { reduction, meanOver: valid.cast(v.dtype).sum().clamp(1) });
  }
  const valid = allTriplets(positive);
  const v = valid.where(d.unsqueeze(2).sub(d.unsqueeze(1)).add(margin).relu(), 0);
  return applyReduction(v.sum([1, 2]), { reduction, meanOver: valid.cast(v.dtype).sum().clamp(1) });
}

export const entry = defineLoss({
  id: 'triplet',
  fn: tripletLoss,
  args: [
    { name: 'anchor', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'positive', shape: ['N'], dtype: 'int', domain: 'real', or: { shape: ['N', 'D'], dtype: 'float', domain: 'real' } },
    { name: 'negative', shape: ['N', 'D'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "With mined triplets 'mean' divides by the number of valid triplets (all), valid anchors (batch-hard) or positive pairs (semi-hard), while 'none' gives per-anchor sums; explicit triplets are a plain mean.",
});
