import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';
import { normalizedTrajectoryDistance } from '../parts/other-trajectory-match.js';

const options = {};
export type MttTrajectoryMatchingOptions = OptionsOf<typeof options>;

/**
 * Trajectory-matching loss (MTT): the student, started at expert checkpoint θ*_t and trained N steps on the
 * synthetic set, should land where the expert was M epochs later.
 *
 * L = ‖θ̂_{t+N} − θ*_{t+M}‖² / ‖θ*_t − θ*_{t+M}‖², on the flattened parameters. Wiring: start from θ*_t (a
 * leaf), take the paper's N = 20 SGD steps θ ← θ − η·grad(CE(f_θ(S), y_S), θ, {createGraph: true}) on the
 * synthetic images S with the learnable η, flatten θ̂_{t+N} and pass it here; `loss.backward()` then reaches
 * S and η through the unrolled steps. The expert checkpoints are constants (detached).
 *
 * @param student the student's parameters after N synthetic steps, flattened [P]
 * @param start expert checkpoint θ*_t [P]
 * @param target expert checkpoint θ*_{t+M} [P]
 * @returns a scalar
 * @see Cazenavette et al., "Dataset Distillation by Matching Training Trajectories", CVPR 2022 (the matching
 *   loss used by Shen et al., "Efficient Dataset Distillation through Alignment with Smooth and High-Quality
 *   Expert Trajectories", 2023)
 */
export function mttTrajectoryMatching(...args: Call<[student: Tensor, start: Tensor, target: Tensor], MttTrajectoryMatchingOptions>): Tensor {
  const [student, start, target] = entry.check(args);
  return normalizedTrajectoryDistance(student, start, target);
}

export const entry = defineLoss({
  id: 'mtt-trajectory-matching',
  fn: mttTrajectoryMatching,
  args: [
    { name: 'student', shape: ['P'], dtype: 'float', domain: 'real' },
    { name: 'start', shape: ['P'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'target', shape: ['P'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'batch',
});
