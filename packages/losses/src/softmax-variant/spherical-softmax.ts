import type { Tensor } from '@graft/core';
import { checkArgs, type ArgSpec } from '../args.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction, type Reduction } from '../reduce.js';

const options = {
  eps: opt.number(1e-6, 'ε added to every square, so that all-zero outputs still normalise (not from the paper).', '[0, inf)'),
  dim: opt.integer(-1, 'The normalised axis.'),
};
export type SphericalSoftmaxOptions = OptionsOf<typeof options>;

export interface SphericalSoftmaxLossOptions {
  eps?: number;
  reduction?: Reduction;
}

/**
 * Spherical softmax: squares instead of exponentials, a member of the spherical family.
 *
 * pₖ = (oₖ² + ε) / Σⱼ (oⱼ² + ε). It depends on o only through oₖ and Σⱼ oⱼ², and grows quadratically, so outputs of
 * ±1e4 stay finite.
 *
 * @param o outputs [..., n]
 * @param opts eps (default 1e-6), dim (default −1)
 * @returns probabilities shaped like o
 * @see de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging to the Spherical
 *   Family, ICLR 2016
 */
export function sphericalSoftmax(...args: Call<[o: Tensor], SphericalSoftmaxOptions>): Tensor {
  const [o, { eps, dim }] = entry.check(args);
  const t = o.square().add(eps);
  return t.div(t.sum(dim, true));
}

// The NLL shares the catalog entry of its normaliser (no registry entry of its own), so it validates its arguments here.
const lossArgs: readonly ArgSpec[] = [
  { name: 'o', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
  { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
];

/**
 * The negative log-likelihood of the spherical softmax: ℓᵢ = log Σⱼ (oᵢⱼ² + ε) − log(oᵢ_{yᵢ}² + ε), computed from logs of
 * the sums (never from the probability).
 *
 * @param o outputs [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging to the Spherical
 *   Family, ICLR 2016
 */
export function sphericalSoftmaxLoss(o: Tensor, target: Tensor, opts: SphericalSoftmaxLossOptions = {}): Tensor {
  checkArgs('sphericalSoftmaxLoss', lossArgs, [o, target]);
  const { eps = 1e-6, reduction = 'mean' } = opts;
  const t = o.square().add(eps);
  const values = t.sum(1).log().sub(t.gather(1, target.unsqueeze(1)).squeeze(1).log());
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'spherical-softmax',
  fn: sphericalSoftmax,
  args: [{ name: 'o', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
