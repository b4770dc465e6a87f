import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type MseLossOptions = OptionsOf<typeof options>;

/**
 * Mean squared error, PyTorch's `F.mse_loss`.
 *
 * ℓ = (x − y)² elementwise (the target broadcasts against the input, as in PyTorch).
 *
 * @param input predictions [N, ...]
 * @param target targets [N, ...] (broadcastable to input)
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see PyTorch 1.13, torch.nn.MSELoss
 */
export function mseLoss(...args: Call<[input: Tensor, target: Tensor], MseLossOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  return applyReduction(input.sub(target).square(), { reduction });
}

export const entry = defineLoss({
  id: 'mse-loss',
  aliases: ['mse'],
  fn: mseLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'MSE loss (mean squared error)', category: 'pytorch', papers: [] },
});
