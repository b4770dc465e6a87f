import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  q: opt.number(0.5, 'q: the quantile level (0.5 gives ½·MAE; 0.1 and 0.9 bound prediction intervals).', '[0, 1]'),
  reduction: opt.reduction(),
};
export type QuantilePinballOptions = OptionsOf<typeof options>;

/**
 * Quantile (pinball) loss: ℓ = max(q·d, (q − 1)·d), d = y − ŷ; minimised by the q-quantile of y.
 *
 * @param input predictions ŷ [N, ...]
 * @param target targets y [N, ...]
 * @returns the mean over elements; 'sum'; or the elementwise losses [N, ...] with reduction 'none'
 * @see Koenker & Bassett, "Regression Quantiles", Econometrica 1978; Jadon et al., arXiv:2211.02989
 */
export function quantilePinballLoss(...args: Call<[input: Tensor, target: Tensor], QuantilePinballOptions>): Tensor {
  const [input, target, { q, reduction }] = entry.check(args);
  const d = target.sub(input);
  return applyReduction(d.mul(q).maximum(d.mul(q - 1)), { reduction });
}

export const entry = defineLoss({
  id: 'quantile-pinball',
  fn: quantilePinballLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'elementwise',
});
