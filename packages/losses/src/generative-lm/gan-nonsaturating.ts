import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { ganValues } from '../parts/gen-gan.js';
import { applyReduction } from '../reduce.js';

const options = {
  generator: opt.oneOf(['nonsaturating', 'minimax'] as const, 'nonsaturating', "The generator's loss: 'nonsaturating' softplus(−D(G(z))) = −log σ(D(G(z))) (the paper's practical choice), or the original 'minimax' −softplus(D(G(z))) = log(1 − σ(D(G(z))))."),
  reduction: opt.reduction(),
};
export type GanNonsaturatingOptions = OptionsOf<typeof options>;

/**
 * The original GAN loss on discriminator logits, with the non-saturating generator loss.
 *
 * Discriminator step (dReal given): ℓᵢ = softplus(−D(xᵢ)) + softplus(D(G(zᵢ))), binary cross-entropy with logits
 * (real = 1, fake = 0) in its stable softplus form. Generator step (dReal left out): ℓᵢ = softplus(−D(G(zᵢ)))
 * (non-saturating) or −softplus(D(G(zᵢ))) (minimax). Each value pairs D(xᵢ) with D(G(zᵢ)), so 'mean' is mean over
 * real plus mean over generated. The caller detaches generated samples for the discriminator step. DMD2 adds this
 * loss on features of its fake-score network with weight ~1e-2 to 3e-3 (scale the result).
 *
 * @param input discriminator logits on generated samples D(G(z)) [N]
 * @param dReal optional discriminator logits on real samples D(x) [N]: present, the discriminator's loss
 * @returns a scalar, or [N] with reduction 'none'
 * @see Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, arXiv:1406.2661
 */
export function ganNonsaturatingLoss(...args: Call<[input: Tensor, dReal?: Tensor], GanNonsaturatingOptions>): Tensor {
  const [input, dReal, { generator, reduction }] = entry.check(args);
  return applyReduction(ganValues(generator, input, dReal ?? null), { reduction });
}

export const entry = defineLoss({
  id: 'gan-nonsaturating',
  fn: ganNonsaturatingLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'dReal', shape: ['N'], dtype: 'float', domain: 'logits', optional: true },
  ],
  options,
  output: 'per-sample',
});
