import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { ganValues, gradientPenalty } from '../parts/gen-gan.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambdaGp: opt.number(10, 'λ: the weight of the gradient penalty (the paper uses 10 throughout).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type GanWassersteinGpOptions = OptionsOf<typeof options>;

/**
 * Wasserstein GAN loss with gradient penalty (WGAN-GP).
 *
 * Critic step (dReal given): ℓᵢ = D(x̃ᵢ) − D(xᵢ) + λ(‖∇_x̂ D(x̂ᵢ)‖₂ − 1)², x̂ᵢ = αᵢxᵢ + (1 − αᵢ)x̃ᵢ with αᵢ ~ U(0, 1).
 * Generator step (dReal left out): ℓᵢ = −D(x̃ᵢ). The penalty needs the critic's gradient at the interpolates,
 * which the caller computes with the graph kept so that it is differentiated again:
 * `xh = x.mul(a).add(xf.detach().mul(a.neg().add(1))).requiresGrad_(); [g] = grad(critic(xh).sum(), [xh], { createGraph: true })`
 * and passes as `gradInterp`; without it (or with λ = 0) this is the plain WGAN critic loss (weight clipping
 * is then the caller's). 'mean' is mean over real plus mean over generated plus λ·mean penalty.
 *
 * @param input critic outputs on generated samples D(x̃) [N]
 * @param dReal optional critic outputs on real samples D(x) [N]: present, the critic's loss
 * @param gradInterp optional ∇_x̂ D(x̂) [N, ...] at the interpolates (critic step only)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017, arXiv:1704.00028
 */
export function ganWassersteinGpLoss(...args: Call<[input: Tensor, dReal?: Tensor, gradInterp?: Tensor], GanWassersteinGpOptions>): Tensor {
  const [input, dReal, gradInterp, { lambdaGp, reduction }] = entry.check(args);
  let values = ganValues('wasserstein', input, dReal ?? null);
  if (dReal && gradInterp && lambdaGp > 0) values = values.add(gradientPenalty(gradInterp).mul(lambdaGp));
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'gan-wasserstein-gp',
  fn: ganWassersteinGpLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'dReal', shape: ['N'], dtype: 'float', domain: 'real', optional: true },
    { name: 'gradInterp', shape: ['N', '...'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'per-sample',
});
