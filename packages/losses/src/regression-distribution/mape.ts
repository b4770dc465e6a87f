import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  eps: opt.number(1e-8, 'Added to y in the denominator (MAPE is undefined at y = 0).', '[0, inf)'),
  percent: opt.boolean(true, 'Multiply by 100 (a percentage); false gives the fraction.'),
  reduction: opt.reduction(),
};
export type MapeOptions = OptionsOf<typeof options>;

/**
 * Mean absolute percentage error: ℓ = 100·|(y − ŷ)/(y + eps)| per element (without the 100 if percent is false).
 * Ill-conditioned for y near 0 (its value grows like 1/|y|): the caller keeps targets away from 0.
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y [N, ...] (nonzero; not checked, as the catalog leaves it to eps)
 * @returns the mean over elements; 'sum'; or the elementwise values [N, ...] with reduction 'none'
 * @see Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989
 */
export function mapeLoss(...args: Call<[input: Tensor, target: Tensor], MapeOptions>): Tensor {
  const [input, target, { eps, percent, reduction }] = entry.check(args);
  return applyReduction(target.sub(input).div(target.add(eps)).abs().mul(percent ? 100 : 1), { reduction });
}

export const entry = defineLoss({
  id: 'mape',
  fn: mapeLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'elementwise',
});
