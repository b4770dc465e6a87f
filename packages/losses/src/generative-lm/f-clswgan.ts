import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { ganValues, gradientPenalty } from '../parts/gen-gan.js';
import { applyReduction } from '../reduce.js';

const options = {
  beta: opt.number(0.01, 'β: the weight of the classification loss in the generator objective.', '[0, inf)'),
  lambdaGp: opt.number(10, 'λ: the weight of the gradient penalty in the critic objective.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type FClswganOptions = OptionsOf<typeof options>;

/**
 * f-CLSWGAN: a conditional WGAN-GP on CNN features with a classification loss on the generated features.
 *
 * Generator (dReal left out): ℓᵢ = −D(x̃ᵢ, aᵢ) + β·CE(cls(x̃ᵢ), yᵢ), cls the frozen pretrained softmax classifier.
 * Critic (dReal given): ℓᵢ = D(x̃ᵢ, aᵢ) − D(xᵢ, aᵢ) + λ(‖∇_x̂ D(x̂ᵢ, aᵢ)‖₂ − 1)² (the negation of the paper's maximised
 * L_WGAN), x̂ = αx + (1 − α)x̃; the classification term does not enter the critic's loss. The conditional critic
 * and its input gradient (see gan-wasserstein-gp) are the caller's; n_critic = 5 critic steps per generator step,
 * Adam lr 1e-4, betas (0.5, 0.999).
 *
 * @param input conditional critic outputs on generated features D(x̃, a) [N]
 * @param clsLogits the frozen classifier's logits on the generated features [N, C]
 * @param target the classes the features were generated for [N] (int32)
 * @param dReal optional critic outputs on real features D(x, a) [N]: present, the critic's loss
 * @param gradInterp optional ∇_x̂ D(x̂, a) [N, ...] at the interpolates (critic step)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Xian et al., "Feature Generating Networks for Zero-Shot Learning", CVPR 2018, arXiv:1712.00981
 */
export function fClswganLoss(...args: Call<[input: Tensor, clsLogits: Tensor, target: Tensor, dReal?: Tensor, gradInterp?: Tensor], FClswganOptions>): Tensor {
  const [input, clsLogits, target, dReal, gradInterp, { beta, lambdaGp, reduction }] = entry.check(args);
  let values = ganValues('wasserstein', input, dReal ?? null);
  if (dReal) {
    if (gradInterp && lambdaGp > 0) values = values.add(gradientPenalty(gradInterp).mul(lambdaGp));
  } else {
    const ce = clsLogits.logSoftmax(-1).gather(-1, target.unsqueeze(-1)).squeeze(-1).neg();
    values = values.add(ce.mul(beta));
  }
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'f-clswgan',
  fn: fClswganLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'clsLogits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'dReal', shape: ['N'], dtype: 'float', domain: 'real', optional: true },
    { name: 'gradInterp', shape: ['N', '...'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'per-sample',
});
