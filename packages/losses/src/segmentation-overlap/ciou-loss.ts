import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { boxLoss } from '../parts/overlap-boxes.js';

const options = {
  eps: opt.number(1e-7, 'ε: added to the union and the enclosing terms (torchvision\'s default).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type CiouOptions = OptionsOf<typeof options>;

/**
 * Complete IoU (CIoU) loss: DIoU plus an aspect-ratio consistency term.
 *
 * ℓ = 1 − IoU + ρ²/c² + α·v, v = 4/π²·(atan(w_gt/h_gt) − atan(w/h))², α = v/((1 − IoU) + v + ε) held
 * constant (no gradient, as the paper and torchvision's complete_box_iou_loss). atan(w/h) takes its limit π/2
 * for a flat box.
 *
 * @param input predicted boxes [N, 4] as (x1, y1, x2, y2)
 * @param target target boxes [N, 4] as (x1, y1, x2, y2)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zheng et al., "Distance-IoU Loss", AAAI 2020; Terven et al., "Loss Functions and Metrics in Deep Learning", 2023
 */
export function ciouLoss(...args: Call<[input: Tensor, target: Tensor], CiouOptions>): Tensor {
  const [input, target, { eps, reduction }] = entry.check(args);
  return applyReduction(boxLoss(input, target, 'ciou', eps), { reduction });
}

export const entry = defineLoss({
  id: 'ciou-loss',
  fn: ciouLoss,
  args: [
    { name: 'input', shape: ['N', 4], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 4], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  surrogateGradient: 'α = v/(1 − IoU + v + ε) is held constant (detached), as the paper prescribes; the fixtures check the gradient.',
});
