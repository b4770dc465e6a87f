import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { distance, l2Normalize } from '../parts/distances.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(1, "λ: the weight of the symmetry term; the paper's abstract gives none: 1, the term at unit weight (scale it against the margin loss).", '[0, inf)'),
  distance: opt.oneOf(['squared-euclidean', 'cosine'], 'squared-euclidean', 'The distance between the two normalised half-face embeddings (cosine: 1 − cos).'),
  reduction: opt.reduction(),
};
export type SymfaceSymmetryOptions = OptionsOf<typeof options>;

/**
 * SymFace's facial-symmetry loss: the embeddings of a face's left half and of its mirrored right half should agree.
 *
 * ℓᵢ = λ·‖l2_normalize(e_L,i) − l2_normalize(e_R,i)‖² (= 2λ(1 − cos)), or λ·(1 − cos(e_L,i, e_R,i)). The caller
 * splits each image vertically, mirrors the right half (flip), runs the shared network on both halves and passes
 * the two embedding batches; the total objective adds the margin loss (ArcFace) on the full images.
 *
 * @param left embeddings f(x_L) [N, D]
 * @param right embeddings f(flip(x_R)) [N, D]
 * @returns the mean over samples; 'sum'; or the per-sample values [N] with reduction 'none'
 * @see "SymFace: Additional Facial Symmetry Loss for Deep Face Recognition", WACV 2025, arXiv:2409.11816
 */
export function symfaceSymmetryLoss(...args: Call<[left: Tensor, right: Tensor], SymfaceSymmetryOptions>): Tensor {
  const [left, right, { lambda, distance: kind, reduction }] = entry.check(args);
  return applyReduction(distance(l2Normalize(left), l2Normalize(right), kind).mul(lambda), { reduction });
}

export const entry = defineLoss({
  id: 'symface-symmetry',
  fn: symfaceSymmetryLoss,
  args: [
    { name: 'left', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'right', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'The symmetry term alone, on the two half-face embedding batches (the right half already mirrored by the caller): squared L2 between the L2-normalised embeddings by default (1 − cos as an option), weight λ = 1.',
});
