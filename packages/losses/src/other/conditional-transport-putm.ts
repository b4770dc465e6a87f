import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  tau: opt.number(1, 'τ: the navigators\' temperature (not in the abstract: 1, the plain softmax of −C).', '(0, inf)'),
  cost: opt.oneOf(['squared-euclidean', 'cosine'] as const, 'squared-euclidean', 'C_jk: ‖q_j − μ_k‖² or 1 − cos(q_j, μ_k).'),
};
export type ConditionalTransportOptions = OptionsOf<typeof options>;

/**
 * Conditional-transport (CT) cost between query features and class prototypes (PUTM): a forward navigator
 * sends each query to prototypes, a backward navigator sends each prototype to queries, and both transport
 * plans pay the point-to-prototype cost.
 *
 * C_jk = ‖q_j − μ_k‖² (or 1 − cos); π_f(k|j) = softmax_k(−C_jk/τ + log π_k); π_b(j|k) = softmax_j(−C_jk/τ);
 * L = (1/M) Σ_j Σ_k π_f(k|j) C_jk + Σ_k π_k Σ_j π_b(j|k) C_jk. Stable form: both navigators are max-shifted
 * log-softmaxes, exponentiated once; log π_k of a zero prior is −∞, which the softmax turns into weight 0.
 * Reading: the EM step (closed-form prototype update from π_f + π_b) and the adaptive prior are the caller's
 * loop; this is the CT cost they minimise. A zero prior entry removes that class from both terms.
 *
 * @param queries query features q [M, D]
 * @param prototypes class prototypes μ [K, D]
 * @param prior class prior π [K] (a probability vector)
 * @returns a scalar
 * @see "Prototypes-oriented Transductive Few-shot Learning with Conditional Transport", ICCV 2023; Zheng &
 *   Zhou, "Exploiting Chain Rule and Bayes' Theorem to Compare Probability Distributions", NeurIPS 2021
 */
export function conditionalTransportPutm(...args: Call<[queries: Tensor, prototypes: Tensor, prior: Tensor], ConditionalTransportOptions>): Tensor {
  const [queries, prototypes, prior, { tau, cost }] = entry.check(args);
  let c: Tensor;
  if (cost === 'squared-euclidean') c = queries.unsqueeze(1).sub(prototypes.unsqueeze(0)).square().sum(-1);
  else {
    const unit = (x: Tensor) => x.mul(x.square().sum(-1, true).clamp(1e-24).rsqrt());
    c = unit(queries).matmul(unit(prototypes).transpose(0, 1)).neg().add(1);
  }
  const logPrior = prior.gt(0).where(prior.gt(0).where(prior, 1).log(), -Infinity);
  const scores = c.div(-tau);
  const forward = scores.add(logPrior.unsqueeze(0)).softmax(1); // [M, K]
  const backward = scores.softmax(0); // [M, K], columns sum to 1
  const fwd = forward.mul(c).sum().div(queries.shape[0]);
  const bwd = backward.mul(c).sum(0).mul(prior).sum();
  return fwd.add(bwd);
}

export const entry = defineLoss({
  id: 'conditional-transport-putm',
  fn: conditionalTransportPutm,
  args: [
    { name: 'queries', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'prototypes', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
    { name: 'prior', shape: ['K'], dtype: 'float', domain: 'simplex' },
  ],
  options,
  output: 'batch',
  reading: 'The CT cost of the catalog\'s definition with τ = 1 and a given prior; the EM prototype update and the adaptive prior are the caller\'s loop around it.',
});
