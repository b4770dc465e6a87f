import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { attentionKeep, defaultScale, qkvArgs } from '../parts/attention-mask.js';

const options = {
  b: opt.number(null, 'The bias b added to every score; null: −log n, n the number of keys S (the paper\'s choice).', '(-inf, inf)'),
  scale: opt.number(null, 'Score scale; null: 1/√d.', '(0, inf)'),
  mask: opt.tensor(['...'], 'Bool (or 0/1) mask broadcastable to [..., T, S]: false entries get weight 0.', 'any'),
  causal: opt.boolean(false, 'Query i attends to keys j ≤ i only.'),
};
export type SigmoidAttentionOptions = OptionsOf<typeof options>;

/**
 * Sigmoid self-attention: an elementwise sigmoid of the scores, with no normalisation over the keys.
 *
 * A = σ(QKᵀ/√d + b), b = −log n by default (so a row of n equal scores near 0 sums to about 1, like softmax); masked
 * entries are set to 0 after the sigmoid (a `where`, so no −∞ meets the gradient); output A V. σ is core's sigmoid,
 * finite for any score.
 *
 * @param q queries [..., T, D]
 * @param k keys [..., S, D]
 * @param v values [..., S, E]
 * @param opts b (default −log S), scale (default 1/√D), mask, causal (default false)
 * @returns the attention output [..., T, E] (there is no reduction: the output is not a loss, and 'none' has no
 *   meaning here)
 * @see Ramapuram et al., Theory, Analysis, and Best Practices for Sigmoid Self-Attention, ICLR 2025
 */
export function sigmoidAttention(...args: Call<[q: Tensor, k: Tensor, v: Tensor], SigmoidAttentionOptions>): Tensor {
  const [q, k, v, { b, scale, mask, causal }] = entry.check(args);
  const bias = b ?? -Math.log(k.shape[k.ndim - 2]);
  const scores = q.matmul(k.transpose(-2, -1)).mul(scale ?? defaultScale(q)).add(bias);
  const keep = attentionKeep(scores, { mask, causal });
  const a = scores.sigmoid();
  return (keep ? keep.where(a, 0) : a).matmul(v);
}

export const entry = defineLoss({
  id: 'sigmoid-attention',
  fn: sigmoidAttention,
  args: qkvArgs,
  options,
  output: 'batch',
});
