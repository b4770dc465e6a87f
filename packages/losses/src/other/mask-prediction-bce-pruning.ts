import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  massThreshold: opt.number(0.9, 'The fraction of the heatmap mass the kept filters must reach (not in the abstract: 0.9).', '(0, 1]'),
  reduction: opt.reduction(),
};
export type MaskPredictionBceOptions = OptionsOf<typeof options>;

/**
 * The self-supervised mask targets of FTWT: per input, the filters with the largest activation mass,
 * fewest first, until their cumulative mass reaches the threshold (1), the rest (0).
 *
 * m_f = 1 iff the mass of the filters strictly heavier than f is below τ·Σ_g a_g (ties are kept together).
 */
export function maskTargets(mass: Tensor, massThreshold: number): Tensor {
  const heavier = mass.unsqueeze(1).gt(mass.unsqueeze(2)).cast(mass.dtype); // [N, F(f), F(g)]: a_g > a_f
  const above = heavier.mul(mass.unsqueeze(1)).sum(-1);
  return above.lt(mass.sum(-1, true).mul(massThreshold)).cast(mass.dtype);
}

/**
 * Self-supervised mask-prediction BCE of dynamic pruning (Fire Together Wire Together): a decision head
 * predicts, from the previous layer's activation, which filters of this layer will matter for the input.
 *
 * Targets: sort the filters' activation masses a_f (the heatmap mass of each filter's output on this input)
 * in decreasing order; k = the smallest count whose cumulative mass reaches τ·Σ a; m_f = 1 for those top-k
 * filters (`maskTargets`). ℓ_f = BCE-with-logits(g_f, m_f) = softplus(g_f) − m_f·g_f (stable form), trained
 * apart from the task loss (the targets are detached). Reading: the mass of a filter is the caller's (e.g. the
 * sum of |activation| over space), τ = 0.9.
 *
 * @param input the decision head's logits g(a_{l−1}) [N, F]
 * @param mass the filters' activation masses on the same inputs [N, F] (non-negative; held constant)
 * @returns a scalar, or [N, F] with reduction 'none'
 * @see Elkerdawy et al., "Fire Together Wire Together: A Dynamic Pruning Approach with Self-Supervised Mask
 *   Prediction", CVPR 2022
 */
export function maskPredictionBcePruning(...args: Call<[input: Tensor, mass: Tensor], MaskPredictionBceOptions>): Tensor {
  const [input, mass, { massThreshold, reduction }] = entry.check(args);
  const m = maskTargets(mass.detach(), massThreshold);
  return applyReduction(input.softplus().sub(input.mul(m)), { reduction });
}

export const entry = defineLoss({
  id: 'mask-prediction-bce-pruning',
  fn: maskPredictionBcePruning,
  args: [
    { name: 'input', shape: ['N', 'F'], dtype: 'float', domain: 'logits' },
    { name: 'mass', shape: ['N', 'F'], dtype: 'float', domain: 'nonneg', stopGradient: true },
  ],
  options,
  output: 'elementwise',
  reading: 'Targets: the fewest heaviest filters whose cumulative activation mass reaches τ = 0.9 of the total (ties kept together); BCE-with-logits of the head against them.',
});
