import { arange, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { maskedLogSoftmax } from '../parts/masked-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  tau: opt.number(0.95, 'τ: the confidence threshold (certain samples: max q ≥ τ).', '[0, 1]'),
  certainRatio: opt.number(null, "The whole term's weight: the caller's EMA of the certain-sample ratio (r ← 0.999·r + 0.001·mean(max q ≥ τ) in the authors' code); null: this batch's ratio, the EMA's first value.", '[0, 1]'),
  reduction: opt.reduction(),
};
export type ShrinkMatchLossOptions = OptionsOf<typeof options>;

/**
 * ShrinkMatch's shrunk-class-space loss for uncertain unlabeled samples.
 *
 * For a sample with max q < τ, sort q descending (q₍₀₎ ≥ q₍₁₎ ≥ …) and take the smallest c ∈ [2, C − 1]
 * with q₍₀₎/(q₍₀₎ + Σ_{j≥c} q₍ⱼ₎) ≥ τ (removing the confusing ranks 1..c−1); ℓ = CE of the auxiliary head's
 * strong-view logits restricted to ranks {0} ∪ {c, …, C − 1} with target rank 0 (a masked, max-shifted
 * logSoftmax), weighted by max q (reweighting principle 1) and by 1[some c reaches τ] (the authors' loop
 * falls back to c = C − 1 with weight 0); certain samples give 0. Every value is multiplied by the
 * certain-sample ratio (principle 2), so 'mean' is the code's Σ/B·ratio. The search over c is done at
 * once: the tail sums Σ_{j≥c} q₍ⱼ₎ are a reversed cumsum and the ratio is non-decreasing in c, so the
 * first c that reaches τ is 2 + #{c ∈ [2, C − 1] that do not}. q is detached.
 *
 * @param input strong-view logits of the auxiliary head [B, C]
 * @param target weak-view probabilities q [B, C] (treated as constants)
 * @returns a scalar, or [B] with reduction 'none'
 * @see Yang et al., "Shrinking Class Space for Enhanced Certainty in Semi-Supervised Learning", ICCV 2023
 */
export function shrinkMatchLoss(...args: Call<[input: Tensor, target: Tensor], ShrinkMatchLossOptions>): Tensor {
  const [input, target, { tau, certainRatio, reduction }] = entry.check(args);
  const c = input.shape[1];
  const q = target.detach().cast(input.dtype);
  const { values: sorted, indices } = q.sort(-1, true);
  const logits = input.gather(-1, indices);
  const top = sorted.narrow(-1, 0, 1); // [B, 1]
  const tail = sorted.flip(-1).cumsum(-1).flip(-1); // Σ_{j≥c} q₍ⱼ₎
  const rank = arange(0, c, 1, { dtype: 'int32', backend: input.backendName }).reshape([1, c]);
  const candidate = rank.ge(2).logicalAnd(rank.le(c - 1));
  const misses = top.div(top.add(tail)).lt(tau).logicalAnd(candidate).int().sum(-1, true); // [B, 1]
  const first = misses.add(2).minimum(c - 1);
  const keep = rank.eq(0).logicalOr(rank.ge(first));
  const ce = maskedLogSoftmax(logits, keep, -1).narrow(-1, 0, 1).squeeze(-1).neg();
  const maxq = top.squeeze(-1);
  const reached = misses.squeeze(-1).lt(c - 2);
  const weight = maxq.lt(tau).logicalAnd(reached).where(maxq, 0);
  const ratio = certainRatio ?? maxq.ge(tau).cast(input.dtype).mean();
  return applyReduction(ce.mul(weight).mul(ratio), { reduction });
}

export const entry = defineLoss({
  id: 'shrinkmatch-loss',
  fn: shrinkMatchLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'simplex', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
