import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { clampedLog } from './basnet-hybrid-loss.js';

const options = {
  threshold: opt.number(0.8, 'Confidence max(p, 1 − p) a voxel needs to give a pseudo-label (not in the abstract: 0.8, a common confidence level).', '[0.5, 1)'),
};
export type CrossModelConfidentBceOptions = OptionsOf<typeof options>;

/** Mean BCE of `student` against the hard pseudo-labels of `teacher` over the teacher's confident voxels (0 when none). */
function confidentBce(student: Tensor, teacher: Tensor, threshold: number): Tensor {
  const t = teacher.detach();
  const y = t.gt(0.5).cast(student.dtype);
  const confident = t.maximum(t.neg().add(1)).gt(threshold).cast(student.dtype);
  const bce = y.mul(clampedLog(student)).add(y.neg().add(1).mul(clampedLog(student.neg().add(1)))).neg();
  return bce.mul(confident).sum().div(confident.sum().clamp(1));
}

/**
 * Cross-model confident BCE (CBC, TraCoCo): each network learns the other's confident hard pseudo-labels.
 *
 * y_A = 1[p_A > 0.5] kept where max(p_A, 1 − p_A) > threshold (no gradient through the teacher side);
 * ℓ = mean_{confident A} BCE(p_B, y_A) + mean_{confident B} BCE(p_A, y_B). BCE's logs are clamped at −100
 * (torch's BCELoss), finite at p ∈ {0, 1}; a side with no confident voxel contributes 0.
 *
 * @param input foreground probabilities p_A [N, ...] of network A
 * @param other foreground probabilities p_B [N, ...] of network B on the same (translated back) voxels
 * @returns a scalar
 * @see Liu et al., "Translation Consistent Semi-supervised Segmentation for 3D Medical Images", IEEE TMI 2024
 */
export function crossModelConfidentBce(...args: Call<[input: Tensor, other: Tensor], CrossModelConfidentBceOptions>): Tensor {
  const [pA, pB, { threshold }] = entry.check(args);
  return confidentBce(pB, pA, threshold).add(confidentBce(pA, pB, threshold));
}

export const entry = defineLoss({
  id: 'cross-model-confident-bce',
  fn: crossModelConfidentBce,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'prob' },
    { name: 'other', shape: ['N', '...'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'batch',
  surrogateGradient: 'Each network\'s pseudo-labels and confidence mask are held constant (detached) where it acts as teacher, as in the paper; the fixtures check the gradient.',
  reading: 'Binary foreground probabilities; pseudo-label threshold 0.5, confidence threshold 0.8 (not in the abstract); each direction is a mean over its confident voxels, the two directions summed.',
});
