import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(0.1, 'λ: weight of the keep-ratio term (null in the catalog; 0.1, our choice, tune it).', '[0, inf)'),
  targetKeepRatio: opt.number(null, 'r: when set, the keep term is |mean_t k − r| (a target budget); null: λ·mean_t k (keep as few as possible).', '[0, 1]'),
  reduction: opt.reduction(),
};
export type TokenUtilityAeOptions = OptionsOf<typeof options>;

/**
 * The token-utility autoencoder objective of adaptive token reduction: the decoder must rebuild every
 * token from the kept ones, and a budget term keeps few tokens.
 *
 * ℓᵢ = (1/(T·D))·Σ_{t,d} (F_itd − Dec(kᵢ ⊙ Fᵢ)_td)² + λ·mean_t k_it (or λ·|mean_t k_it − r| with a target keep
 * ratio r). The tokens F are the reconstruction target (constant); the caller runs the decoder on k ⊙ F (k a
 * Gumbel-softmax keep mask, e.g. `gumbelSoftmax` with `hard`) and passes its output, so the gradient reaches
 * the mask through the decoder and through the budget term.
 *
 * @param tokens the visual tokens F [N, T, D] (target; no gradient)
 * @param reconstruction Dec(k ⊙ F) [N, T, D]
 * @param keep the keep mask k [N, T] in [0, 1]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Allakhverdov et al., "When Less is Enough: Adaptive Token Reduction for Efficient Image Representation", 2025
 *   (arXiv:2503.16660)
 */
export function tokenUtilityAe(...args: Call<[tokens: Tensor, reconstruction: Tensor, keep: Tensor], TokenUtilityAeOptions>): Tensor {
  const [tokens, reconstruction, keep, { lambda, targetKeepRatio, reduction }] = entry.check(args);
  const mse = tokens.detach().sub(reconstruction).square().mean([1, 2]);
  const ratio = keep.mean(-1);
  const budget = targetKeepRatio === null ? ratio : ratio.sub(targetKeepRatio).abs();
  return applyReduction(mse.add(budget.mul(lambda)), { reduction });
}

export const entry = defineLoss({
  id: 'token-utility-ae',
  fn: tokenUtilityAe,
  args: [
    { name: 'tokens', shape: ['N', 'T', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'reconstruction', shape: ['N', 'T', 'D'], dtype: 'float', domain: 'real' },
    { name: 'keep', shape: ['N', 'T'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'per-sample',
  reading: 'Per image: the MSE between the tokens (a constant target) and the decoder\'s output on the masked tokens (computed by the caller), plus λ·mean keep (or λ|mean keep − r| with a target ratio r); λ = 0.1 is our choice.',
});
