import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { classMeanDirections } from '../parts/distill-class-mean.js';

const options = {
  weight: opt.number(1, 'w: the ND loss factor (1 on CIFAR, 4 or more on ImageNet).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type NdLossOptions = OptionsOf<typeof options>;

/**
 * ND loss (KD++): the student embedding is pulled along its class's teacher-mean direction and rewarded for a large norm.
 *
 * e_y = c_y/‖c_y‖ (teacher class means over the training set, precomputed); ℓᵢ = w·(1 − sᵢ·e_{yᵢ}/max(‖sᵢ‖, ‖tᵢ‖)),
 * as in the authors' code (the loop over samples, then the sum divided by the batch size). The teacher
 * embeddings enter only through their norm and are held constant, like the class means.
 *
 * @param input student embeddings s [N, D]
 * @param teacher teacher embeddings t [N, D] (held constant)
 * @param centres teacher class means c [K, D] (held constant)
 * @param target class indices [N] (int32) in [0, K)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wang et al., "Improving Knowledge Distillation via Regularizing Feature Norm and Direction", 2023, arXiv:2305.17007
 */
export function ndLoss(...args: Call<[input: Tensor, teacher: Tensor, centres: Tensor, target: Tensor], NdLossOptions>): Tensor {
  const [input, teacher, centres, target, { weight, reduction }] = entry.check(args);
  const maxNorm = input.norm(2, -1).maximum(teacher.detach().norm(2, -1));
  const proj = input.mul(classMeanDirections(centres, target)).sum(-1);
  return applyReduction(proj.div(maxNorm).neg().add(1).mul(weight), { reduction });
}

export const entry = defineLoss({
  id: 'nd-loss',
  fn: ndLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'teacher', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'centres', shape: ['K', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'K' },
  ],
  options,
  output: 'per-sample',
});
