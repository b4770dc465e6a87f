import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { grpoTokenLosses } from '../parts/preference.js';
import { maskedTokenMean } from '../parts/tokens.js';

const options = {
  epsLow: opt.number(0.2, 'ε_low: the lower clip of the importance ratio, 1 − ε_low.', '[0, 1]'),
  epsHigh: opt.number(0.28, 'ε_high: the upper clip, 1 + ε_high ("clip-higher", above ε_low to keep exploration).', '[0, inf)'),
  stdEps: opt.number(1e-4, 'The constant added to the group std (as grpo).', '(0, inf)'),
  groupSize: opt.integer(null, 'Responses per prompt, consecutive rows; null: the whole batch is one group.', '[1, inf)'),
};
export type DapoTokenAggregationOptions = OptionsOf<typeof options>;

/**
 * DAPO's policy loss: GRPO's clipped surrogate with asymmetric clipping (clip-higher), averaged over every
 * token of the batch, so a long response weighs in proportion to its length.
 *
 * A_i as in grpo; l_it = −min(ρ_it·A_i, clip(ρ_it, 1 − ε_low, 1 + ε_high)·A_i); L = Σ_{i,t} m_it·l_it / Σ_{i,t} m_it.
 * No KL term. Dynamic sampling and overlong reward shaping are data procedures: shape the rewards before the call.
 *
 * @param logProbs current-policy token log-probs [G, T]
 * @param oldLogProbs behaviour-policy token log-probs [G, T] (held constant)
 * @param rewards rewards R [G] (held constant)
 * @param mask optional [G, T] (bool or 0/1): the response tokens (default all)
 * @returns a scalar (the token mean over the batch)
 * @see Yu et al., "DAPO: An Open-Source LLM Reinforcement Learning System at Scale", 2025, arXiv:2503.14476
 * @see "ΔL Normalization: Rethink Loss Aggregation in RLVR", 2025 (the catalog's source)
 */
export function dapoTokenAggregationLoss(...args: Call<[logProbs: Tensor, oldLogProbs: Tensor, rewards: Tensor, mask?: Tensor], DapoTokenAggregationOptions>): Tensor {
  const [logProbs, oldLogProbs, rewards, mask, { epsLow, epsHigh, stdEps, groupSize }] = entry.check(args);
  const t = grpoTokenLosses('dapoTokenAggregationLoss', logProbs, oldLogProbs, rewards, { mask, groupSize, scale: true, stdEps, epsLow, epsHigh });
  return maskedTokenMean(t.losses, t.mask);
}

export const entry = defineLoss({
  id: 'dapo-token-aggregation',
  fn: dapoTokenAggregationLoss,
  args: [
    { name: 'logProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob' },
    { name: 'oldLogProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'rewards', shape: ['N'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'batch',
});
