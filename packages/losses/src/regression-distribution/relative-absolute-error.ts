import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { relativeError } from '../parts/regression-errors.js';
const options = {
  eps: opt.number(1e-8, 'Added to the denominator (zero for a constant target).', '[0, inf)'),
};
export type RelativeAbsoluteErrorOptions = OptionsOf<typeof options>;

/**
 * Relative absolute error: RAE = Σ|y − ŷ| / (Σ|y − ȳ| + eps), the error relative to predicting the mean.
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y [N, ...]
 * @returns a scalar over every element (an aggregate: no per-sample values, so no reduction option)
 * @see Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989
 */
export function relativeAbsoluteError(...args: Call<[input: Tensor, target: Tensor], RelativeAbsoluteErrorOptions>): Tensor {
  const [input, target, { eps }] = entry.check(args);
  return relativeError(input, target, (d) => d.abs(), eps);
}

export const entry = defineLoss({
  id: 'relative-absolute-error',
  fn: relativeAbsoluteError,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
