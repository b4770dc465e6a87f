import { ArgumentError, concat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { defaultScale, qkvArgs, requireSelfAttention } from '../parts/attention-mask.js';
import { featureMapAttention } from '../parts/feature-map-attention.js';

const options = {
  order: opt.integer(2, 'N_t, the truncation order of exp\'s Taylor series.', '[0, inf)'),
  scale: opt.number(null, 'The factor folded into the queries; null: 1/√d.', '(0, inf)'),
  causal: opt.boolean(false, 'Query i attends to keys j ≤ i only (prefix sums; needs T = S).'),
};
export type TaylorExpandedSoftmaxAttentionOptions = OptionsOf<typeof options>;

/** [φ_0(x), ..., φ_N(x)] concatenated: φ_n(x) = x^{⊗n}/√(n!) flattened, d^n features each ([..., L, Σ_n d^n]). */
function taylorFeatures(x: Tensor, order: number): Tensor {
  const lead = x.shape.slice(0, -1);
  const terms = [x.newOnes([...lead, 1])];
  for (let n = 1; n <= order; n++) {
    const prev = terms[n - 1];
    // φ_n = φ_{n−1} ⊗ x / √n, flattened: [..., L, d^{n−1}, 1]·[..., L, 1, d] → [..., L, d^n].
    terms.push(prev.unsqueeze(-1).mul(x.unsqueeze(-2)).reshape([...lead, -1]).div(Math.sqrt(n)));
  }
  return concat(terms, -1);
}

/**
 * Softmax attention as a sum of linear-attention RNNs: exp(q·k) replaced by its Taylor series truncated at order N_t.
 *
 * exp(q·k) ≈ Σ_{n≤N_t} (q·k)^n/n! = Σ_n φ_n(q)·φ_n(k), φ_n(x) = x^{⊗n}/√(n!) (Kronecker powers, d^n features); each
 * order is a linear-attention recurrence S_i⁽ⁿ⁾ = Σ_{j≤i} φ_n(k_j) v_jᵀ, z_i⁽ⁿ⁾ = Σ_{j≤i} φ_n(k_j), and
 * out_i = Σ_n φ_n(q_i)ᵀ S_i⁽ⁿ⁾ / Σ_n φ_n(q_i)ᵀ z_i⁽ⁿ⁾ (causal: prefix sums; otherwise sums over every key). The scale
 * 1/√d is folded into q. An even order keeps every weight positive (1 + x + x²/2 > 0); an odd order can make the
 * normaliser vanish. The feature dimension grows as d^{N_t}.
 *
 * @param q queries [..., T, D]
 * @param k keys [..., S, D]
 * @param v values [..., S, E]
 * @param opts order (default 2), scale (default 1/√D), causal (default false)
 * @returns the attention output [..., T, E] (not a loss: there is no reduction)
 * @see Mongaras & Larson, On the Expressiveness of Softmax Attention: A Recurrent Neural Network Perspective, 2025
 *
 * Reading: the recurrent (feature-map) form of the truncated series, with the truncated series itself as the
 * normaliser (no ε, no extra gating); 1/√d is folded into q as in scaled dot-product attention.
 */
export function taylorExpandedSoftmaxAttention(...args: Call<[q: Tensor, k: Tensor, v: Tensor], TaylorExpandedSoftmaxAttentionOptions>): Tensor {
  const [q, k, v, { order, scale, causal }] = entry.check(args);
  if (!Number.isInteger(order) || order < 0) throw new ArgumentError('taylorExpandedSoftmaxAttention', `order must be a non-negative integer, got ${order}`);
  if (causal) requireSelfAttention('taylorExpandedSoftmaxAttention', q, k);
  return featureMapAttention(taylorFeatures(q.mul(scale ?? defaultScale(q)), order), taylorFeatures(k, order), v, { causal });
}

export const entry = defineLoss({
  id: 'taylor-expanded-softmax-attention',
  fn: taylorExpandedSoftmaxAttention,
  args: qkvArgs,
  options,
  output: 'batch',
  reading: 'The recurrent (feature-map) form of exp\'s Taylor series truncated at order N_t, normalised by the same truncated series (no ε or gating); 1/√d is folded into q.',
});
