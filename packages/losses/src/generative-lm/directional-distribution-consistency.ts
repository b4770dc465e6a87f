import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.tensor(['N'], "A time weighting per sample [N]; null: 1. The authors' code uses α_t = 20^{t/1000} for the diffusion step t the sample was denoised from."),
  reduction: opt.reduction(),
};
export type DirectionalDistributionConsistencyOptions = OptionsOf<typeof options>;

/**
 * Directional distribution consistency (DDC): generated images' features must sit at their source images' features
 * moved by the one cross-domain direction, so the generated distribution keeps the source distribution's shape.
 *
 * d = mean_j φ(target_j) − mean_j φ(source_j) (the CLIP-feature direction between the few target images and the
 * source domain, fixed); ℓᵢ = wᵢ·mean_D (φ(x̂ᵢ) − (φ(xᵢ) + d))², x̂ᵢ the adapted model's output denoised from the
 * noised source image xᵢ. The image encoder φ (CLIP ViT-B/32 in the paper) and the diffusion passes are the caller's.
 *
 * @param input features of the generated images φ(x̂) [N, D]
 * @param source features of the source images they were generated from φ(x) [N, D] (held constant)
 * @param direction the cross-domain direction d [D] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Hu et al., "Phasic Content Fusing Diffusion Model with Directional Distribution Consistency for Few-Shot
 *   Model Adaption", ICCV 2023, arXiv:2309.03729
 */
export function directionalDistributionConsistency(...args: Call<[input: Tensor, source: Tensor, direction: Tensor], DirectionalDistributionConsistencyOptions>): Tensor {
  const [input, source, direction, { weight, reduction }] = entry.check(args);
  const values = input.sub(source.detach().add(direction.detach())).square().mean(-1);
  return applyReduction(weight ? values.mul(weight) : values, { reduction });
}

export const entry = defineLoss({
  id: 'directional-distribution-consistency',
  fn: directionalDistributionConsistency,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'source', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'direction', shape: ['D'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: "From the authors' released training script (sjtuplayer/few-shot-diffusion, train-whole.py): the MSE between the generated image's CLIP feature and the source image's feature shifted by the mean target-minus-source feature direction, mean over feature dims, time-weighted per sample; the weight schedule is left to the caller (the code's 20^{t/1000}).",
});
