import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { checkSameShape, perSampleMse } from '../parts/distill-feature.js';

const options = {
  reduction: opt.reduction(),
};
export type FitnetFeatureL2Options = OptionsOf<typeof options>;

/**
 * FitNets-style L2 feature distillation: the student's (regressed) intermediate features match the teacher's.
 *
 * ℓᵢ = mean over the features of sample i of (r(f_s) − sg(f_t))², so 'mean' is the elementwise MSE. r is the
 * identity, or, given a regressor weight W [C_t, C_s], the linear map / 1×1 convolution over dim 1:
 * r(f)_{n,o,…} = Σ_c W_{o,c}·f_{n,c,…} (the regressor is trainable and receives gradient). Teacher detached.
 *
 * @param input student features f_s [N, C_s, ...]
 * @param teacher teacher features f_t [N, C_t, ...] (held constant)
 * @param regressor optional regressor weight W [C_t, C_s] (without it C_s = C_t)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Romero et al., "FitNets: Hints for Thin Deep Nets", ICLR 2015; Wang et al., "Improving Knowledge
 *   Distillation via Regularizing Feature Norm and Direction", 2023, arXiv:2305.17007
 */
export function fitnetFeatureL2Loss(...args: Call<[input: Tensor, teacher: Tensor, regressor?: Tensor], FitnetFeatureL2Options>): Tensor {
  const [input, teacher, regressor, { reduction }] = entry.check(args);
  const outShape = regressor ? [input.shape[0], regressor.shape[0], ...input.shape.slice(2)] : input.shape;
  checkSameShape('fitnetFeatureL2Loss', outShape, teacher.shape, 'regressed input and teacher');
  const hint = regressor ? input.movedim(1, -1).matmul(regressor.transpose(0, 1)).movedim(-1, 1) : input;
  return applyReduction(perSampleMse(hint, teacher), { reduction });
}

export const entry = defineLoss({
  id: 'fitnet-feature-l2',
  fn: fitnetFeatureL2Loss,
  args: [
    { name: 'input', shape: ['N', 'D', '...'], dtype: 'float', domain: 'real' },
    { name: 'teacher', shape: ['N', 'E', '...'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'regressor', shape: ['E', 'D'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'per-sample',
});
