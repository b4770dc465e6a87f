import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { featureDistance } from '../parts/regression-feature-distance.js';
import { applyReduction } from '../reduce.js';

const options = {
  norm: opt.oneOf(['l1', 'l2'], 'l1', 'The distance between feature maps: mean |Δ| (the catalog\'s default) or mean Δ².'),
  layerWeight: opt.number(1, 'w_l: this layer\'s weight in the caller\'s sum over layers (the catalog leaves them open).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type HighFrequencyPerceptualLossOptions = OptionsOf<typeof options>;

/**
 * High-frequency perceptual loss (HF-Diff): the distance between feature maps of a pretrained invertible network
 * that preserves high-frequency detail, ℓ_l = w_l·mean |φ_l(SR) − φ_l(GT)| (or squared). The invertible network is
 * the caller's: run it on both images, call this per layer and add the results.
 * Reading: layers, weights and norm are not given; one layer per call, L1 by default.
 *
 * @param input features φ_l of the super-resolved image [N, C, ...]
 * @param target features φ_l of the ground truth [N, C, ...]
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see "HF-Diff: High-Frequency Perceptual Loss and Distribution Matching for One-Step Diffusion-Based Image Super-Resolution" (the catalog's paper)
 */
export function highFrequencyPerceptualLoss(...args: Call<[input: Tensor, target: Tensor], HighFrequencyPerceptualLossOptions>): Tensor {
  const [fx, fy, { norm, layerWeight, reduction }] = entry.check(args);
  return applyReduction(featureDistance(fx, fy, norm).mul(layerWeight), { reduction });
}

export const entry = defineLoss({
  id: 'high-frequency-perceptual-loss',
  fn: highFrequencyPerceptualLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'One layer of the invertible network per call, ℓ = w_l·mean |φ(SR) − φ(GT)| (L1 by default); the caller sums the layers.',
});
