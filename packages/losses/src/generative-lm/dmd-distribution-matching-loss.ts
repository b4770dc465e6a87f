import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type DmdDistributionMatchingLossOptions = OptionsOf<typeof options>;

/**
 * DMD's distribution-matching generator loss: a surrogate whose gradient is the reverse-KL gradient estimate.
 *
 * gradᵢ = (μ_fake(x_t, t) − μ_real(x_t, t)) / mean_elements |xᵢ − μ_real(x_t, t)| (all held constant; NaNs from a
 * zero normaliser become 0, as the authors' nan_to_num); ℓᵢ = ½·mean_elements (xᵢ − sg(xᵢ − gradᵢ))², so ∂ℓᵢ/∂xᵢ =
 * gradᵢ/D. Only the gradient is meaningful. The caller noises x = G(z) as x_t = α_t x + σ_t ε with t in
 * [0.02T, 0.98T] and runs the frozen teacher (with CFG) and the fake-score network (trained with
 * diffusion-denoising-loss, x₀ form, ~5 steps per generator step in DMD2) to get their x₀-predictions.
 *
 * @param input generator samples x = G(z) [N, ...]
 * @param realX0 the teacher's x₀-prediction μ_real(x_t, t) [N, ...] (held constant)
 * @param fakeX0 the fake score's x₀-prediction μ_fake(x_t, t) [N, ...] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Yin et al., "Improved Distribution Matching Distillation for Fast Image Synthesis", NeurIPS 2024, arXiv:2405.14867;
 *   Yin et al., "One-step Diffusion with Distribution Matching Distillation", CVPR 2024
 */
export function dmdDistributionMatchingLoss(...args: Call<[input: Tensor, realX0: Tensor, fakeX0: Tensor], DmdDistributionMatchingLossOptions>): Tensor {
  const [input, realX0, fakeX0, { reduction }] = entry.check(args);
  const n = input.shape[0];
  const x = input.detach();
  const norm = x.sub(realX0.detach()).abs().reshape([n, -1]).mean(-1).reshape([n, ...input.shape.slice(1).map(() => 1)]);
  const raw = fakeX0.detach().sub(realX0.detach()).div(norm);
  const grad = raw.eq(raw).where(raw, 0); // NaN ≠ NaN: a 0/0 entry becomes 0
  const values = input.sub(x.sub(grad)).square().reshape([n, -1]).mean(-1).mul(0.5);
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'dmd-distribution-matching-loss',
  fn: dmdDistributionMatchingLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'realX0', shape: ['N', '...'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'fakeX0', shape: ['N', '...'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  surrogateGradient: 'the regression target x − grad is held constant (DMD\'s stop-gradient): the value is ½·mean grad², its gradient grad/D',
  reading: 'DMD/DMD2\'s standard form (the abstract does not give it): the per-sample normaliser is the mean absolute error to the teacher\'s prediction, and the surrogate is ½·MSE (mean over elements) to the detached target, as in the released DMD2 code.',
});
