import { cosineSimilarity, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { classMeanDirections } from '../parts/distill-class-mean.js';

const options = {
  reduction: opt.reduction(),
};
export type CosineTeacherClassMeanOptions = OptionsOf<typeof options>;

/**
 * Cosine loss to the teacher's class mean: the student embedding's direction is pulled to its class's
 * teacher mean (direction only, no norm term: the baseline the ND loss improves on).
 *
 * ℓᵢ = 1 − cos(sᵢ, c_{yᵢ}), cos by core's cosineSimilarity (each norm floored at 1e-8, PyTorch's). The class
 * means are precomputed from the teacher and held constant.
 *
 * @param input student embeddings s [N, D]
 * @param centres teacher class means c [K, D] (held constant)
 * @param target class indices [N] (int32) in [0, K)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wang et al., "Improving Knowledge Distillation via Regularizing Feature Norm and Direction", 2023, arXiv:2305.17007
 */
export function cosineTeacherClassMeanLoss(...args: Call<[input: Tensor, centres: Tensor, target: Tensor], CosineTeacherClassMeanOptions>): Tensor {
  const [input, centres, target, { reduction }] = entry.check(args);
  return applyReduction(cosineSimilarity(input, classMeanDirections(centres, target), { dim: 1 }).neg().add(1), { reduction });
}

export const entry = defineLoss({
  id: 'cosine-teacher-class-mean',
  fn: cosineTeacherClassMeanLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'centres', shape: ['K', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'K' },
  ],
  options,
  output: 'per-sample',
});
