import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { groupAdvantages as groupAdvantagesPart, grpoTokenLosses, k3Kl } from '../parts/preference.js';
import { maskedMean } from '../parts/tokens.js';

const options = {
  epsClip: opt.number(0.2, 'ε: the clip range of the importance ratio, [1 − ε, 1 + ε].', '[0, 1]'),
  beta: opt.number(0.04, 'β: the weight of the k3 KL to the reference (used when refLogProbs is given; 0 drops it).', '[0, inf)'),
  stdEps: opt.number(1e-4, 'The constant added to the group std (TRL\'s 1e-4; the catalog says "small", e.g. 1e-6).', '(0, inf)'),
  groupSize: opt.integer(null, 'Responses per prompt, consecutive rows; null: the whole batch is one group.', '[1, inf)'),
  reduction: opt.reduction(),
};
export type GrpoOptions = OptionsOf<typeof options>;

/**
 * GRPO: the PPO clipped surrogate with group-relative advantages and a k3 KL to the reference, averaged over
 * each response's tokens, then over responses.
 *
 * A_i = (R_i − mean R)/(std R + eps) within each group (unbiased std; a group of one has A = 0); ρ_it =
 * exp(lp_it − sg(lp_old,it)); l_it = −min(ρ·A_i, clip(ρ, 1 − ε, 1 + ε)·A_i) + β·(e^d − d − 1), d = sg(lp_ref) −
 * lp; ℓ_i = (1/L_i)·Σ_t m_it·l_it ('none' gives ℓ [G]; 'mean' is GRPO's 1/G·Σ_i). Rewards, old and reference
 * log-probs are held constant; `groupAdvantages` (parts/preference.ts) is the exported advantage helper.
 *
 * @param logProbs current-policy token log-probs [G, T]
 * @param oldLogProbs behaviour-policy token log-probs [G, T] (held constant)
 * @param rewards verifiable rewards R [G] (held constant)
 * @param refLogProbs optional reference token log-probs [G, T] (held constant) for the KL term
 * @param mask optional [G, T] (bool or 0/1): the response tokens (default all)
 * @returns a scalar, or [G] with reduction 'none'
 * @see Shao et al., "DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open Language Models", 2024, arXiv:2402.03300
 * @see "ΔL Normalization: Rethink Loss Aggregation in RLVR", 2025 (the catalog's source)
 */
export function grpoLoss(...args: Call<[logProbs: Tensor, oldLogProbs: Tensor, rewards: Tensor, refLogProbs?: Tensor, mask?: Tensor], GrpoOptions>): Tensor {
  const [logProbs, oldLogProbs, rewards, refLogProbs, mask, { epsClip, beta, stdEps, groupSize, reduction }] = entry.check(args);
  const t = grpoTokenLosses('grpoLoss', logProbs, oldLogProbs, rewards, { mask, groupSize, scale: true, stdEps, epsLow: epsClip, epsHigh: epsClip });
  const losses = refLogProbs && beta > 0 ? t.losses.add(k3Kl(logProbs, refLogProbs).mul(beta)) : t.losses;
  return applyReduction(maskedMean(losses, t.mask), { reduction });
}

/**
 * Group-relative advantages, held constant: (R − mean R)/(std R + eps) per group along the last dim of rewards
 * [..., G] (unbiased std; a group of one gets 0), or R − mean R with `{ scale: false }` (Dr. GRPO).
 */
export const groupAdvantages = groupAdvantagesPart;

export const entry = defineLoss({
  id: 'grpo',
  fn: grpoLoss,
  args: [
    { name: 'logProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob' },
    { name: 'oldLogProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'rewards', shape: ['N'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'refLogProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob', optional: true, stopGradient: true },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
});
