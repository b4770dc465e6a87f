import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type ClassIndependentBceOptions = OptionsOf<typeof options>;

/**
 * Class-independent BCE for multi-dataset segmentation (UniSeg): per-class sigmoid BCE over the union label space,
 * each sample's loss restricted to its dataset's classes.
 *
 * ℓ_{n,c,i} = softplus(z) − t·z (BCE with logits, stable at ±1e4) where class c is in sample n's label space
 * (mask[n, c] = 1), 0 elsewhere; 'mean' divides the sum by the number of valid (pixel, class) entries.
 * Classes do not compete (no softmax), so a class missing from one dataset's annotation is not pushed down there.
 *
 * @param input logits [N, C, ...spatial] over the union of the datasets' classes
 * @param target binary targets [N, C, ...spatial] in the union label space
 * @param labelSpace [N, C] 0/1: whether class c is annotated in sample n's dataset
 * @returns a scalar, or the masked elementwise values [N, C, ...spatial] with reduction 'none'
 * @see Kim et al., "Learning Semantic Segmentation from Multiple Datasets with Label Shifts", ECCV 2022
 */
export function classIndependentBceMultidataset(...args: Call<[input: Tensor, target: Tensor, labelSpace: Tensor], ClassIndependentBceOptions>): Tensor {
  const [input, target, labelSpace, { reduction }] = entry.check(args);
  const bce = input.softplus().sub(target.cast(input.dtype).mul(input));
  const mask = labelSpace.cast(input.dtype).reshape([...labelSpace.shape, ...Array.from({ length: input.ndim - 2 }, () => 1)]).expand(input.shape);
  return applyReduction(bce, { reduction, weight: mask });
}

export const entry = defineLoss({
  id: 'class-independent-bce-multidataset',
  fn: classIndependentBceMultidataset,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'binary' },
    { name: 'labelSpace', shape: ['N', 'C'], dtype: 'float', domain: 'mask' },
  ],
  options,
  output: 'elementwise',
  meanIsNotMeanOfNone: "'mean' averages over the valid (pixel, class) entries only (Σ mask), not over every entry of 'none'.",
  reading: 'Masked entries (classes outside the sample\'s dataset) are dropped; the abstract leaves co-occurring/conflicting label handling open, so nothing else is masked.',
});
