import { avgPool2d, ShapeError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { binaryCrossEntropy } from '../pytorch/binary-cross-entropy.js';

const options = {
  lambda: opt.number(1, 'λ: the weight of the pruning BCE beside the reconstruction (not given in the abstract; 1).', '[0, inf)'),
  rec: opt.oneOf(['l1', 'charbonnier'], 'l1', "The reconstruction loss: 'l1' mean |x − y|, 'charbonnier' mean sqrt((x − y)² + ε²)."),
  eps: opt.number(1e-3, 'ε of the Charbonnier loss.', '(0, inf)'),
};
export type AdawptPruningLossOptions = OptionsOf<typeof options>;

/**
 * Per-window pruning targets from a blur mask: 1 where a window holds any blurred pixel (kept), 0 where it is sharp
 * (pruned). mask [N, 1, H, W] (or [N, H, W]) in [0, 1], windows of size×size in row-major order → [N, (H/size)(W/size)].
 */
export function windowTargets(mask: Tensor, size: number): Tensor {
  const m = mask.ndim === 3 ? mask.unsqueeze(1) : mask;
  return avgPool2d(m, { kernelSize: size, stride: size }).gt(0).cast(m.dtype).flatten(1);
}

/**
 * AdaWPT's training loss for local motion deblurring: reconstruction plus a window-pruning BCE that teaches the
 * per-window keep confidences to keep blurred windows and prune sharp ones.
 *
 * L = L_rec(x̂, y) + λ·BCE(c, M_w), L_rec = mean |x̂ − y| or mean sqrt((x̂ − y)² + ε²); BCE as PyTorch's (its log
 * clamped at −100, so confidences of exactly 0 or 1 stay finite); M_w from windowTargets(blurMask, window).
 *
 * @param input the restored image x̂ [N, ...]
 * @param target the sharp image y [N, ...]
 * @param keep per-window keep confidences c [N, W] in [0, 1] (Gumbel-softmax samples in the paper)
 * @param windowMask per-window targets M_w [N, W] in {0, 1}
 * @returns a scalar
 * @see Li et al., "Adaptive Window Pruning for Efficient Local Motion Deblurring", ICLR 2024
 */
export function adawptPruningLoss(...args: Call<[input: Tensor, target: Tensor, keep: Tensor, windowMask: Tensor], AdawptPruningLossOptions>): Tensor {
  const [restored, sharp, keep, windowMask, { lambda, rec, eps }] = entry.check(args);
  if (restored.shape.join() !== sharp.shape.join()) {
    throw new ShapeError('adawptPruningLoss', `target shape [${sharp.shape.join(', ')}] must equal input shape [${restored.shape.join(', ')}]`);
  }
  const diff = restored.sub(sharp);
  const recon = rec === 'l1' ? diff.abs().mean() : diff.square().add(eps * eps).sqrt().mean();
  return recon.add(binaryCrossEntropy(keep, windowMask).mul(lambda));
}

export const entry = defineLoss({
  id: 'adawpt-pruning-loss',
  fn: adawptPruningLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'keep', shape: ['N', 'W'], dtype: 'float', domain: 'prob' },
    { name: 'windowMask', shape: ['N', 'W'], dtype: 'float', domain: 'binary' },
  ],
  options,
  output: 'batch',
  reading: 'L = L1 (or Charbonnier) reconstruction + λ·BCE(keep confidences, blur-window targets), windows with any blurred pixel as positives; λ = 1.',
});
