import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { attentionKeep, defaultScale, maskedAttentionSoftmax, qkvArgs } from '../parts/attention-mask.js';

const options = {
  lnEps: opt.number(1e-5, 'ε of the two LayerNorms.', '(0, inf)'),
  scale: opt.number(null, 'Score scale; null: 1/√d.', '(0, inf)'),
  mask: opt.tensor(['...'], 'Bool (or 0/1) mask broadcastable to [..., T, S]: false entries get weight 0.', 'any'),
  causal: opt.boolean(false, 'Query i attends to keys j ≤ i only.'),
};
export type QkLayerNormAttentionOptions = OptionsOf<typeof options>;

/** LayerNorm over the last dim with a gain [D] and no bias: (x − mean)/√(var + ε)·g, the biased variance as torch's layer_norm. */
function layerNorm(x: Tensor, gain: Tensor, eps: number): Tensor {
  const centred = x.sub(x.mean(-1, true));
  return centred.mul(centred.square().mean(-1, true).add(eps).rsqrt()).mul(gain);
}

/**
 * qk-layernorm attention: softmax attention whose queries and keys pass through a LayerNorm first, which bounds the
 * growth of the attention logits.
 *
 * out = softmax(LN_q(q) LN_k(k)ᵀ/√d) v, LN over the head dimension d with a learnable gain (no bias), the softmax
 * max-shifted; masked scores are set to −1e30 before it and their weights to 0 after it (a fully masked row gives 0).
 *
 * @param q queries [..., T, D]
 * @param k keys [..., S, D]
 * @param v values [..., S, E]
 * @param qGain gain of the queries' LayerNorm [D] (ones for a plain LayerNorm)
 * @param kGain gain of the keys' LayerNorm [D]
 * @param opts lnEps (default 1e-5), scale (default 1/√D), mask, causal (default false)
 * @returns the attention output [..., T, E] (not a loss: there is no reduction)
 * @see Wortsman et al., Small-scale proxies for large-scale Transformer training instabilities, ICLR 2024
 */
export function qkLayerNormAttention(...args: Call<[q: Tensor, k: Tensor, v: Tensor, qGain: Tensor, kGain: Tensor], QkLayerNormAttentionOptions>): Tensor {
  const [q, k, v, qGain, kGain, { lnEps, scale, mask, causal }] = entry.check(args);
  const scores = layerNorm(q, qGain, lnEps).matmul(layerNorm(k, kGain, lnEps).transpose(-2, -1)).mul(scale ?? defaultScale(q));
  return maskedAttentionSoftmax(scores, attentionKeep(scores, { mask, causal })).matmul(v);
}

export const entry = defineLoss({
  id: 'qk-layernorm-attention',
  fn: qkLayerNormAttention,
  args: [
    ...qkvArgs,
    { name: 'qGain', shape: ['D'], dtype: 'float', domain: 'real' },
    { name: 'kGain', shape: ['D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
