import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { relativeError } from '../parts/regression-errors.js';
const options = {
  eps: opt.number(1e-8, 'Added to the denominator (zero for a constant target).', '[0, inf)'),
};
export type RelativeSquaredErrorOptions = OptionsOf<typeof options>;

/**
 * Relative squared error: RSE = Σ(y − ŷ)² / (Σ(y − ȳ)² + eps) (1 − R² up to eps).
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y [N, ...]
 * @returns a scalar over every element (an aggregate: no per-sample values, so no reduction option)
 * @see Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989
 */
export function relativeSquaredError(...args: Call<[input: Tensor, target: Tensor], RelativeSquaredErrorOptions>): Tensor {
  const [input, target, { eps }] = entry.check(args);
  return relativeError(input, target, (d) => d.square(), eps);
}

export const entry = defineLoss({
  id: 'relative-squared-error',
  fn: relativeSquaredError,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
