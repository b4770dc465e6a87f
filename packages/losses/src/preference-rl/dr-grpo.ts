import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { grpoTokenLosses } from '../parts/preference.js';
import { maskedSum } from '../parts/tokens.js';

const options = {
  epsClip: opt.number(0.2, 'ε: the clip range of the importance ratio.', '[0, 1]'),
  maxLength: opt.integer(null, 'L_max: the constant normaliser, the maximum generation length; null: T, the padded length of the call (the catalog gives no number).', '[1, inf)'),
  groupSize: opt.integer(null, 'Responses per prompt, consecutive rows; null: the whole batch is one group.', '[1, inf)'),
};
export type DrGrpoOptions = OptionsOf<typeof options>;

/**
 * Dr. GRPO: GRPO without its two length and difficulty biases: advantages not divided by the group std, and
 * the token sum divided by a constant instead of each response's length.
 *
 * A_i = R_i − mean R (per group); l_it = −min(ρ_it·A_i, clip(ρ_it, 1 − ε, 1 + ε)·A_i); L = Σ_{i,t} m_it·l_it /
 * (G·L_max). No KL term.
 *
 * @param logProbs current-policy token log-probs [G, T]
 * @param oldLogProbs behaviour-policy token log-probs [G, T] (held constant)
 * @param rewards rewards R [G] (held constant)
 * @param mask optional [G, T] (bool or 0/1): the response tokens (default all)
 * @returns a scalar
 * @see Liu et al., "Understanding R1-Zero-Like Training: A Critical Perspective", 2025, arXiv:2503.20783
 * @see "ΔL Normalization: Rethink Loss Aggregation in RLVR", 2025 (the catalog's source)
 */
export function drGrpoLoss(...args: Call<[logProbs: Tensor, oldLogProbs: Tensor, rewards: Tensor, mask?: Tensor], DrGrpoOptions>): Tensor {
  const [logProbs, oldLogProbs, rewards, mask, { epsClip, maxLength, groupSize }] = entry.check(args);
  const t = grpoTokenLosses('drGrpoLoss', logProbs, oldLogProbs, rewards, { mask, groupSize, scale: false, stdEps: 0, epsLow: epsClip, epsHigh: epsClip });
  const [g, len] = logProbs.shape;
  return maskedSum(t.losses, t.mask).sum().div(g * (maxLength ?? len));
}

export const entry = defineLoss({
  id: 'dr-grpo',
  fn: drGrpoLoss,
  args: [
    { name: 'logProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob' },
    { name: 'oldLogProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'rewards', shape: ['N'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'batch',
});
