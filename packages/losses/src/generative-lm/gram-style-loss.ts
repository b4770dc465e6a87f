import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type GramStyleLossOptions = OptionsOf<typeof options>;

/** Per-sample Gram matrices F Fᵀ/(C·HW) [N, C, C] of features [N, C, ...]. */
const gram = (f: Tensor): Tensor => {
  const [n, c] = f.shape;
  const flat = f.reshape([n, c, -1]);
  return flat.matmul(flat.transpose(1, 2)).div(c * flat.shape[2]);
};

/**
 * Gram-matrix style (texture) loss on one layer's features.
 *
 * G(F) = F Fᵀ/(C·H·W) per sample, F the layer's features reshaped to [C, H·W]; ℓᵢ = mean_{c,c'}(G(φ(x̂ᵢ)) −
 * G(φ(xᵢ)))². The frozen feature network φ (e.g. VGG relu layers) is the caller's; several layers are a weighted
 * sum of calls, Σ_l w_l·gramStyleLoss(φ_l(x̂), φ_l(x)) (w_l = 1 by default).
 *
 * @param input features of the generated image φ_l(x̂) [N, C, ...]
 * @param target features of the style image φ_l(x) [N, C, ...]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Gatys, Ecker & Bethge, "Image Style Transfer Using Convolutional Neural Networks", CVPR 2016;
 *   Johnson, Alahi & Fei-Fei, "Perceptual Losses for Real-Time Style Transfer and Super-Resolution", ECCV 2016
 */
export function gramStyleLoss(...args: Call<[input: Tensor, target: Tensor], GramStyleLossOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  return applyReduction(gram(input).sub(gram(target)).square().mean([1, 2]), { reduction });
}

export const entry = defineLoss({
  id: 'gram-style-loss',
  fn: gramStyleLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'C', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
