import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { groupAdvantages, k3Kl } from '../parts/preference.js';
import { maskedSum, maskedTokenMean, tokenMask } from '../parts/tokens.js';

const options = {
  betaH: opt.number(0.01, 'β_H: the weight of the entropy bonus.', '[0, inf)'),
  betaKL: opt.number(0.05, 'β_KL: the weight of the KL to the reference (catalog: 0.01–0.1; 0.05 chosen mid-range).', '[0, inf)'),
  stdEps: opt.number(1e-4, 'The constant added to the returns\' std.', '(0, inf)'),
};
export type HaepoOptions = OptionsOf<typeof options>;

/**
 * HAEPO: a Plackett-Luce (top-1) softmax over the G trajectories' cumulative log-likelihoods weights their
 * normalised returns, with an entropy bonus and a KL penalty to a frozen reference.
 *
 * ℓ_i = Σ_t m_it·log π(a_t | s_t); w = softmax_i(ℓ_i); R̂ = (R − mean R)/(std R + eps) (0 for a single trajectory);
 * L = −Σ_i w_i·R̂_i − β_H·H + β_KL·KL, with H = −(token mean of log π) (the sampled-token entropy estimate) and
 * KL the token mean of the k3 estimator e^d − d − 1, d = sg(log π_ref) − log π. Stable form: the softmax is a
 * max-shifted log-softmax exponentiated; returns and the reference are held constant.
 *
 * Reading: the abstract says the softmax weights are "proportional to returns"; here the returns multiply the
 * softmax weights (the catalog's reading), not the softmax's scores.
 *
 * @param logProbs policy token log-probs [G, T]
 * @param refLogProbs frozen-reference token log-probs [G, T] (held constant)
 * @param returns trajectory returns R [G] (held constant)
 * @param mask optional [G, T] (bool or 0/1): the trajectory's tokens (default all)
 * @returns a scalar
 * @see "HAEPO: History-Aggregated Exploratory Policy Optimization", 2025 (the catalog's source)
 */
export function haepoLoss(...args: Call<[logProbs: Tensor, refLogProbs: Tensor, returns: Tensor, mask?: Tensor], HaepoOptions>): Tensor {
  const [logProbs, refLogProbs, returns, mask, { betaH, betaKL, stdEps }] = entry.check(args);
  const m = tokenMask(logProbs, mask);
  const w = maskedSum(logProbs, m).logSoftmax(0).exp();
  const pg = w.mul(groupAdvantages(returns, { eps: stdEps })).sum().neg();
  const entropy = maskedTokenMean(logProbs, m).neg();
  const kl = maskedTokenMean(k3Kl(logProbs, refLogProbs), m);
  return pg.sub(entropy.mul(betaH)).add(kl.mul(betaKL));
}

export const entry = defineLoss({
  id: 'haepo',
  fn: haepoLoss,
  args: [
    { name: 'logProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob' },
    { name: 'refLogProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'returns', shape: ['N'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'batch',
  reading: 'L = −Σ softmax(ℓ)·R̂ − β_H·H + β_KL·KL: returns multiply the Plackett-Luce top-1 weights; H is the sampled-token entropy estimate, KL the k3 token mean.',
});
