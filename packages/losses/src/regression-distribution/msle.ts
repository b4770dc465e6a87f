import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { logError } from '../parts/regression-errors.js';
import { applyReduction } from '../reduce.js';

const options = { reduction: opt.reduction() };
export type MsleOptions = OptionsOf<typeof options>;

/**
 * Mean squared logarithmic error: ℓ = (log1p(y) − log1p(max(ŷ, 0)))² per element. Targets are non-negative;
 * predictions below 0 are clamped to 0 (Keras's choice; the catalog asks for ŷ > −1 by a clamp), so their
 * gradient is 0 there.
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y ≥ 0 [N, ...]
 * @returns the mean over elements; 'sum'; or the elementwise losses [N, ...] with reduction 'none'
 * @see Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989
 */
export function msleLoss(...args: Call<[input: Tensor, target: Tensor], MsleOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  return applyReduction(logError(input, target).square(), { reduction });
}

export const entry = defineLoss({
  id: 'msle',
  fn: msleLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'nonneg' },
  ],
  options,
  output: 'elementwise',
});
