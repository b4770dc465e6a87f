import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  ignoreIndex: opt.integer(-100, 'Pixels whose label equals this index (unlabelled) contribute nothing and are not counted.'),
  reduction: opt.reduction(),
};
export type UnisegClassRelationshipLossOptions = OptionsOf<typeof options>;

/**
 * UniSeg's class-relationship ("BCE + null") loss for multi-dataset segmentation: class-independent BCE over the
 * unified label space in which the classes related to a pixel's label are neither positives nor negatives.
 *
 * For a pixel labelled y, t_c = [c = y]; the classes with R[y, c] = 1 (c ≠ y: co-occurring, parent/child or otherwise
 * related across the datasets' taxonomies) are "null" and dropped; ℓ_pixel = Σ_{c not null} softplus(z_c) − t_c·z_c
 * (BCE with logits, stable at ±1e4). 'mean' divides the sum by the number of labelled pixels.
 * Follows numpee/UniSeg libs/nn/customize.py (SegmentationBCENullSecondStage: targets 1/0/−1, −1 = null).
 *
 * @param input logits [N, C, ...spatial] over the unified classes
 * @param target unified class indices [N, ...spatial] (ignoreIndex for unlabelled pixels)
 * @param related class relationships R [C, C] (1 = column class is related to the row label's class; the diagonal is ignored)
 * @returns a scalar; the per-pixel values [N, ...spatial] with reduction 'none'
 * @see Kim et al., "Learning Semantic Segmentation from Multiple Datasets with Label Shifts", ECCV 2022
 */
export function unisegClassRelationshipLoss(...args: Call<[input: Tensor, target: Tensor, related: Tensor], UnisegClassRelationshipLossOptions>): Tensor {
  const [input, target, related, { ignoreIndex, reduction }] = entry.check(args);
  const c = input.shape[1];
  const valid = target.ne(ignoreIndex);
  const labels = valid.where(target, 0);
  const z = input.movedim(1, -1); // [N, ...spatial, C]
  const t = labels.oneHot(c).cast(input.dtype);
  const nullClass = related.cast(input.dtype).indexSelect(0, labels.reshape([labels.size])).reshape(z.shape).mul(t.neg().add(1));
  const bce = z.softplus().sub(t.mul(z)).mul(nullClass.neg().add(1)).sum(-1);
  return applyReduction(bce, { reduction, weight: valid.cast(input.dtype) });
}

export const entry = defineLoss({
  id: 'uniseg-class-relationship-loss',
  fn: unisegClassRelationshipLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'int', domain: 'label' },
    { name: 'related', shape: ['C', 'C'], dtype: 'float', domain: 'binary', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: "The authors' second-stage BCE-null loss: per-class sigmoid BCE in the unified space with each label's related classes set to null (ignored), summed over classes and averaged over labelled pixels; the relation matrix R (from the taxonomies or label co-occurrence, as the caller builds it) is an argument.",
});
