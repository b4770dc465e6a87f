import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { logError } from '../parts/regression-errors.js';
const options = {
  eps: opt.number(1e-12, 'Added inside the square root, keeping the gradient finite at a perfect fit.', '[0, inf)'),
};
export type RmsleOptions = OptionsOf<typeof options>;

/**
 * Root mean squared logarithmic error: RMSLE = √(MSLE + eps), MSLE = mean (log1p(y) − log1p(max(ŷ, 0)))²
 * (predictions below 0 clamped to 0, as msle).
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y [N, ...]
 * @returns a scalar over every element (an aggregate: no per-sample values, so no reduction option)
 * @see Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989
 */
export function rmsleLoss(...args: Call<[input: Tensor, target: Tensor], RmsleOptions>): Tensor {
  const [input, target, { eps }] = entry.check(args);
  return logError(input, target).square().mean().add(eps).sqrt();
}

export const entry = defineLoss({
  id: 'rmsle',
  fn: rmsleLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'nonneg' },
  ],
  options,
  output: 'batch',
});
