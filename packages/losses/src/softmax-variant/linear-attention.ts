import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { qkvArgs, requireSelfAttention } from '../parts/attention-mask.js';
import { featureMapAttention } from '../parts/feature-map-attention.js';

const options = {
  eps: opt.number(1e-6, 'ε added to the normaliser.', '(0, inf)'),
  causal: opt.boolean(false, 'Query i attends to keys j ≤ i only (prefix sums over the sequence; needs T = S).'),
};
export type LinearAttentionOptions = OptionsOf<typeof options>;

/**
 * Linear (kernelised) attention: softmax's exp(q·k) replaced by φ(q)·φ(k), so the sums over keys factor out.
 *
 * φ(x) = elu(x) + 1 (positive); out_i = φ(q_i)ᵀ S_i / (φ(q_i)ᵀ z_i + ε), S_i = Σ_j φ(k_j) v_jᵀ, z_i = Σ_j φ(k_j), over
 * every key j, or, causal, over j ≤ i as prefix sums (cumsum over the sequence: the recurrent form
 * S_i = S_{i−1} + φ(k_i) v_iᵀ). elu is core's, whose unused branch never overflows.
 *
 * @param q queries [..., T, D]
 * @param k keys [..., S, D]
 * @param v values [..., S, E]
 * @param opts eps (default 1e-6), causal (default false)
 * @returns the attention output [..., T, E] (not a loss: there is no reduction)
 * @see Katharopoulos et al., Transformers are RNNs: Fast Autoregressive Transformers with Linear Attention, ICML 2020;
 *   Mongaras & Larson, On the Expressiveness of Softmax Attention: A Recurrent Neural Network Perspective, 2025
 */
export function linearAttention(...args: Call<[q: Tensor, k: Tensor, v: Tensor], LinearAttentionOptions>): Tensor {
  const [q, k, v, { eps, causal }] = entry.check(args);
  if (causal) requireSelfAttention('linearAttention', q, k);
  return featureMapAttention(q.elu().add(1), k.elu().add(1), v, { causal, eps });
}

export const entry = defineLoss({
  id: 'linear-attention',
  fn: linearAttention,
  args: qkvArgs,
  options,
  output: 'batch',
});
