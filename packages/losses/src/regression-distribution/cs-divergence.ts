import { ShapeError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { holderDivergence, logLabelMatch, logSimilarityRows } from '../parts/divergence-cs.js';
import { logMeanGaussianKernel } from '../parts/divergence-kernels.js';

const options = {
  tau: opt.number(0.1, 'τ: the temperature of the row-normalised similarities (discrete form).', '(0, inf)'),
  eps: opt.number(1e-8, 'The clamp of the label-match matrix (discrete form): non-matching entries are eps, not 0.', '(0, 1]'),
  sigma: opt.number(1, 'σ: the Gaussian kernel width of the kernel-density form (the catalog leaves it open; 1 suits unit-normalised embeddings).', '(0, inf)'),
};
export type CsDivergenceOptions = OptionsOf<typeof options>;

/**
 * Cauchy–Schwarz divergence for cross-modal alignment, in two forms.
 *
 * Discrete form (labels given; a and b paired, the official code's two-modality case): P = softmax_j(cos(a_i, b_j)/τ),
 * Q = 1[y_i = y_j] clamped at eps; D_i = −log((Σ_j P_ij Q_ij)² / (Σ_j P_ij² · Σ_j Q_ij²)); the mean over i, summed
 * over the directions a→b and b→a. Kernel-density form (no labels): D = log mean K(X, X) + log mean K(Y, Y) −
 * 2·log mean K(X, Y), K Gaussian of width σ. Stable form: every term is a max-shifted logsumexp of log-factors
 * (log-softmax rows, log eps), never the log of a formed probability. Both are symmetric and ≥ 0.
 * Reading: the discrete form is the n = 2 analogue of the official GCS code (with the classical square, which the
 * code drops: a factor 2); the kernel form is the textbook estimator.
 *
 * @param input embeddings a [N, D] (query modality), or the sample set X
 * @param target embeddings b (key modality; [N, D] with labels), or the sample set Y [M, D]
 * @param labels optional class labels [N] (int32): selects the discrete form
 * @returns a scalar
 * @see Zhang et al., "Cross-Modal Retrieval with Cauchy–Schwarz Divergence", ACM MM 2024, arXiv:2409.11417
 */
export function csDivergence(...args: Call<[input: Tensor, target: Tensor, labels?: Tensor], CsDivergenceOptions>): Tensor {
  const [a, b, labels, { tau, eps, sigma }] = entry.check(args);
  if (!labels) return logMeanGaussianKernel(a, a, sigma).add(logMeanGaussianKernel(b, b, sigma)).sub(logMeanGaussianKernel(a, b, sigma).mul(2));
  if (a.shape[0] !== b.shape[0]) throw new ShapeError('csDivergence', `the discrete form pairs a and b: expected the same batch size, got ${a.shape[0]} and ${b.shape[0]}`);
  const q = logLabelMatch(labels, eps, a);
  const one = (x: Tensor, y: Tensor) => holderDivergence([logSimilarityRows(x, y, tau), q]).mul(2).mean();
  return one(a, b).add(one(b, a));
}

export const entry = defineLoss({
  id: 'cs-divergence',
  fn: csDivergence,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label', classes: 'C', optional: true },
  ],
  options,
  output: 'batch',
  reading: 'Discrete form with labels (n = 2 analogue of the official GCS code, classical squared CS form, both directions); without labels the Gaussian kernel-density estimator between the two sets.',
});
