import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { ssimLossPerImage } from '../parts/overlap-ssim.js';

const options = {
  weights: opt.numbers([1, 1, 1], 'Weights of the BCE, SSIM and IoU terms.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type BasnetHybridOptions = OptionsOf<typeof options>;

/**
 * BASNet hybrid loss: pixel-level BCE + patch-level SSIM + map-level IoU, summed over the side outputs.
 *
 * Per side output k and image: BCE(P_k, G) (mean over pixels) + (1 − SSIM(P_k, G)) (11×11 Gaussian, σ 1.5, as
 * ssim-loss) + (1 − Σ P_k·G / Σ(P_k + G − P_k·G)) (sums over the image, as the code's per-image IoU). BCE's logs are
 * clamped at −100 (torch.nn.BCELoss), so it is finite at P ∈ {0, 1}. The IoU term's union is clamped at 1e-12 (an
 * empty prediction of an empty mask).
 *
 * @param input side-output probability maps [K, N, 1, H, W] (K outputs)
 * @param target binary ground truth [N, 1, H, W]
 * @returns a scalar, or [N] (summed over the side outputs) with reduction 'none'
 * @see Qin et al., "Boundary-Aware Segmentation Network for Mobile and Web Applications", 2021 (BASNet, CVPR 2019)
 */
/** log x clamped at −100 (torch's BCELoss), with a zero (not NaN) gradient where x = 0. */
export function clampedLog(x: Tensor): Tensor {
  const pos = x.gt(0);
  return pos.where(pos.where(x, 1).log(), -100).clamp(-100);
}

export function basnetHybridLoss(...args: Call<[input: Tensor, target: Tensor], BasnetHybridOptions>): Tensor {
  const [input, target, { weights, reduction }] = entry.check(args);
  const [k, n, c, h, w] = input.shape;
  const p = input.reshape([k * n, c, h, w]);
  const g = target.cast(input.dtype).unsqueeze(0).expand([k, n, c, h, w]).reshape([k * n, c, h, w]);
  const bce = g.mul(clampedLog(p)).add(g.neg().add(1).mul(clampedLog(p.neg().add(1)))).neg().mean([1, 2, 3]);
  const ssim = ssimLossPerImage(p, g, { window: 11, sigma: 1.5, C1: 0.0001, C2: 0.0009 });
  const inter = p.mul(g).sum([1, 2, 3]);
  const iou = inter.div(p.add(g).sub(p.mul(g)).sum([1, 2, 3]).clamp(1e-12)).neg().add(1);
  const [a, b, cw] = [weights[0] ?? 1, weights[1] ?? 1, weights[2] ?? 1];
  return applyReduction(bce.mul(a).add(ssim.mul(b)).add(iou.mul(cw)).reshape([k, n]).sum(0), { reduction });
}

export const entry = defineLoss({
  id: 'basnet-hybrid-loss',
  fn: basnetHybridLoss,
  args: [
    { name: 'input', shape: ['K', 'N', 'C', 'H', 'W'], dtype: 'float', domain: 'prob' },
    { name: 'target', shape: ['N', 'C', 'H', 'W'], dtype: 'float', domain: 'binary' },
  ],
  options,
  output: 'per-sample',
  batchDim: 1,
});
