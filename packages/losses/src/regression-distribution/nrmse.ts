import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { safeSqrt } from '../parts/distances.js';

const options = {
  normaliser: opt.oneOf(['range', 'mean', 'std'], 'range', 'What RMSE is divided by: max(y) − min(y) (the survey), mean(y), or the population std of y.'),
  eps: opt.number(1e-12, 'RMSE and the normaliser each get eps (under the root; added): finite for a perfect fit and a constant target (catalog: none; 1e-12 as rmse).', '[0, inf)'),
};
export type NrmseOptions = OptionsOf<typeof options>;

/**
 * Normalised RMSE: NRMSE = RMSE / (max(y) − min(y) + eps), or with mean(y) or std(y) in place of the range.
 * The std is the population one, its square root taken with a zero gradient at a constant target (safeSqrt).
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y [N, ...]
 * @returns a scalar over every element (an aggregate: no per-sample values, so no reduction option)
 * @see Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989
 */
export function nrmseLoss(...args: Call<[input: Tensor, target: Tensor], NrmseOptions>): Tensor {
  const [input, target, { normaliser, eps }] = entry.check(args);
  const y = target;
  const scale = normaliser === 'range' ? y.amax().sub(y.amin()) : normaliser === 'mean' ? y.mean() : safeSqrt(y.var(undefined, { correction: 0 }));
  return input.sub(target).square().mean().add(eps).sqrt().div(scale.add(eps));
}

export const entry = defineLoss({
  id: 'nrmse',
  fn: nrmseLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
