import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  eps: opt.number(1e-12, 'Added inside the square root, keeping the gradient finite at a perfect fit.', '[0, inf)'),
};
export type RmseOptions = OptionsOf<typeof options>;

/**
 * Root mean squared error: RMSE = √(mean (y − ŷ)² + eps).
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y [N, ...]
 * @returns a scalar over every element (an aggregate: no per-sample values, so no reduction option)
 * @see Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989
 */
export function rmseLoss(...args: Call<[input: Tensor, target: Tensor], RmseOptions>): Tensor {
  const [input, target, { eps }] = entry.check(args);
  return input.sub(target).square().mean().add(eps).sqrt();
}

export const entry = defineLoss({
  id: 'rmse',
  fn: rmseLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
