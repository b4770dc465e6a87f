import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { boxLoss } from '../parts/overlap-boxes.js';

const options = {
  eps: opt.number(1e-7, 'ε: added to the union and the enclosing terms (torchvision\'s default).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type DiouOptions = OptionsOf<typeof options>;

/**
 * Distance IoU (DIoU) loss: IoU loss plus the normalised distance of the box centres.
 *
 * ℓ = 1 − IoU + ρ²(b, b_gt)/c², ρ the distance of the centres, c² + ε the squared diagonal of the smallest
 * enclosing box (torchvision's distance_box_iou_loss).
 *
 * @param input predicted boxes [N, 4] as (x1, y1, x2, y2)
 * @param target target boxes [N, 4] as (x1, y1, x2, y2)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zheng et al., "Distance-IoU Loss", AAAI 2020; Terven et al., "Loss Functions and Metrics in Deep Learning", 2023
 */
export function diouLoss(...args: Call<[input: Tensor, target: Tensor], DiouOptions>): Tensor {
  const [input, target, { eps, reduction }] = entry.check(args);
  return applyReduction(boxLoss(input, target, 'diou', eps), { reduction });
}

export const entry = defineLoss({
  id: 'diou-loss',
  fn: diouLoss,
  args: [
    { name: 'input', shape: ['N', 4], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 4], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
