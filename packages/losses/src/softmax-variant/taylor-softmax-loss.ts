import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { sphericalFamilyNll } from '../parts/spherical-family.js';
import { taylorExp } from '../parts/taylor-exp.js';

const options = {
  reduction: opt.reduction(),
};
export type TaylorSoftmaxLossOptions = OptionsOf<typeof options>;

/**
 * The negative log-likelihood of the Taylor softmax (the normaliser's entry 'taylor-softmax'):
 * ℓᵢ = log Σⱼ tᵢⱼ − log tᵢ_{yᵢ} with t = 1 + o + o²/2 (≥ ½), from logs of the sums.
 *
 * @param o outputs [N, C]
 * @param target class indices [N] (int32)
 * @param opts reduction (default 'mean')
 * @returns a scalar, or [N] with reduction 'none'
 * @see de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging to the Spherical
 *   Family, ICLR 2016
 */
export function taylorSoftmaxLoss(...args: Call<[o: Tensor, target: Tensor], TaylorSoftmaxLossOptions>): Tensor {
  const [o, target, { reduction }] = entry.check(args);
  return applyReduction(sphericalFamilyNll(taylorExp(o), target), { reduction });
}

export const entry = defineLoss({
  id: 'taylor-softmax-loss',
  fn: taylorSoftmaxLoss,
  args: [
    { name: 'o', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  aliases: ['taylor-softmax-nll'],
  output: 'per-sample',
  meta: {
    name: 'Taylor softmax NLL loss',
    category: 'softmax-variant',
    kind: 'loss',
    level: 'A',
    papers: ['The Z-loss: a shift and scale invariant classification loss belonging to the Spherical Family'],
  },
});
