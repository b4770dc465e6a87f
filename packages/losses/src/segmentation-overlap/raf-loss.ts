import { maxPool2d, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  l1: opt.number(1, 'λ₁: the weight of the region term (soft Dice).', '[0, inf)'),
  l2: opt.number(1, 'λ₂: the weight of the boundary term (BCE on the ground-truth boundary band).', '[0, inf)'),
  l3: opt.number(1, 'λ₃: the weight of the imbalance term (sigmoid focal loss).', '[0, inf)'),
  alpha: opt.number(0.25, 'α: the focal term\'s weight of the foreground class (Lin et al.\'s default; the paper gives none).', '[0, 1]'),
  gamma: opt.number(2, 'γ: the focal term\'s focusing exponent (Lin et al.\'s default).', '[0, inf)'),
  smooth: opt.number(1, 's: added to the Dice numerator and denominator (an empty mask and an empty prediction give 0).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type RafLossOptions = OptionsOf<typeof options>;

/**
 * Referring-aware fusion (RAF) loss: region + boundary + imbalance terms on a binary referring mask.
 *
 * Per mask, with p = σ(z) and b = softplus(z) − g·z (BCE with logits): L_region = 1 − (2Σpg + s)/(Σp + Σg + s);
 * L_boundary = Σ B·b / max(ΣB, 1) over the band B = dilate₃ₓ₃(g) − erode₃ₓ₃(g) (the pixels on either side of the
 * mask's edge, by max-pooling the target, no gradient); L_imb = mean α_t·(1 − p_t)^γ·b with the modulating factor
 * computed in log space, (1 − p_t)^γ = exp(−γ·softplus((2g − 1)·z)), finite at logits of ±1e4.
 * ℓ = λ₁·L_region + λ₂·L_boundary + λ₃·L_imb.
 *
 * @param input mask logits [N, H, W]
 * @param target binary ground-truth masks [N, H, W]
 * @returns the mean over masks; [N] with reduction 'none'
 * @see "Deformable Attentive Visual Enhancement for Referring Segmentation Using Vision-Language Model" (the catalog's paper)
 */
export function rafLoss(...args: Call<[input: Tensor, target: Tensor], RafLossOptions>): Tensor {
  const [z, target, { l1, l2, l3, alpha, gamma, smooth, reduction }] = entry.check(args);
  const g = target.cast(z.dtype);
  const p = z.sigmoid();
  const px = (t: Tensor) => t.sum([1, 2]);
  const region = px(p.mul(g)).mul(2).add(smooth).div(px(p).add(px(g)).add(smooth)).neg().add(1);
  const bce = z.softplus().sub(g.mul(z));
  const pool = (t: Tensor) => maxPool2d(t.unsqueeze(1), { kernelSize: 3, stride: 1, padding: 1 }).squeeze(1);
  const band = pool(g).add(pool(g.neg())).detach();
  const boundary = px(band.mul(bce)).div(px(band).clamp(1));
  const modulating = z.mul(g.mul(2).sub(1)).softplus().mul(-gamma).exp();
  const alphaT = g.mul(2 * alpha - 1).add(1 - alpha);
  const imbalance = alphaT.mul(modulating).mul(bce).mean([1, 2]);
  return applyReduction(region.mul(l1).add(boundary.mul(l2)).add(imbalance.mul(l3)), { reduction });
}

export const entry = defineLoss({
  id: 'raf-loss',
  fn: rafLoss,
  args: [
    { name: 'input', shape: ['N', 'H', 'W'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'H', 'W'], dtype: 'float', domain: 'binary' },
  ],
  options,
  output: 'per-sample',
  reading: 'The abstract names only the three goals and no code was found: region = soft Dice, boundary = BCE averaged over the ground truth\'s morphological boundary band (3×3 dilation minus erosion), imbalance = sigmoid focal loss (α 0.25, γ 2), summed with weights λ₁..λ₃ = 1.',
});
