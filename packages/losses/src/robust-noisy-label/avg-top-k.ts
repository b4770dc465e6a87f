import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  k: opt.integer(1, 'k: how many of the largest losses are averaged (1: the maximum loss; n: the mean).', '[1, inf)'),
};
export type AvgTopKOptions = OptionsOf<typeof options>;

/**
 * Average top-k loss: the mean of the k largest per-sample losses.
 *
 * L = (1/k)·Σ_{i=1..k} l_[i], l_[1] ≥ l_[2] ≥ … sorted descending. k = 1 is the maximum loss, k = n the
 * empirical risk; it equals CVaR at α = k/n. The gradient reaches only the k selected losses.
 *
 * @param losses per-sample losses [n] (n ≥ k)
 * @returns a scalar
 * @see Fan et al., "Learning with Average Top-k Loss", NeurIPS 2017; Mehta et al., "Distributionally Robust
 *   Optimization with Bias and Variance Reduction", ICLR 2024
 */
export function avgTopKLoss(...args: Call<[losses: Tensor], AvgTopKOptions>): Tensor {
  const [losses, { k }] = entry.check(args);
  if (k > losses.shape[0]) throw new ArgumentError('avgTopKLoss', `option 'k': expected at most the number of losses (${losses.shape[0]}), got ${k}`);
  return losses.topk(k, 0).values.mean();
}

export const entry = defineLoss({
  id: 'avg-top-k',
  fn: avgTopKLoss,
  args: [{ name: 'losses', shape: ['N'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
});
