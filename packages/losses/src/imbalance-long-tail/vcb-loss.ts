import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { checkPositive } from '../parts/class-stats.js';
import { applyReduction } from '../reduce.js';

const options = {
  positiveCounts: opt.tensor(['V'], 'n_v⁺ [V]: per-vertex counts of contact in the training set (> 0); absent: uniform.'),
  negativeCounts: opt.tensor(['V'], 'n_v⁻ [V]: per-vertex counts of no contact (> 0); absent: uniform.'),
  beta: opt.number(0.999, 'β of the effective number (1 − β^n)/(1 − β).', '[0, 1)'),
  reduction: opt.reduction(),
};
export type VcbLossOptions = OptionsOf<typeof options>;

/**
 * Vertex-level class-balanced (VCB) loss: per-vertex binary cross-entropy with class-balanced weights
 * from each vertex's own contact frequency.
 *
 * w_v^c = (1 − β)/(1 − β^{n_v^c}) for c ∈ {+, −}, normalised per vertex to w_v⁺ + w_v⁻ = 2 (class-balanced
 * weights over a vertex's two classes); ℓ_bv = w_v⁺·y·softplus(−x) + w_v⁻·(1 − y)·softplus(x), mean over
 * samples and vertices. 1 − β^n = −expm1(n·log β).
 *
 * @param input contact logits x [N, V] (V = 778 MANO vertices)
 * @param target contact labels y [N, V] in {0, 1}
 * @returns a scalar, or [N, V] with reduction 'none'
 * @see Jung et al., "Learning Dense Hand Contact Estimation from Imbalanced Data", 2025
 */
export function vcbLoss(...args: Call<[input: Tensor, target: Tensor], VcbLossOptions>): Tensor {
  const [input, target, { positiveCounts, negativeCounts, beta, reduction }] = entry.check(args);
  const v = input.shape[1];
  const eff = (counts: Tensor | null, name: string) => {
    if (!counts) return input.newOnes([v]);
    checkPositive('vcbLoss', name, counts);
    return beta === 0 ? input.newOnes([v]) : counts.detach().cast(input.dtype).mul(Math.log(beta)).expm1().neg().reciprocal().mul(1 - beta);
  };
  const wp = eff(positiveCounts, 'positiveCounts');
  const wn = eff(negativeCounts, 'negativeCounts');
  const norm = wp.add(wn).div(2);
  const y = target.cast(input.dtype);
  const values = y.mul(input.neg().softplus()).mul(wp.div(norm)).add(y.neg().add(1).mul(input.softplus()).mul(wn.div(norm)));
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'vcb-loss',
  fn: vcbLoss,
  args: [
    { name: 'input', shape: ['N', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'V'], dtype: 'float', domain: 'binary' },
  ],
  options,
  output: 'elementwise',
  reading: "class-balanced (effective-number) weights per vertex and class, normalised so that each vertex's two weights sum to 2, on per-vertex BCE averaged over samples and vertices.",
});
