import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { offDiagonal } from '../parts/contrastive-infonce.js';

const options = {
  tau: opt.number(5, 'τ: SMILE clips the critic to [−τ, τ] inside the partition term (5, or 1); ignored by MINE.', '(0, inf)'),
  estimator: opt.oneOf(['smile', 'mine'] as const, 'smile', "'smile': the clipped Donsker-Varadhan bound; 'mine': the unclipped DV bound (τ → ∞)."),
};
export type SmileMineOptions = OptionsOf<typeof options>;

/**
 * SMILE / MINE: minus the Donsker-Varadhan estimate of I(X; Y) from a critic's score matrix.
 *
 * I_DV = mean_i T_ii − log mean_{i≠j} exp(T_ij); SMILE clips inside the partition term:
 * I_SMILE = mean_i T_ii − log mean_{i≠j} exp(clamp(T_ij, −τ, τ)). Loss = −I. Stable form: log mean exp =
 * logsumexp_{i≠j}(·) − log(N(N − 1)), max-shifted. With N = 1 there is no product-of-marginals pair: the
 * partition term is taken as 0 and the loss is −T_11. MINE's moving-average bias correction of the partition
 * gradient is optimiser state, not part of the estimate.
 *
 * @param input critic scores T [N, N]: T_ii on joint pairs (x_i, y_i), T_ij (i ≠ j) on shuffled pairs
 * @returns a scalar
 * @see Song & Ermon, "Understanding the Limitations of Variational Mutual Information Estimators", ICLR 2020;
 *   Belghazi et al., "Mutual Information Neural Estimation", ICML 2018
 */
export function smileMineLoss(...args: Call<[input: Tensor], SmileMineOptions>): Tensor {
  const [input, { tau, estimator }] = entry.check(args);
  const n = input.shape[0];
  const joint = input.diagonal().mean();
  if (n < 2) return joint.neg();
  const marg = estimator === 'smile' ? input.clamp(-tau, tau) : input;
  const logMean = marg.maskedFill(offDiagonal(n, input).logicalNot(), -Infinity).flatten().logsumexp(0).sub(Math.log(n * (n - 1)));
  return logMean.sub(joint);
}

export const entry = defineLoss({
  id: 'smile-mine',
  fn: smileMineLoss,
  args: [{ name: 'input', shape: ['N', 'N'], dtype: 'float', domain: 'real' }],
  options,
  aliases: ['smile', 'mine'],
  output: 'batch',
});
