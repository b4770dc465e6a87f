import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type L1LossOptions = OptionsOf<typeof options>;

/**
 * Mean absolute error, PyTorch's `F.l1_loss`.
 *
 * ℓ = |x − y| elementwise (the target broadcasts against the input, as in PyTorch); the gradient
 * at x = y is 0, the subgradient sign(0) that PyTorch uses.
 *
 * @param input predictions [N, ...]
 * @param target targets [N, ...] (broadcastable to input)
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see PyTorch 1.13, torch.nn.L1Loss
 */
export function l1Loss(...args: Call<[input: Tensor, target: Tensor], L1LossOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  return applyReduction(input.sub(target).abs(), { reduction });
}

export const entry = defineLoss({
  id: 'l1-loss',
  aliases: ['l1-mae'],
  fn: l1Loss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'L1 loss (mean absolute error)', category: 'pytorch', papers: [] },
});
