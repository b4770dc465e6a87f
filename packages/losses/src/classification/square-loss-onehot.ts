import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { targetMask } from '../parts/target-log-probs.js';
import { applyReduction } from '../reduce.js';

const options = {
  k: opt.number(1, 'k: weight of the target coordinate\'s squared error (Hui & Belkin rescale it for many classes).', '(0, inf)'),
  M: opt.number(1, 'M: the value the target coordinate is pulled to.', '(0, inf)'),
  scale: opt.number(null, 'The factor in front of the sum over classes (default 1/C: plain MSE to one-hot when k = M = 1; ½ gives the neural-collapse ½‖z − Y‖²).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type SquareLossOptions = OptionsOf<typeof options>;

/**
 * (Rescaled) square loss to one-hot targets, on the raw outputs (no softmax).
 *
 * ℓᵢ = s·[k(z_iy − M)² + Σ_{j≠y} z_ij²], s = 1/C by default: with k = M = 1 the mean over the batch is the
 * MSE to one-hot over all N·C entries; with s = ½ it is the unconstrained-features form ½‖zᵢ − Yᵢ‖² of the
 * neural-collapse analyses.
 *
 * @param input outputs z [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Hui, Belkin & Wright, "Cut your Losses with Squentropy", ICML 2023; Dang et al., "Neural Collapse in
 *   Deep Linear Networks: From Balanced to Imbalanced Data", ICML 2023; de Brébisson & Vincent, "The Z-loss: a
 *   shift and scale invariant classification loss belonging to the Spherical Family", 2016
 */
export function squareLoss(...args: Call<[input: Tensor, target: Tensor], SquareLossOptions>): Tensor {
  const [input, target, { k, M, scale, reduction }] = entry.check(args);
  const c = input.shape[1];
  const onehot = targetMask(target, c).cast(input.dtype);
  const err = input.sub(onehot.mul(M)).square().mul(onehot.mul(k - 1).add(1));
  return applyReduction(err.sum(-1).mul(scale ?? 1 / c), { reduction });
}

export const entry = defineLoss({
  id: 'square-loss-onehot',
  fn: squareLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
