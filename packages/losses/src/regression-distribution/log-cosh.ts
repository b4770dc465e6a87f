import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = { reduction: opt.reduction() };
export type LogCoshOptions = OptionsOf<typeof options>;

/**
 * Log-cosh loss: ℓ = log cosh(ŷ − y), quadratic near 0 and |d| − log 2 far away.
 *
 * Stable form: log cosh d = |d| + softplus(−2|d|) − log 2 (cosh overflows past |d| ≈ 710 in float64, 89 in float32);
 * its gradient is tanh(d).
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y [N, ...]
 * @returns the mean over elements; 'sum'; or the elementwise losses [N, ...] with reduction 'none'
 * @see Jadon, Patil & Jadon, "A Comprehensive Survey of Regression Based Loss Functions for Time Series Forecasting", 2022, arXiv:2211.02989
 */
export function logCoshLoss(...args: Call<[input: Tensor, target: Tensor], LogCoshOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  const a = input.sub(target).abs();
  return applyReduction(a.add(a.mul(-2).softplus()).sub(Math.LN2), { reduction });
}

export const entry = defineLoss({
  id: 'log-cosh',
  fn: logCoshLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'elementwise',
});
