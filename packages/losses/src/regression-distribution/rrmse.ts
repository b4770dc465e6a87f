import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  form: opt.oneOf(['survey', 'mean'], 'survey', "'survey': √(mean (y − ŷ)² / Σ ŷ²) as the survey writes it; 'mean': RMSE / mean(y), the common alternative."),
};
export type RrmseOptions = OptionsOf<typeof options>;

/**
 * Relative RMSE: √(mean (y − ŷ)² / Σ ŷ²) (the survey's form), or RMSE / mean(y) with form 'mean'.
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y [N, ...]
 * @returns a scalar over every element (an aggregate: no per-sample values, so no reduction option)
 * @see Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989
 */
export function rrmseLoss(...args: Call<[input: Tensor, target: Tensor], RrmseOptions>): Tensor {
  const [input, target, { form }] = entry.check(args);
  const mse = input.sub(target).square().mean();
  return form === 'survey' ? mse.div(input.square().sum()).sqrt() : mse.sqrt().div(target.mean());
}

export const entry = defineLoss({
  id: 'rrmse',
  fn: rrmseLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
