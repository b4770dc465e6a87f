import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineSimilarity, safeSqrt, squaredEuclidean } from '../parts/distances.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(1, 'm: the margin negatives are pushed beyond (Euclidean 1 or 2; cosine ~0.5).', '[0, inf)'),
  form: opt.oneOf(['euclidean', 'cosine'], 'euclidean', "'euclidean': y·d² + (1 − y)·relu(m − d)²; 'cosine': y·(1 − s) + (1 − y)·relu(s − m)."),
  half: opt.boolean(false, 'Multiply by ½ (Hadsell et al.).'),
  reduction: opt.reduction(),
};
export type ContrastivePairOptions = OptionsOf<typeof options>;

/**
 * Contrastive (pairwise margin) loss of Hadsell, Chopra & LeCun.
 *
 * Euclidean: ℓ = y·d² + (1 − y)·relu(m − d)², d = ‖a − b‖₂ (d² from the differences; √ with gradient 0 at d = 0);
 * cosine: ℓ = y·(1 − s) + (1 − y)·relu(s − m), s = cos(a, b). y = 1 for a same-class pair. For all pairs of a
 * labelled batch, pass the pairs i < j (parts/miners allPairs gives the masks).
 *
 * @param a embeddings [N, D]
 * @param b embeddings [N, D]
 * @param same 1 for a same-class pair, 0 otherwise [N] (float)
 * @returns the mean over pairs; 'sum'; or the per-pair losses [N] with reduction 'none'
 * @see Hadsell, Chopra & LeCun, "Dimensionality Reduction by Learning an Invariant Mapping", CVPR 2006
 */
export function contrastivePairLoss(...args: Call<[a: Tensor, b: Tensor, same: Tensor], ContrastivePairOptions>): Tensor {
  const [a, b, same, { margin, form, half, reduction }] = entry.check(args);
  const y = same.cast(a.dtype);
  let v: Tensor;
  if (form === 'euclidean') {
    const d2 = squaredEuclidean(a, b);
    v = y.mul(d2).add(y.neg().add(1).mul(safeSqrt(d2).neg().add(margin).relu().square()));
  } else {
    const s = cosineSimilarity(a, b);
    v = y.mul(s.neg().add(1)).add(y.neg().add(1).mul(s.sub(margin).relu()));
  }
  return applyReduction(half ? v.mul(0.5) : v, { reduction });
}

export const entry = defineLoss({
  id: 'contrastive-pair',
  fn: contrastivePairLoss,
  args: [
    { name: 'a', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'b', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'same', shape: ['N'], dtype: 'float', domain: 'binary' },
  ],
  options,
  output: 'per-sample',
});
