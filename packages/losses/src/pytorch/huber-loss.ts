import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { huber } from '../parts/huber.js';
import { applyReduction } from '../reduce.js';

const options = {
  delta: opt.number(1, 'δ: where the quadratic part turns linear (must be positive).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type HuberLossOptions = OptionsOf<typeof options>;

/**
 * Huber loss, PyTorch's `F.huber_loss`.
 *
 * ℓ = ½d² if |d| < δ, else δ(|d| − ½δ), with d = x − y; computed as ½q² + δ(|d| − q),
 * q = min(|d|, δ), so the kink at |d| = δ has the one-sided gradient δ·sign(d) from both sides.
 *
 * @param input predictions [N, ...]
 * @param target targets [N, ...] (broadcastable to input)
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see Huber, "Robust Estimation of a Location Parameter", Annals of Mathematical Statistics 1964
 */
export function huberLoss(...args: Call<[input: Tensor, target: Tensor], HuberLossOptions>): Tensor {
  const [input, target, { delta, reduction }] = entry.check(args);
  if (!(delta > 0)) throw new ArgumentError('huberLoss', `delta must be positive, got ${delta}`);
  return applyReduction(huber(input.sub(target), delta), { reduction });
}

export const entry = defineLoss({
  id: 'huber-loss',
  aliases: ['huber'],
  fn: huberLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'Huber loss', category: 'pytorch', papers: [] },
});
