import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lambda: opt.number(0.1, 'λ: the fused-L1 weight on differences of adjacent boundaries (catalog null, chosen by cross-validation in the paper; 0.1 is a moderate start, 0 gives the unrestricted cumulative-logit model).', '[0, inf)'),
  eps: opt.number(1e-12, 'Floor of P(Y = k) before the log (non-monotone boundaries can make the difference ≤ 0).', '(0, 1)'),
  average: opt.boolean(false, 'Divide the negative log-likelihood by N (the paper\'s (1/n)·Σ); false: the catalog\'s Σ.'),
};
export type PrestoOrdinalOptions = OptionsOf<typeof options>;

/**
 * PRESTO: a cumulative-logit ordinal model with one weight vector per transition, shrunk towards proportional odds
 * by an L1 penalty on the differences of adjacent vectors.
 *
 * P(Y ≥ k | x) = σ(a_k + b_k·x) for k = 1..K, P(Y ≥ 0) = 1, P(Y ≥ K + 1) = 0; P(Y = k) = max(P(Y ≥ k) −
 * P(Y ≥ k + 1), eps); L = −Σ_i log P(Y = y_i | x_i) + λ·Σ_{k=2..K} ‖b_k − b_{k−1}‖_1. The sigmoids are written
 * with σ(u) exactly (no cancellation trick: the clamp at eps bounds the log). The L1 term's kink at equal
 * boundaries takes the subgradient 0 (|·| at 0), as the catalog's note allows; a proximal step is the optimiser's.
 *
 * @param input features x [N, D]
 * @param target ordinal labels y [N] (int32 in 0..K)
 * @param intercepts a [K]
 * @param weights B [K, D] (row k: the boundary k + 1's weight vector)
 * @returns a scalar
 * @see "Predicting Rare Events by Shrinking Towards Proportional Odds", ICML 2023
 */
export function prestoOrdinalLoss(...args: Call<[input: Tensor, target: Tensor, intercepts: Tensor, weights: Tensor], PrestoOrdinalOptions>): Tensor {
  const [x, y, a, B, { lambda, eps, average }] = entry.check(args);
  const N = x.shape[0];
  const ge = x.matmul(B.transpose(0, 1)).add(a).sigmoid(); // [N, K]: P(Y ≥ k), k = 1..K
  const upper = ge.pad([1, 0], 1); // P(Y ≥ k), k = 0..K
  const lower = ge.pad([0, 1], 0); // P(Y ≥ k + 1), k = 0..K
  const p = upper.sub(lower).gather(1, y.unsqueeze(1)).squeeze(1).clamp(eps);
  const nll = p.log().sum().neg();
  const K = B.shape[0];
  const penalty = K > 1 ? B.slice(0, 1, K).sub(B.slice(0, 0, K - 1)).abs().sum() : B.sum().mul(0);
  return (average ? nll.div(N) : nll).add(penalty.mul(lambda));
}

export const entry = defineLoss({
  id: 'presto-ordinal',
  fn: prestoOrdinalLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'ordinal', classes: 'K' },
    { name: 'intercepts', shape: ['K'], dtype: 'float', domain: 'real' },
    { name: 'weights', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
