import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { offDiagonal } from '../parts/contrastive-infonce.js';

const options = {
  entropyWeight: opt.number(10, 'λ_H: the weight of the mean marginal entropy (the authors\' ent_coeff, 10).', '[0, inf)'),
  covWeight: opt.number(1, 'λ_C: the weight of the off-diagonal covariance penalty (the authors\' hypercov_coeff, 1).', '[0, inf)'),
  epsilon: opt.number(1.1920928955078125e-7, 'ε added to each scaled spacing inside the log (the authors use float32\'s machine epsilon): ties give log ε, not −∞.', '(0, inf)'),
};
export type E2mcOptions = OptionsOf<typeof options>;

/**
 * E2MC: effective entropy maximisation, the add-on criterion for continued SSL training. The joint entropy of the
 * embeddings is replaced by low-dimensional constraints: high marginal entropies and decorrelated dimensions.
 *
 * u = Φ(z) = ½(1 + erf(z/√2)) per entry (the standard normal CDF, into [0, 1]), ū = u − mean_n u;
 * per dimension d, with u_(1) ≤ … ≤ u_(N) its sorted column and m = round(√N), the m-spacing (Vasicek) estimate
 *   Ĥ_d = 1/(N − m) · Σ_{i=1}^{N−m} log((N + 1)/m · (u_(i+m) − u_(i)) + ε);
 * C = ūᵀū/(N − 1) and c = Σ_{j≠k} C_jk² / D;  L = λ_C·c − λ_H·mean_d Ĥ_d.
 * Stable as written: Φ saturates to 0 or 1 (its derivative to 0) at large |z|, and a zero spacing gives log ε.
 * The gradient reaches z through the sorted values (sort's gradient is a permutation). A batch of one has no
 * spacing and no covariance: the value is 0.
 *
 * Follows deepc94/e2mc, main_swav_ent_ft.py (EntropyEstimator.get_ent_and_cov_loss and m_spacings_estimator).
 *
 * @param z embeddings of one view [N, D] (unnormalised, as the authors pass them); sum the value over views
 * @returns a scalar: add it to the base SSL loss
 * @see Chakraborty, LeCun, Rudner, Learned-Miller, "Improving Pre-Trained Self-Supervised Embeddings Through
 *   Effective Entropy Maximization", 2024
 */
export function e2mcLoss(...args: Call<[z: Tensor], E2mcOptions>): Tensor {
  const [z, { entropyWeight, covWeight, epsilon }] = entry.check(args);
  const [n, d] = z.shape;
  if (n < 2) return z.sum().mul(0);
  const u = z.div(Math.SQRT2).erf().add(1).mul(0.5);
  const centered = u.sub(u.mean(0, true));
  const m = Math.round(Math.sqrt(n));
  const sorted = centered.sort(0).values;
  const spacings = sorted.narrow(0, m, n - m).sub(sorted.narrow(0, 0, n - m));
  const entropy = spacings.mul((n + 1) / m).add(epsilon).log().mean(0);
  const cov = centered.T.matmul(centered).div(n - 1);
  const offCov = offDiagonal(d, z).where(cov.square(), 0).sum().div(d);
  return offCov.mul(covWeight).sub(entropy.mean().mul(entropyWeight));
}

export const entry = defineLoss({
  id: 'e2mc',
  fn: e2mcLoss,
  args: [{ name: 'z', shape: ['N', 'D'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
  reading: 'The authors\' estimator (deepc94/e2mc): marginal entropies of the normal-CDF-mapped embeddings by the m-spacing estimator with m = round(√N), plus the off-diagonal covariance of the mapped, centred embeddings, L = λ_C·c − λ_H·mean_d Ĥ_d; only the add-on term, on one view\'s embeddings: the base SSL loss and the sum over views are the caller\'s.',
});
