import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  distance: opt.oneOf(['l2', 'l1'] as const, 'l2', "'l2': (p₁ − p₂)²; 'l1': |p₁ − p₂|."),
  weight: opt.number(1, 'Weight of the consistency term (not in the abstract: 1, the term as is; scale it against the supervised loss).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type CoTrainingConsistencyOptions = OptionsOf<typeof options>;

/**
 * Cross-branch co-training consistency (dual-path CNN): the two branches' class probabilities should agree.
 *
 * ℓ = w·(p₁ − p₂)² (or w·|p₁ − p₂|) per class and pixel; the mean over classes and pixels. Both branches get a
 * gradient (no stop-gradient). Add it to the supervised multi-task segmentation loss.
 *
 * @param input class probabilities p₁ [N, C, ...spatial] of the first branch
 * @param other class probabilities p₂ [N, C, ...spatial] of the second branch (the shared classes, aligned)
 * @returns a scalar, or the elementwise values [N, C, ...spatial] with reduction 'none'
 * @see Meyer et al., "PI-RADS v2 Compliant Automated Segmentation of Prostate Zones Using co-training Motivated Multi-task Dual-Path CNN", 2023
 */
export function coTrainingConsistencyDualPath(...args: Call<[input: Tensor, other: Tensor], CoTrainingConsistencyOptions>): Tensor {
  const [p1, p2, { distance, weight, reduction }] = entry.check(args);
  const d = p1.sub(p2);
  return applyReduction((distance === 'l2' ? d.square() : d.abs()).mul(weight), { reduction });
}

export const entry = defineLoss({
  id: 'co-training-consistency-dual-path',
  fn: coTrainingConsistencyDualPath,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
    { name: 'other', shape: ['N', 'C', '...'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'elementwise',
  reading: 'Mean squared difference of the two branches\' probabilities over the shared classes and pixels (L1 as an option), weight 1; the abstract names the consistency but not its distance or weight.',
});
