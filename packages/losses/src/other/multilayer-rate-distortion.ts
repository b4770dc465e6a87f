import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(0.01, 'λ_l: this layer\'s distortion weight (not in the abstract; 0.01 is mid-range of CompressAI\'s MSE λs, 0.0018–0.0932 on 255-scaled images).', '[0, inf)'),
  likelihoodBound: opt.number(1e-9, 'Lower bound of the likelihoods before the log (CompressAI\'s likelihood lower bound), so a zero likelihood costs a finite rate.', '(0, 1)'),
  reduction: opt.reduction(),
};
export type MultilayerRateDistortionOptions = OptionsOf<typeof options>;

/**
 * One layer's term of COMPASS's combined multi-layer rate-distortion loss; the loss is the sum of this entry
 * over the scalability layers, each at its own scale and λ_l.
 *
 * R_l = −Σ log₂ p(ŷ_l) / (H·W) (bits per pixel of this layer's target), D_l = MSE(x_l, x̂_l); ℓ = R_l + λ_l·D_l
 * per image, L = Σ_l mean_n ℓ. Stable form: log₂ max(p, bound). Reading: the likelihoods come from the
 * entropy model of layer l (all its latents: y and hyper-latent z concatenated, flattened per image), and
 * the pixel count is that of layer l's target x_l.
 *
 * @param likelihoods the entropy model's likelihoods of layer l's latents [N, ...] (in [0, 1])
 * @param input the reconstruction x̂_l [N, Ch, H, W]
 * @param target the layer's target image x_l at its scale [N, Ch, H, W]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Park et al., "COMPASS: High-Efficiency Deep Image Compression with Arbitrary-scale Spatial
 *   Scalability", ICCV 2023; Ballé et al., "Variational image compression with a scale hyperprior", ICLR 2018
 */
export function multilayerRateDistortion(...args: Call<[likelihoods: Tensor, input: Tensor, target: Tensor], MultilayerRateDistortionOptions>): Tensor {
  const [likelihoods, input, target, { lambda, likelihoodBound, reduction }] = entry.check(args);
  const n = input.shape[0];
  const pixels = input.shape[2] * input.shape[3];
  const rate = likelihoods.clamp(likelihoodBound).log().reshape([n, -1]).sum(-1).div(-Math.LN2 * pixels);
  const distortion = input.sub(target).square().reshape([n, -1]).mean(-1);
  return applyReduction(rate.add(distortion.mul(lambda)), { reduction });
}

export const entry = defineLoss({
  id: 'multilayer-rate-distortion',
  fn: multilayerRateDistortion,
  args: [
    { name: 'likelihoods', shape: ['N', '...'], dtype: 'float', domain: 'prob' },
    { name: 'input', shape: ['N', 'K', 'H', 'W'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'K', 'H', 'W'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'Per layer l: bits per pixel of its latents (log₂ of the clamped likelihoods over H·W of its target) plus λ_l·MSE; the loss sums this entry over the layers.',
});
