import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { holderDivergence, logLabelMatch, logSimilarityRows } from '../parts/divergence-cs.js';
import { applyReduction } from '../reduce.js';

const options = {
  tau: opt.number(0.1, 'τ: the temperature of the row-normalised similarities.', '(0, inf)'),
  eps: opt.number(1e-8, 'Every similarity and label-match entry is clamped to at least eps.', '(0, 1]'),
  reduction: opt.reduction(),
};
export type GeneralizedCsDivergenceOptions = OptionsOf<typeof options>;

/**
 * Generalised Cauchy–Schwarz divergence over three modalities t, a, i (the official code's gcs_divergence).
 *
 * P_xy = softmax_j(cos(x_i, y_j)/τ) clamped at eps, Q = 1[y_i = y_j] clamped at eps; for a circular chain of pairs
 * GCS_i(P1, P2, P3) = −log(Σ_j P1_ij·P2_ij·P3_ij·Q_ij / (‖P1_i‖_4·‖P2_i‖_4·‖P3_i‖_4·‖Q_i‖_4)) ≥ 0 (Hölder with four
 * factors); ℓ_i = GCS_i(t→a, t→i, a→i) + GCS_i(a→t, i→t, i→a) (the bidirectional circular comparison).
 * Stable form: log-softmax rows floored at log eps, numerator and L4 norms as max-shifted logsumexps.
 *
 * @param input embeddings of modality t [N, D]
 * @param second embeddings of modality a [N, D]
 * @param third embeddings of modality i [N, D]
 * @param labels class labels [N] (int32)
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see Zhang et al., "Cross-Modal Retrieval with Cauchy–Schwarz Divergence", ACM MM 2024, arXiv:2409.11417 (code: JiahaoZhang666/CSD, utils/metric.py)
 */
export function generalizedCsDivergence(...args: Call<[input: Tensor, second: Tensor, third: Tensor, labels: Tensor], GeneralizedCsDivergenceOptions>): Tensor {
  const [t, a, i, labels, { tau, eps, reduction }] = entry.check(args);
  const q = logLabelMatch(labels, eps, t);
  const p = (x: Tensor, y: Tensor) => logSimilarityRows(x, y, tau, eps);
  const forward = holderDivergence([p(t, a), p(t, i), p(a, i), q]);
  const backward = holderDivergence([p(a, t), p(i, t), p(i, a), q]);
  return applyReduction(forward.add(backward), { reduction });
}

export const entry = defineLoss({
  id: 'generalized-cs-divergence',
  fn: generalizedCsDivergence,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'second', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'third', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label', classes: 'C' },
  ],
  options,
  output: 'per-sample',
});
