import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { maskedLogSoftmax } from '../parts/masked-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type MaskedSoftmaxCrossEntropyOptions = OptionsOf<typeof options>;

/**
 * Masked-softmax cross-entropy: cross-entropy over the classes a sample may see, so masked classes keep their logits.
 *
 * ℓᵢ = lse_{c : Mᵢc = 1}(zᵢc) − zᵢ_{yᵢ}: the masked logits are set to −∞ before a max-shifted log-softmax, so they get
 * no probability and no gradient (their confidence is preserved across tasks). The target class is always kept, as the
 * loss requires Mᵢ_{yᵢ} = 1: a mask that leaves it out is read as including it, so the loss stays finite. The policy of
 * the paper: new-task samples see the current task's classes, replayed samples all classes seen so far.
 *
 * @param z logits [N, C]
 * @param target class indices [N] (int32)
 * @param mask allowed classes [N, C] (bool)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Kim et al., Revisiting Softmax Masking for Stability in Continual Learning, 2023
 */
export function maskedSoftmaxCrossEntropy(...args: Call<[z: Tensor, target: Tensor, mask: Tensor], MaskedSoftmaxCrossEntropyOptions>): Tensor {
  const [z, target, mask, { reduction }] = entry.check(args);
  const keep = mask.logicalOr(target.oneHot(z.shape[1]).bool());
  const values = maskedLogSoftmax(z, keep, 1).gather(1, target.unsqueeze(1)).squeeze(1).neg();
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'masked-softmax-cross-entropy',
  fn: maskedSoftmaxCrossEntropy,
  args: [
    { name: 'z', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'mask', shape: ['N', 'C'], dtype: 'bool', domain: 'mask' },
  ],
  options,
  output: 'per-sample',
});
