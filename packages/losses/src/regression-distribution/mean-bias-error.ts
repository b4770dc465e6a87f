import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = { reduction: opt.reduction() };
export type MeanBiasErrorOptions = OptionsOf<typeof options>;

/**
 * Mean bias error (a metric): MBE = mean(y − ŷ). Signed: a bias diagnostic (positive when the model under-predicts),
 * not a quantity to minimise; it is linear, so its gradient is −1/n per prediction.
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y [N, ...]
 * @returns the mean over elements; 'sum'; or the elementwise errors y − ŷ [N, ...] with reduction 'none'
 * @see Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989
 */
export function meanBiasError(...args: Call<[input: Tensor, target: Tensor], MeanBiasErrorOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  return applyReduction(target.sub(input), { reduction });
}

export const entry = defineLoss({
  id: 'mean-bias-error',
  fn: meanBiasError,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'elementwise',
});
