import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { sphericalFamilyNll } from '../parts/spherical-family.js';

const options = {
  eps: opt.number(1e-6, 'ε added to every square, as in the normaliser (not from the paper).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SphericalSoftmaxLossOptions = OptionsOf<typeof options>;

/**
 * The negative log-likelihood of the spherical softmax (the normaliser's entry 'spherical-softmax'):
 * ℓᵢ = log Σⱼ (oᵢⱼ² + ε) − log(oᵢ_{yᵢ}² + ε), computed from logs of the sums (never from the probability).
 *
 * @param o outputs [N, C]
 * @param target class indices [N] (int32)
 * @param opts eps (default 1e-6), reduction (default 'mean')
 * @returns a scalar, or [N] with reduction 'none'
 * @see de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging to the Spherical
 *   Family, ICLR 2016
 */
export function sphericalSoftmaxLoss(...args: Call<[o: Tensor, target: Tensor], SphericalSoftmaxLossOptions>): Tensor {
  const [o, target, { eps, reduction }] = entry.check(args);
  return applyReduction(sphericalFamilyNll(o.square().add(eps), target), { reduction });
}

export const entry = defineLoss({
  id: 'spherical-softmax-loss',
  fn: sphericalSoftmaxLoss,
  args: [
    { name: 'o', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  aliases: ['spherical-softmax-nll'],
  output: 'per-sample',
  meta: {
    name: 'Spherical softmax NLL loss',
    category: 'softmax-variant',
    kind: 'loss',
    level: 'A',
    papers: ['The Z-loss: a shift and scale invariant classification loss belonging to the Spherical Family'],
  },
});
