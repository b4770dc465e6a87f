import { concat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  K: opt.integer(20, 'K of NDCG@K: β_u is the K-th largest of the user\'s scores (positive and sampled negatives), capped at their count, when beta is not given.', '[1, inf)'),
  tau: opt.number(1, 'τ: temperature of the softmax loss (tuned per dataset, ~0.1–0.2 reported).', '(0, inf)'),
  tauW: opt.number(1, 'τ_w: temperature of the weight σ((s_ui − β_u)/τ_w).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type SoftmaxLossAtKOptions = OptionsOf<typeof options>;

/**
 * SoftmaxLoss@K (SL@K): the softmax loss weighted by a smooth indicator that the positive is in the top K.
 *
 * w_ui = σ((s_ui − β_u)/τ_w), SL_ui = logsumexp_j((s_uj − s_ui)/τ) over the sampled negatives (max-shifted);
 * ℓ = w_ui·SL_ui, the gradient through both factors (as the official code). β_u is the top-K threshold, held
 * constant: given as `beta` (a buffer refreshed every few epochs, or learned by a quantile loss), else the K-th
 * largest of the user's positive and negative scores in the batch (no gradient). w = 1 is the plain softmax loss.
 *
 * @param input positive scores s_ui [N]
 * @param negatives sampled negative scores s_uj [N, M]
 * @param beta optional top-K thresholds β_u [N] (no gradient)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Yang et al., "Breaking the Top-K Barrier: Advancing Top-K Ranking Metrics Optimization in Recommender Systems", KDD 2025
 */
export function softmaxLossAtK(...args: Call<[input: Tensor, negatives: Tensor, beta?: Tensor], SoftmaxLossAtKOptions>): Tensor {
  const [pos, negs, beta, { K, tau, tauW, reduction }] = entry.check(args);
  const b = beta ? beta.detach() : topKThreshold(pos, negs, K);
  const w = pos.sub(b).div(tauW).sigmoid();
  const sl = negs.sub(pos.unsqueeze(1)).div(tau).logsumexp(1);
  return applyReduction(w.mul(sl), { reduction });
}

/** β_u: the K-th largest of [s_ui, s_uj...] per row (K capped at the row's length), without gradient. [N]. */
export function topKThreshold(pos: Tensor, negs: Tensor, K: number): Tensor {
  const joined = concat([pos.detach().unsqueeze(1), negs.detach()], 1);
  const k = Math.min(K, joined.shape[1]);
  return joined.topk(k, 1).values.narrow(1, k - 1, 1).squeeze(1);
}

export const entry = defineLoss({
  id: 'softmax-loss-at-k',
  fn: softmaxLossAtK,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'negatives', shape: ['N', 'M'], dtype: 'float', domain: 'real' },
    { name: 'beta', shape: ['N'], dtype: 'float', domain: 'real', optional: true, stopGradient: true },
  ],
  options,
  output: 'elementwise',
  surrogateGradient: 'The top-K threshold β_u is held constant (no gradient), as in the paper; the fixtures check the gradient.',
});
