import type { Tensor } from '@graft/core';
import { checkArgs, type ArgSpec } from '../args.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction, type Reduction } from '../reduce.js';

const options = {
  dim: opt.integer(-1, 'The normalised axis.'),
};
export type TaylorSoftmaxOptions = OptionsOf<typeof options>;

export interface TaylorSoftmaxLossOptions {
  reduction?: Reduction;
}

/** t = 1 + o + o²/2, the second-order Taylor expansion of exp: always ≥ ½, so no shift is needed. */
const taylorExp = (o: Tensor) => o.square().mul(0.5).add(o).add(1);

/**
 * Taylor softmax: exp replaced by its second-order Taylor expansion, a member of the spherical family.
 *
 * tₖ = 1 + oₖ + oₖ²/2 (≥ ½ everywhere), pₖ = tₖ / Σⱼ tⱼ. Quadratic growth, so outputs of ±1e4 stay finite.
 *
 * @param o outputs [..., n]
 * @param opts dim (default −1)
 * @returns probabilities shaped like o
 * @see de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging to the Spherical
 *   Family, ICLR 2016
 */
export function taylorSoftmax(...args: Call<[o: Tensor], TaylorSoftmaxOptions>): Tensor {
  const [o, { dim }] = entry.check(args);
  const t = taylorExp(o);
  return t.div(t.sum(dim, true));
}

// The NLL shares the catalog entry of its normaliser (no registry entry of its own), so it validates its arguments here.
const lossArgs: readonly ArgSpec[] = [
  { name: 'o', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
  { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
];

/**
 * The negative log-likelihood of the Taylor softmax: ℓᵢ = log Σⱼ tᵢⱼ − log tᵢ_{yᵢ}, from logs of the sums.
 *
 * @param o outputs [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see de Brébisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging to the Spherical
 *   Family, ICLR 2016
 */
export function taylorSoftmaxLoss(o: Tensor, target: Tensor, opts: TaylorSoftmaxLossOptions = {}): Tensor {
  checkArgs('taylorSoftmaxLoss', lossArgs, [o, target]);
  const { reduction = 'mean' } = opts;
  const t = taylorExp(o);
  const values = t.sum(1).log().sub(t.gather(1, target.unsqueeze(1)).squeeze(1).log());
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'taylor-softmax',
  fn: taylorSoftmax,
  args: [{ name: 'o', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
