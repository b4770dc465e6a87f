import { ArgumentError, concat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { defaultScale, MASKED_SCORE, qkvArgs } from '../parts/attention-mask.js';

const options = {
  window: opt.integer(64, 'w: each query attends by softmax to its w most recent keys (itself included), linearly to the older ones.', '[1, inf)'),
  scale: opt.number(null, 'Score scale of the softmax part; null: 1/√d.', '(0, inf)'),
};
export type LolcatsHybridAttentionOptions = OptionsOf<typeof options>;

/** The Hedgehog feature map φ(x) = [softmax(xW), softmax(−xW)] over the feature axis: [..., L, 2F], positive. */
const hedgehog = (x: Tensor, w: Tensor): Tensor => {
  const p = x.matmul(w);
  return concat([p.softmax(-1), p.neg().softmax(-1)], -1);
};

/**
 * LoLCATs hybrid attention: causal softmax attention over a sliding window of recent keys, plus learned linear
 * attention over every older key, in one normalisation.
 *
 * y_i = [Σ_{j∈W(i)} exp(s_ij − c_i) v_j + γ Σ_{j≤i−w} φ(q_i)·φ(k_j) v_j] / [Σ_{j∈W(i)} exp(s_ij − c_i) +
 * γ Σ_{j≤i−w} φ(q_i)·φ(k_j)], s = QKᵀ/√d, W(i) = {i − w < j ≤ i}, c_i = max_{j∈W(i)} s_ij, φ the Hedgehog map
 * [softmax(xW), softmax(−xW)]. exp(s − c) ≤ 1 is the window's max shift (so it never overflows); out-of-window scores
 * are set to −1e30 before the max and their terms zeroed by a `where` (no −∞). Written in the quadratic (masked)
 * form; the linear part's sums are the prefix sums of the paper's recurrent form.
 *
 * @param q queries [..., T, D]
 * @param k keys [..., S, D]
 * @param v values [..., S, E]
 * @param featureWeight W of the feature map [..., D, F] (F = feature_dim, 64 in the paper; per head with batch dims)
 * @param gamma γ, the weight of the linear part, broadcastable to the scores [..., T, S] (a scalar, or [H, 1, 1])
 * @param opts window (default 64), scale (default 1/√D)
 * @returns the attention output [..., T, E] (not a loss: there is no reduction)
 * @see Zhang et al., LoLCATs: On Low-Rank Linearizing of Large Language Models, ICLR 2025
 *
 * Reading: the window holds the w most recent keys including the query's own, the linear part every older key;
 * c_i (the window max) shifts only the softmax terms, as the catalog's formula has it; γ
 * enters as given (no sigmoid or other reparametrisation).
 */
export function lolcatsHybridAttention(...args: Call<[q: Tensor, k: Tensor, v: Tensor, featureWeight: Tensor, gamma: Tensor], LolcatsHybridAttentionOptions>): Tensor {
  const [q, k, v, featureWeight, gamma, { window, scale }] = entry.check(args);
  if (!Number.isInteger(window) || window < 1) throw new ArgumentError('lolcatsHybridAttention', `window must be a positive integer, got ${window}`);
  const [t, s] = [q.shape[q.ndim - 2], k.shape[k.ndim - 2]];
  const ones = q.detach().newOnes([t, s]);
  const inWindow = ones.tril().triu(1 - window).gt(0); // i − w < j ≤ i
  const older = ones.tril(-window).gt(0); // j ≤ i − w
  const scores = q.matmul(k.transpose(-2, -1)).mul(scale ?? defaultScale(q));
  const filled = scores.maskedFill(inWindow.logicalNot(), MASKED_SCORE);
  const soft = inWindow.where(filled.sub(filled.amax(-1, true)).exp(), 0);
  const lin = older.where(hedgehog(q, featureWeight).matmul(hedgehog(k, featureWeight).transpose(-2, -1)), 0).mul(gamma);
  const weights = soft.add(lin);
  return weights.matmul(v).div(weights.sum(-1, true));
}

export const entry = defineLoss({
  id: 'lolcats-hybrid-attention',
  fn: lolcatsHybridAttention,
  args: [
    ...qkvArgs,
    { name: 'featureWeight', shape: ['...', 'D', 'F'], dtype: 'float', domain: 'real' },
    { name: 'gamma', shape: ['...'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'batch',
  reading: 'The window holds the w most recent keys including the query\'s own, the linear part every older key (causal throughout); the window max c_i shifts only the softmax terms, as in the catalog\'s formula; γ is used as given (a scalar or per-head tensor, no sigmoid).',
});
