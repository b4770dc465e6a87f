import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.tensor(['N'], 'A time weighting w(t_b) per sample [N]; null: 1 (the paper\'s schedule and weighting are not in the abstract).'),
  reduction: opt.reduction(),
};
export type AddTimestepCeOptions = OptionsOf<typeof options>;

/**
 * Authentic Discrete Diffusion's timestep-conditioned cross-entropy: diffusion directly in one-hot space, trained by
 * the cross-entropy of the model's logits against the clean labels.
 *
 * ℓ_b = w(t_b)·CE(f_θ(x_t, t_b), y₀), x_t = α_t·onehot(y₀) + σ_t·ε the float one-hot noised by the caller's
 * schedule (t drawn per sample; the model sees x_t and t). For token sequences pass logits [N, C, T] and
 * targets [N, T] (summed over positions per sample) or flatten the tokens into N.
 *
 * @param input the model's logits f_θ(x_t, t) [N, C] or [N, C, T]
 * @param target the clean labels y₀ [N] or [N, T] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see "Authentic Discrete Diffusion Model", 2025
 */
export function addTimestepCe(...args: Call<[input: Tensor, target: Tensor], AddTimestepCeOptions>): Tensor {
  const [input, target, { weight, reduction }] = entry.check(args);
  const logp = input.logSoftmax(1);
  let ce = logp.gather(1, target.unsqueeze(1)).squeeze(1).neg();
  if (ce.ndim > 1) ce = ce.reshape([ce.shape[0], -1]).sum(-1);
  return applyReduction(weight ? ce.mul(weight) : ce, { reduction });
}

export const entry = defineLoss({
  id: 'add-timestep-ce',
  fn: addTimestepCe,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'The loss given the model output: w(t)·CE(logits, y₀) per sample (positions summed), with x_t = α_t·onehot + σ_t·ε built by the caller; the noise schedule and time weighting are not in the abstract, so w defaults to 1.',
});
