import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { huber } from '../parts/huber.js';
import { applyReduction } from '../reduce.js';

const options = {
  beta: opt.number(1, 'β: where the quadratic part turns linear (β = 0 gives the L1 loss).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SmoothL1LossOptions = OptionsOf<typeof options>;

/**
 * Smooth L1 loss, PyTorch's `F.smooth_l1_loss`.
 *
 * ℓ = ½d²/β if |d| < β, else |d| − ½β, with d = x − y: the Huber function with δ = β divided by
 * β (so the linear part has slope 1); β = 0 is |d|.
 *
 * @param input predictions [N, ...]
 * @param target targets [N, ...] (broadcastable to input)
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see Girshick, "Fast R-CNN", ICCV 2015
 */
export function smoothL1Loss(...args: Call<[input: Tensor, target: Tensor], SmoothL1LossOptions>): Tensor {
  const [input, target, { beta, reduction }] = entry.check(args);
  if (!(beta >= 0)) throw new ArgumentError('smoothL1Loss', `beta must be non-negative, got ${beta}`);
  const d = input.sub(target);
  return applyReduction(beta === 0 ? d.abs() : huber(d, beta).div(beta), { reduction });
}

export const entry = defineLoss({
  id: 'smooth-l1-loss',
  aliases: ['smooth-l1'],
  fn: smoothL1Loss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'Smooth L1 loss', category: 'pytorch', papers: [] },
});
