import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { boxLoss } from '../parts/overlap-boxes.js';

const options = {
  eps: opt.number(1e-7, 'ε: added to the union and the enclosing terms (torchvision\'s default).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type GiouOptions = OptionsOf<typeof options>;

/**
 * Generalized IoU (GIoU) loss: IoU loss plus the empty share of the smallest enclosing box.
 *
 * ℓ = 1 − IoU + (C − U)/(C + ε), C the area of the smallest box enclosing both, U the union (torchvision's
 * generalized_box_iou_loss). Non-overlapping boxes still get a gradient through the enclosing term.
 *
 * @param input predicted boxes [N, 4] as (x1, y1, x2, y2)
 * @param target target boxes [N, 4] as (x1, y1, x2, y2)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Rezatofighi et al., "Generalized Intersection over Union", CVPR 2019; Terven et al., "Loss Functions and Metrics in Deep Learning", 2023
 */
export function giouLoss(...args: Call<[input: Tensor, target: Tensor], GiouOptions>): Tensor {
  const [input, target, { eps, reduction }] = entry.check(args);
  return applyReduction(boxLoss(input, target, 'giou', eps), { reduction });
}

export const entry = defineLoss({
  id: 'giou-loss',
  fn: giouLoss,
  args: [
    { name: 'input', shape: ['N', 4], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 4], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
