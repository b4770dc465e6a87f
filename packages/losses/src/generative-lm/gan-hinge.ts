import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { ganValues } from '../parts/gen-gan.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type GanHingeOptions = OptionsOf<typeof options>;

/**
 * Hinge GAN loss (Lim & Ye; Miyato et al.'s SN-GAN / BigGAN form).
 *
 * Discriminator step (dReal given): ℓᵢ = relu(1 − D(xᵢ)) + relu(1 + D(G(zᵢ))). Generator step (dReal left out): ℓᵢ = −D(G(zᵢ)).
 * Each value pairs D(xᵢ) with D(G(zᵢ)), so 'mean' is mean over real plus mean over generated, as in the paper.
 * The caller detaches the generated samples for the discriminator step (the loss only sees D's outputs).
 *
 * @param input discriminator outputs on generated samples D(G(z)) [N]
 * @param dReal optional discriminator outputs on real samples D(x) [N]: present, the discriminator's loss
 * @returns a scalar, or [N] with reduction 'none'
 * @see Lim & Ye, "Geometric GAN", arXiv:1705.02894 (2017); Miyato et al., "Spectral Normalization for Generative Adversarial Networks", ICLR 2018
 */
export function ganHingeLoss(...args: Call<[input: Tensor, dReal?: Tensor], GanHingeOptions>): Tensor {
  const [input, dReal, { reduction }] = entry.check(args);
  return applyReduction(ganValues('hinge', input, dReal ?? null), { reduction });
}

export const entry = defineLoss({
  id: 'gan-hinge',
  fn: ganHingeLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'dReal', shape: ['N'], dtype: 'float', domain: 'logits', optional: true },
  ],
  options,
  output: 'per-sample',
});
