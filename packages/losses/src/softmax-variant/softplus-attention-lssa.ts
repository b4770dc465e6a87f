import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { attentionKeep, defaultScale, qkvArgs } from '../parts/attention-mask.js';

const options = {
  trainLength: opt.integer(null, 'N_train, the training length in c_i = log n_i / log N_train; null: the key length S of this call.', '(1, inf)'),
  eps: opt.number(1e-6, 'ε added to each row\'s sum.', '(0, inf)'),
  scale: opt.number(null, 'Score scale; null: 1/√d.', '(0, inf)'),
  mask: opt.tensor(['...'], 'Bool (or 0/1) mask broadcastable to [..., T, S]: false entries get weight 0.', 'any'),
  causal: opt.boolean(false, 'Query i attends to keys j ≤ i only.'),
};
export type LengthScaledSoftplusAttentionOptions = OptionsOf<typeof options>;

/**
 * LSSA, length-scaled softplus attention: softmax = l1-normalisation of exp, with exp replaced by a softplus whose
 * input is scaled by a length-dependent factor.
 *
 * A_ij = softplus(c_i S_ij)·m_ij / (Σ_j softplus(c_i S_ij)·m_ij + ε), S = QKᵀ/√d, m the keep mask, c_i =
 * log n_i / log N_train with n_i the number of keys row i attends to (i + 1 under a causal mask); output A V. softplus
 * is core's stable max(x, 0) + log1p(e^{−|x|}), finite at any score; masked entries are zeroed by a `where` before the
 * sum (no −∞), and a row with no key gives 0.
 *
 * @param q queries [..., T, D]
 * @param k keys [..., S, D]
 * @param v values [..., S, E]
 * @param opts trainLength (default: S), eps (default 1e-6), scale (default 1/√D), mask, causal (default false)
 * @returns the attention output [..., T, E] (not a loss: there is no reduction)
 * @see Gao & Spratling, Softplus Attention with Re-weighting Boosts Length Extrapolation in Large Language Models, 2025
 *
 * Reading: the scale is row-dependent, c_i = log n_i / log N_train (n_i the keys row i sees, the "invariance entropy"
 * factor), equal to 1 for a full row at the training length; trainLength defaults to this call's key length S. The
 * re-weighting step is the separate entry attention-reweighting-sharpen.
 */
export function lengthScaledSoftplusAttention(...args: Call<[q: Tensor, k: Tensor, v: Tensor], LengthScaledSoftplusAttentionOptions>): Tensor {
  const [q, k, v, { trainLength, eps, scale, mask, causal }] = entry.check(args);
  const nTrain = trainLength ?? k.shape[k.ndim - 2];
  if (!(nTrain > 1)) throw new ArgumentError('lengthScaledSoftplusAttention', `trainLength must be above 1 (log N_train divides), got ${nTrain}`);
  const scores = q.matmul(k.transpose(-2, -1)).mul(scale ?? defaultScale(q));
  const keep = attentionKeep(scores, { mask, causal });
  // n_i ≥ 1 (an empty row would take log 0 = −∞, and −∞·0 = NaN where its scores meet it; it gives 0 anyway).
  const n = keep ? keep.expand(scores.shape).cast(scores.dtype).sum(-1, true).clamp(1) : scores.shape[scores.ndim - 1];
  const c = typeof n === 'number' ? Math.log(n) / Math.log(nTrain) : n.log().div(Math.log(nTrain));
  const sp = scores.mul(c).softplus();
  const w = keep ? keep.where(sp, 0) : sp;
  return w.div(w.sum(-1, true).add(eps)).matmul(v);
}

export const entry = defineLoss({
  id: 'softplus-attention-lssa',
  fn: lengthScaledSoftplusAttention,
  args: qkvArgs,
  options,
  output: 'batch',
  reading: 'The length scale is row-dependent, c_i = log n_i / log N_train with n_i the number of keys row i attends to (i + 1 under a causal mask), so it is 1 for a full row at the training length; trainLength defaults to the key length S of the call. Re-weighting is the separate entry attention-reweighting-sharpen.',
});
