import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { bernoulliNll } from '../parts/gen-vae.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type CategoricalVaeElboGumbelOptions = OptionsOf<typeof options>;

/**
 * Negative ELBO of a VAE with categorical latents relaxed by Gumbel-Softmax (binarised data).
 *
 * ℓᵢ = Σ_D BCE-with-logits(dec(yᵢ), xᵢ) + Σ_l KL(q_l ‖ U(K)), q_l = softmax(a_l), KL(q, U) = Σ_k q_k(log q_k + log K)
 * with log q from log_softmax (so q_k = 0 contributes 0, logits of ±1e4 stay finite). The relaxed sample
 * y = gumbel_softmax(a, τ) (softmax-variant group, `gumbelSoftmax`), with τ annealed as max(0.5, e^{−r·step}),
 * r ≈ 1e-5 to 1e-4, is the caller's; it reaches this loss through the decoder logits.
 *
 * @param input decoder logits for x [N, D]
 * @param target binary data x [N, D]
 * @param encoderLogits the encoder's logits a [N, L, K] for L categorical latents of K classes
 * @returns a scalar, or [N] with reduction 'none'
 * @see Jang, Gu & Poole, "Categorical Reparameterization with Gumbel-Softmax", ICLR 2017, arXiv:1611.01144
 */
export function categoricalVaeElboGumbel(...args: Call<[input: Tensor, target: Tensor, encoderLogits: Tensor], CategoricalVaeElboGumbelOptions>): Tensor {
  const [input, target, encoderLogits, { reduction }] = entry.check(args);
  const logq = encoderLogits.logSoftmax(-1);
  const k = encoderLogits.shape[2];
  const kl = logq.exp().mul(logq.add(Math.log(k))).sum([1, 2]);
  return applyReduction(bernoulliNll(input, target).add(kl), { reduction });
}

export const entry = defineLoss({
  id: 'categorical-vae-elbo-gumbel',
  fn: categoricalVaeElboGumbel,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'D'], dtype: 'float', domain: 'binary' },
    { name: 'encoderLogits', shape: ['N', 'L', 'K'], dtype: 'float', domain: 'logits' },
  ],
  options,
  output: 'per-sample',
});
