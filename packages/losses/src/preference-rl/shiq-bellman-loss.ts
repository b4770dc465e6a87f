import { type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { tokenMask } from '../parts/tokens.js';

const options = {
  beta: opt.number(0.1, 'β: the KL-regularisation strength (the catalog leaves it unspecified; 0.1, the usual KL scale of DPO-style objectives).', '(0, inf)'),
  gamma: opt.number(1, 'γ: the discount (1 in the paper\'s LLM setting).', '[0, 1]'),
  multiStep: opt.boolean(true, 'true: the multi-step residual of every token (the one-step residuals summed to the end of the sequence, discounted), ShiQ\'s form for sparse rewards; false: the one-step Bellman residual.'),
  reduction: opt.reduction(),
};
export type ShiqBellmanLossOptions = OptionsOf<typeof options>;

/**
 * ShiQ (shifted-Q) token-wise Bellman loss: the logits ℓ of the policy read as shifted, KL-regularised soft
 * Q-values, ℓ(s, a) = Q(s, a)/β + log π_ref(a|s), so that the policy is softmax(ℓ) itself (no reference at
 * sampling) and the soft value is V(s) = β·logsumexp_a ℓ(s, a).
 *
 * One-step residual of token t: δₜ = β·(ℓ(sₜ, aₜ) − log π_ref(aₜ|sₜ)) − rₜ − γ·V(sₜ₊₁) (V after the last counted
 * token is 0); it equals β·log(π/π_ref)(aₜ|sₜ) + V(sₜ) − rₜ − γV(sₜ₊₁). Multi-step (default): Δₖ = Σ_{t≥k} γ^{t−k}mₜδₜ
 * = V(sₖ) + Σ_{t≥k} γ^{t−k}(β·log(π/π_ref)(aₜ|sₜ) − rₜ) for a contiguous response, which carries a terminal reward
 * back to every token. Per sequence L = Σₖ mₖΔₖ² (no target network; the gradient flows through V(sₖ₊₁) too).
 * Stable form: V by a max-shifted logsumexp; logits of ±1e4 give residuals of order β·1e4.
 *
 * @param logits the policy's logits ℓ [N, T, V] at each response position
 * @param tokens the taken tokens aₜ [N, T] (int32)
 * @param refLogProbs log π_ref(aₜ|sₜ) of the taken tokens [N, T] (held constant)
 * @param rewards per-token rewards rₜ [N, T] (often only the last token's is nonzero; held constant)
 * @param mask optional [N, T] (bool or 0/1): the response tokens (default all)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Clavier et al., "ShiQ: Bringing back Bellman to LLMs", 2025, arXiv:2505.11081
 */
export function shiqBellmanLoss(...args: Call<[logits: Tensor, tokens: Tensor, refLogProbs: Tensor, rewards: Tensor, mask?: Tensor], ShiqBellmanLossOptions>): Tensor {
  const [logits, tokens, refLogProbs, rewards, mask, { beta, gamma, multiStep, reduction }] = entry.check(args);
  const m = tokenMask(tokens, mask);
  const [n, t] = tokens.shape;
  const value = logits.logsumexp(-1).mul(beta);
  // V(s_{t+1}): the next position's value where it is counted, 0 after the sequence.
  const next = m.narrow(1, 1, t - 1).where(value.narrow(1, 1, t - 1), 0).pad([0, 1]);
  const q = logits.gather(-1, tokens.unsqueeze(-1)).squeeze(-1).sub(refLogProbs.detach()).mul(beta);
  const delta = m.where(q.sub(rewards.detach()).sub(next.mul(gamma)), 0);
  const residual = multiStep ? delta.matmul(discountToGo(t, gamma, logits)) : delta;
  return applyReduction(m.where(residual.square(), 0).sum(-1).reshape([n]), { reduction });
}

/** G [T, T] with G[t, k] = γ^{t−k} for t ≥ k, else 0: (δ G)ₖ = Σ_{t≥k} γ^{t−k}δₜ. */
function discountToGo(t: number, gamma: number, like: Tensor): Tensor {
  const g = new Float64Array(t * t);
  for (let i = 0; i < t; i++) for (let k = 0; k <= i; k++) g[i * t + k] = gamma ** (i - k);
  return tensor(g, { dtype: like.dtype, backend: like.backendName }).reshape([t, t]);
}

export const entry = defineLoss({
  id: 'shiq-bellman-loss',
  fn: shiqBellmanLoss,
  args: [
    { name: 'logits', shape: ['N', 'T', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'tokens', shape: ['N', 'T'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'refLogProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'rewards', shape: ['N', 'T'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  reading: 'The soft Bellman consistency of the catalog with its two shifts made explicit: logits = Q/β + log π_ref (so softmax(logits) is the policy and V = β·logsumexp(logits)), and the multi-step residual (one-step residuals summed to the end of the response) by default; rewards, reference log-probs of the taken tokens and the response mask are the caller\'s tensors. The authors\' code was not found; this is the form the abstract and the catalog admit, not a transcription of the paper\'s equations.',
});
