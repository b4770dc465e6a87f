import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { channelUnitNormalise, featureDistance } from '../parts/regression-feature-distance.js';
import { applyReduction } from '../reduce.js';

const options = {
  lpips: opt.boolean(false, 'LPIPS form: unit-normalise each position\'s channel vector first (eps 1e-10), then Σ_c w_c·(Δ)² averaged over positions.'),
  channelWeight: opt.tensor(['C'], 'LPIPS\'s learned per-channel weights w_l [C] (non-negative); null: all ones (the plain feature MSE averages over channels instead).'),
  layerWeight: opt.number(1, 'w_l: this layer\'s weight in the caller\'s sum over layers.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type PerceptualLossOptions = OptionsOf<typeof options>;

/**
 * Perceptual (feature-reconstruction) loss of one layer of a frozen feature network.
 *
 * ℓ_l = w_l·mean (φ_l(x̂) − φ_l(x))² over channels and positions; LPIPS form: w_l·mean_positions Σ_c w_c·(n(φ_l(x̂))
 * − n(φ_l(x)))², n the channel-unit normalisation. The network is the caller's: run it (VGG, the LPIPS backbone) on
 * both images, call this once per layer and add the results (L = Σ_l ℓ_l). The catalog leaves layers and weights open.
 *
 * @param input features φ_l(x̂) of the prediction [N, C, ...]
 * @param target features φ_l(x) of the reference [N, C, ...]
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see Johnson, Alahi & Fei-Fei, "Perceptual Losses for Real-Time Style Transfer and Super-Resolution", ECCV 2016; Zhang et al., "The Unreasonable Effectiveness of Deep Features as a Perceptual Metric" (LPIPS), CVPR 2018
 */
export function perceptualLoss(...args: Call<[input: Tensor, target: Tensor], PerceptualLossOptions>): Tensor {
  const [fx, fy, { lpips, channelWeight, layerWeight, reduction }] = entry.check(args);
  const [a, b] = lpips ? [channelUnitNormalise(fx), channelUnitNormalise(fy)] : [fx, fy];
  const w = lpips ? (channelWeight ?? fx.newZeros([fx.shape[1]]).add(1)) : channelWeight;
  return applyReduction(featureDistance(a, b, 'l2', w).mul(layerWeight), { reduction });
}

export const entry = defineLoss({
  id: 'perceptual-loss',
  fn: perceptualLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
