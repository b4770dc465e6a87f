/**
 * The normalised trajectory distance of dataset distillation by trajectory matching (MTT and its
 * intermediate-step variant): the student's parameters after unrolled steps on the synthetic set against
 * an expert checkpoint, relative to how far the expert itself moved.
 */
import type { Tensor } from '@graft/core';

/**
 * ‖θ̂ − θ*_end‖² / ‖θ*_start − θ*_end‖² over the last dim (flattened parameters), row by row: [..., P] → [...].
 * The expert checkpoints are loaded constants: detached here, as in the authors' code.
 */
export function normalizedTrajectoryDistance(student: Tensor, start: Tensor, end: Tensor): Tensor {
  const target = end.detach();
  return student.sub(target).square().sum(-1).div(start.detach().sub(target).square().sum(-1));
}
