import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { boxLoss } from '../parts/overlap-boxes.js';

const options = {
  eps: opt.number(1e-7, 'ε: added to the union and the enclosing terms (torchvision\'s default).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type BoxIouOptions = OptionsOf<typeof options>;

/**
 * Box IoU loss: one minus the intersection over union of axis-aligned boxes.
 *
 * inter = (min(x₂, x₂′) − max(x₁, x₁′))₊·(min(y₂, y₂′) − max(y₁, y₁′))₊, union = area + area′ − inter,
 * ℓ = 1 − inter/(union + ε). Corners may come in either order; ε keeps two empty
 * boxes finite (ℓ = 1).
 *
 * @param input predicted boxes [N, 4] as (x1, y1, x2, y2)
 * @param target target boxes [N, 4] as (x1, y1, x2, y2)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Terven et al., "Loss Functions and Metrics in Deep Learning", 2023; Yu et al., "UnitBox", ACM MM 2016
 */
export function boxIouLoss(...args: Call<[input: Tensor, target: Tensor], BoxIouOptions>): Tensor {
  const [input, target, { eps, reduction }] = entry.check(args);
  return applyReduction(boxLoss(input, target, 'iou', eps), { reduction });
}

export const entry = defineLoss({
  id: 'box-iou-loss',
  fn: boxIouLoss,
  args: [
    { name: 'input', shape: ['N', 4], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 4], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
