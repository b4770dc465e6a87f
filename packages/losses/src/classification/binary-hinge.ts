import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { signTargets } from '../parts/sign-targets.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(1, 'The margin: samples with t·f ≥ margin cost nothing.', '(-inf, inf)'),
  reduction: opt.reduction(),
};
export type BinaryHingeOptions = OptionsOf<typeof options>;

/**
 * Binary hinge loss (the L1-SVM output layer): ℓ = max(0, margin − t·f) per element.
 *
 * With class indices against scores [N, C] the targets are one-vs-rest signs t_ik = 2·1[k = yᵢ] − 1, so
 * 'none' gives the [N, C] per-class hinges (their sum over k is the one-vs-rest SVM loss of sample i).
 *
 * @param input scores f [N, ...]
 * @param target signs in {−1, +1} shaped like input, or class indices [N] (int32) for scores [N, C]
 * @returns a scalar (mean or sum over all elements), or the elementwise hinges with reduction 'none'
 * @see Terven et al., "Loss Functions and Metrics in Deep Learning", 2023 (survey)
 */
export function binaryHingeLoss(...args: Call<[input: Tensor, target: Tensor], BinaryHingeOptions>): Tensor {
  const [input, target, { margin, reduction }] = entry.check(args);
  const t = signTargets('binaryHingeLoss', input, target);
  return applyReduction(t.mul(input).neg().add(margin).relu(), { reduction });
}

export const entry = defineLoss({
  id: 'binary-hinge',
  fn: binaryHingeLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'sign', or: { shape: ['N'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'elementwise',
});
