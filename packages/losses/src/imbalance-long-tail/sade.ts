import { type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { countsOrUniform } from '../parts/class-stats.js';
import { adjustedCe } from '../parts/imbalance-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training class counts n [C] (> 0); absent: uniform (all three experts plain cross-entropy).'),
  lam: opt.number(2, 'λ: the strength of the inverted prior in the backward expert.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SadeOptions = OptionsOf<typeof options>;

/**
 * SADE's skill-diverse expert losses: forward (long-tailed), uniform (Balanced Softmax) and backward
 * (inversely long-tailed) experts on a shared backbone.
 *
 * ℓᵢ = CE(v₁, y) + CE(v₂ + log π, y) + CE(v₃ + log π − λ·log π̃, y), π = n/Σn and π̃ the inverted prior:
 * the class of the k-th largest count gets the k-th smallest prior (a flip for counts in descending
 * order, as the authors' code). Each CE is a max-shifted log-softmax.
 *
 * @param v1 forward expert's logits [N, C]; @param v2 uniform expert's logits [N, C]; @param v3 backward expert's logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhang et al., "Self-Supervised Aggregation of Diverse Experts for Test-Agnostic Long-Tailed Recognition", NeurIPS 2022
 */
export function sadeLoss(...args: Call<[v1: Tensor, v2: Tensor, v3: Tensor, target: Tensor], SadeOptions>): Tensor {
  const [v1, v2, v3, target, { classCounts, lam, reduction }] = entry.check(args);
  const n = countsOrUniform('sadeLoss', classCounts, v1, v1.shape[1]);
  const logPi = n.div(n.sum()).log();
  // Inverted prior: sort ascending, and give the class of rank r the value of rank C − 1 − r.
  const { values: sorted, indices } = logPi.sort(0);
  const rank = indices.argsort(0);
  const logPiInv = sorted.flip(0).indexSelect(0, rank);
  const ce = (z: Tensor, offset: Tensor | null) => adjustedCe(z, target, { offset }).values;
  return applyReduction(ce(v1, null).add(ce(v2, logPi)).add(ce(v3, logPi.sub(logPiInv.mul(lam)))), { reduction });
}

export const entry = defineLoss({
  id: 'sade',
  fn: sadeLoss,
  args: [
    { name: 'v1', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'v2', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'v3', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
