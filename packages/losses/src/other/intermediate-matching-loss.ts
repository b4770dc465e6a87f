import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { normalizedTrajectoryDistance } from '../parts/other-trajectory-match.js';

const options = {
  reduction: opt.reduction('sum'),
};
export type IntermediateMatchingOptions = OptionsOf<typeof options>;

/**
 * Intermediate trajectory-matching loss: MTT's normalised distance at several inner steps of the unrolled
 * student, each against the expert checkpoint its step is matched to.
 *
 * L = Σ_n ‖θ̂_{t+n} − θ*_{t+m(n)}‖² / ‖θ*_t − θ*_{t+m(n)}‖², one row per matched step n (the schedule n ↦ m(n)
 * is the caller's: stack the student's parameters after the steps of the schedule and the expert checkpoints
 * they are matched to). Wiring as `mtt-trajectory-matching` (unroll with createGraph; the experts are
 * constants); with one row it is that loss.
 *
 * @param student the student's flattened parameters after each matched inner step [S, P]
 * @param start expert checkpoint θ*_t [P]
 * @param targets the matched expert checkpoints θ*_{t+m(n)} [S, P]
 * @returns a scalar (the sum over steps by default), or [S] with reduction 'none'
 * @see Shen et al., "Efficient Dataset Distillation through Alignment with Smooth and High-Quality Expert
 *   Trajectories", 2023
 */
export function intermediateMatchingLoss(...args: Call<[student: Tensor, start: Tensor, targets: Tensor], IntermediateMatchingOptions>): Tensor {
  const [student, start, targets, { reduction }] = entry.check(args);
  return applyReduction(normalizedTrajectoryDistance(student, start.unsqueeze(0), targets), { reduction });
}

export const entry = defineLoss({
  id: 'intermediate-matching-loss',
  fn: intermediateMatchingLoss,
  args: [
    { name: 'student', shape: ['S', 'P'], dtype: 'float', domain: 'real' },
    { name: 'start', shape: ['P'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'targets', shape: ['S', 'P'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The matched steps and their expert checkpoints (the schedule n ↦ m(n)) are given as stacked rows; each row is MTT\'s normalised distance, and the rows are summed.',
});
