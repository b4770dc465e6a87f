import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lam: opt.number(0.001, 'λ: the penalty weight (1e-2 to 1e-4; low sensitivity reported).', '[0, inf)'),
  eps: opt.number(1e-8, 'ε inside the norm, √(Σw² + ε): keeps the gradient finite at a zero filter.', '[0, inf)'),
  reduction: opt.reduction('sum'),
};
export type NormLossOptions = OptionsOf<typeof options>;

/**
 * Norm loss: a soft oblique-manifold constraint pulling every filter (output row) of a weight tensor
 * toward unit L2 norm.
 *
 * R = λ·Σ_i (1 − ‖w_i‖)², ‖w_i‖ = √(Σ w_i² + ε) over the filter's flattened entries. Summed over filters by
 * default (reduction 'sum'); add one call per layer to the task loss.
 *
 * @param weight a layer's weights [O, ...] (O filters/rows, the rest flattened)
 * @returns a scalar, or the per-filter penalties [O] with reduction 'none'
 * @see Georgiou et al., "Norm Loss: An efficient yet effective regularization method for deep neural networks",
 *   ICPR 2020 (arXiv:2103.06583)
 */
export function normLoss(...args: Call<[weight: Tensor], NormLossOptions>): Tensor {
  const [weight, { lam, eps, reduction }] = entry.check(args);
  const rows = weight.reshape([weight.shape[0], -1]);
  const norm = rows.square().sum(1).add(eps).sqrt();
  return applyReduction(norm.neg().add(1).square().mul(lam), { reduction });
}

export const entry = defineLoss({
  id: 'norm-loss',
  fn: normLoss,
  args: [{ name: 'weight', shape: ['O', '...'], dtype: 'float', domain: 'real' }],
  options,
  output: 'per-sample',
});
