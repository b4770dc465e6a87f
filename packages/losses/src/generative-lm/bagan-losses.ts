import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type BaganLossesOptions = OptionsOf<typeof options>;

/** −log softmax(z)[y] per row [N]. */
const ce = (logits: Tensor, y: Tensor): Tensor => logits.logSoftmax(-1).gather(-1, y.unsqueeze(-1)).squeeze(-1).neg();

/**
 * BAGAN's adversarial losses: a (K+1)-class discriminator (index K = fake) and a class-conditional generator.
 *
 * Discriminator (real given): ℓᵢ = CE(D(xᵢ), yᵢ) + CE(D(G(z_c,i)), K); generator (real left out): ℓᵢ =
 * CE(D(G(z_c,i)), cᵢ), the generator asking D to see its sample as class c. The autoencoder pretraining
 * (mean ‖dec(enc(x)) − x‖², then G from the decoder and D from the encoder) is a plain MSE; the class-conditional
 * latents z_c = μ_c + chol(Σ_c)·n, μ_c and Σ_c fitted on enc(x) per class, are the caller's. Adam lr 5e-5, β₁ 0.5.
 *
 * @param input discriminator logits on generated samples D(G(z_c)) [N, K + 1]
 * @param target the classes c the samples were generated for [N] (int32, in [0, K))
 * @param realLogits optional discriminator logits on real samples D(x) [N, K + 1]: present, the discriminator's loss
 * @param realTarget the real samples' classes y [N] (int32), with realLogits
 * @returns a scalar, or [N] with reduction 'none'
 * @see Mariani et al., "BAGAN: Data Augmentation with Balancing GAN", 2018, arXiv:1803.09655
 */
export function baganLosses(...args: Call<[input: Tensor, target: Tensor, realLogits?: Tensor, realTarget?: Tensor], BaganLossesOptions>): Tensor {
  const [input, target, realLogits, realTarget, { reduction }] = entry.check(args);
  if (!realLogits) return applyReduction(ce(input, target), { reduction });
  if (!realTarget) throw new ArgumentError('baganLosses', 'realTarget (the real samples\' classes) is required with realLogits');
  const fake = target.mul(0).add(input.shape[1] - 1);
  return applyReduction(ce(realLogits, realTarget).add(ce(input, fake)), { reduction });
}

export const entry = defineLoss({
  id: 'bagan-losses',
  fn: baganLosses,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'realLogits', shape: ['N', 'C'], dtype: 'float', domain: 'logits', optional: true },
    { name: 'realTarget', shape: ['N'], dtype: 'int', domain: 'label', optional: true },
  ],
  options,
  output: 'per-sample',
});
