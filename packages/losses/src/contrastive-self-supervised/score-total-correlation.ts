import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { scoreGroundValue, scoreKernel, scoreSetValues } from '../parts/leftover-b-score.js';

const options = {
  instance: opt.oneOf(['graph-cut', 'facility-location', 'log-det'] as const, 'graph-cut', 'The submodular function f (the catalog default graph-cut).'),
  lambda: opt.number(1, 'λ: graph-cut\'s intra-class weight, log-det\'s ridge (catalog 1.0; the authors\' code 0.5).', '[0, inf)'),
  kernel: opt.oneOf(['cosine', 'exp'] as const, 'cosine', "S_ij: 'cosine' cos(z_i, z_j), or 'exp' exp(cos(z_i, z_j)/τ)."),
  tau: opt.number(0.1, "τ of the 'exp' kernel (catalog 0.1).", '(0, inf)'),
};
export type ScoreTotalCorrelationOptions = OptionsOf<typeof options>;

/**
 * SCoRe Total-Correlation loss: the class sets' total information minus the ground set's.
 *
 * A_k = {i : y_i = k}, V = ∪_k A_k; L_TC = Σ_k f(A_k) − f(V), f as in score-total-information:
 * graph-cut f(V) = −λ·Σ_ij S_ij, facility-location f(V) = 0 (no sample lies outside V, so L_TC = L_TI),
 * log-det f(V) = log det(S + λI) (the authors' "is_cf" form: it rewards the volume of the whole batch).
 *
 * @param input embeddings [N, D] (normalised inside for the cosine)
 * @param target class ids [N] (int32) in [0, N)
 * @returns a scalar
 * @see Majee et al., "SCoRe: Submodular Combinatorial Representation Learning", ICML 2024
 */
export function scoreTotalCorrelationLoss(...args: Call<[input: Tensor, target: Tensor], ScoreTotalCorrelationOptions>): Tensor {
  const [input, target, { instance, lambda, kernel, tau }] = entry.check(args);
  const s = scoreKernel(input, kernel, tau);
  const m = target.oneHot(input.shape[0]).T.cast(input.dtype);
  return scoreSetValues(s, m, instance, lambda).sum().sub(scoreGroundValue(s, instance, lambda));
}

export const entry = defineLoss({
  id: 'score-total-correlation',
  fn: scoreTotalCorrelationLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'N' },
  ],
  options,
  output: 'batch',
  reading:
    "Σ_k f(A_k) − f(V) with the catalog's set functions (graph-cut's intra sum includes i = j, facility-location cross-class, log-det with ridge λ), " +
    "summed without normalisation; λ = 1 and τ = 0.1 from the catalog, not the authors' code defaults (λ = 0.5, temperature 0.7); the kernel defaults to the cosine.",
});
